import {
  describeTrack,
  type Fmp4Fragment,
  type Fmp4TrackDescription,
  TrackFragmenter,
  writeInitSegment,
} from '../../codec/fmp4/index.js';
import type { MediaPacket } from '../../hub/media-packet.js';

const VIDEO_TRACK_ID = 1;
const AUDIO_TRACK_ID = 2;

/**
 * One DASH representation (video or audio): its init segment, RFC 6381 codecs string and pending samples, all
 * from the shared fMP4 builder (codec/fmp4). Throws Fmp4Error for a codec fMP4 cannot carry.
 */
export class DashTrack {
  readonly id: 'video' | 'audio';
  readonly track: Fmp4TrackDescription;
  readonly codecs: string;
  readonly init: Buffer;
  private readonly fragmenter: TrackFragmenter;

  constructor(readonly header: MediaPacket) {
    this.id = header.kind === 'video' ? 'video' : 'audio';
    this.track = describeTrack(header.kind === 'video' ? VIDEO_TRACK_ID : AUDIO_TRACK_ID, header.codec, header.payload);
    this.codecs = this.track.codecs;
    this.init = writeInitSegment([this.track]);
    this.fragmenter = new TrackFragmenter(this.track);
  }

  get timescale(): number {
    return this.track.timescale;
  }

  toTimescale(ms: number): number {
    return this.fragmenter.toTimescale(ms);
  }

  add(packet: MediaPacket): void {
    this.fragmenter.push({ dts: packet.dts, pts: packet.pts, keyframe: packet.keyframe, data: packet.payload });
  }

  /** Where the pending samples end (ms), for the last segment of an ended stream. */
  pendingEndMs(): number | undefined {
    return this.fragmenter.pendingEndMs();
  }

  /**
   * Takes every pending sample with dts before `endMs` as one fragment. Durations come from the next sample; the
   * last one runs to `endMs` (so segments tile the timeline exactly).
   */
  take(endMs: number): Fmp4Fragment | undefined {
    return this.fragmenter.takeUntil(endMs);
  }
}
