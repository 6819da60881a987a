import {
  describeTrack,
  type Fmp4Fragment,
  type Fmp4Track,
  TrackFragmenter,
  writeInitSegment,
  writeMediaSegment,
} from '../../codec/fmp4/index.js';
import type { MediaPacket } from '../../hub/media-packet.js';
import type { SharedPacket } from '../../hub/wire-format.js';
import { type ContainerWriter, firstHeader, type RecordingHeaders } from './container-writer.js';
import { DvrError } from './dvr-error.js';

const EMPTY: Buffer = Buffer.alloc(0);
const VIDEO_TRACK = 1;
const AUDIO_TRACK = 2;

/**
 * Fragmented MP4 recordings: an init segment, then a moof+mdat fragment per keyframe (or every
 * `maxFragmentMs`), so a crash loses at most the last fragment and the file still plays. Each returned buffer is
 * one complete unit (init segment or fragment): a file cut after any of them decodes. Tracks and fragments come
 * from the shared fMP4 builder (codec/fmp4); timestamps start at 0.
 */
export class Fmp4ContainerWriter implements ContainerWriter {
  readonly extension = 'mp4';
  private tracks: Fmp4Track[] = [];
  private video?: TrackFragmenter;
  private audio?: TrackFragmenter;
  private base?: number;
  private sequence = 1;
  private fragmentStart?: number;

  constructor(private readonly maxFragmentMs = 2000) {}

  begin(headers: RecordingHeaders): Buffer {
    const v = firstHeader(headers, 'video')?.packet;
    if (v && (v.codec === 'h264' || v.codec === 'hevc' || v.codec === 'av1'))
      this.tracks.push(describeTrack(VIDEO_TRACK, v.codec, v.payload));
    const a = firstHeader(headers, 'audio')?.packet;
    if (a && (a.codec === 'aac' || a.codec === 'opus'))
      this.tracks.push(describeTrack(AUDIO_TRACK, a.codec, a.payload));
    if (this.tracks.length === 0)
      throw new DvrError('DVR_NO_TRACKS', 'nothing to record: no H.264/HEVC/AV1 video or AAC/Opus audio header');
    return writeInitSegment(this.tracks);
  }

  write(shared: SharedPacket): Buffer {
    const p = shared.packet;
    if (p.kind === 'data' || p.sequenceHeader) return EMPTY;
    if (this.base === undefined) {
      this.base = p.dts;
      // Media time 0 is the recording's first packet, on every track.
      for (const track of this.tracks) {
        if (track.kind === 'video') this.video = new TrackFragmenter(track, p.dts);
        else this.audio = new TrackFragmenter(track, p.dts);
      }
    }
    const fragmenter = p.kind === 'video' ? this.video : this.audio;
    if (!fragmenter) return EMPTY;
    this.fragmentStart ??= p.dts;
    let out = EMPTY;
    if (this.shouldCut(p)) {
      out = this.fragment(false);
      this.fragmentStart = p.dts;
    }
    fragmenter.push({ dts: p.dts, pts: p.pts, keyframe: p.keyframe, data: p.payload });
    return out;
  }

  end(): Buffer {
    return this.fragment(true);
  }

  /** A new fragment starts at each video keyframe (audio-only: every maxFragmentMs); long GOPs are split too. */
  private shouldCut(p: MediaPacket): boolean {
    const elapsed = p.dts - (this.fragmentStart ?? p.dts);
    if (elapsed <= 0) return false;
    if (!this.video) return elapsed >= this.maxFragmentMs;
    return (p.kind === 'video' && p.keyframe) || elapsed >= this.maxFragmentMs * 2;
  }

  /** A moof+mdat of everything pending (all but each track's last sample, unless this is the end). */
  private fragment(final: boolean): Buffer {
    const fragments: Fmp4Fragment[] = [];
    for (const fragmenter of [this.video, this.audio]) {
      const fragment = fragmenter?.takeReady(final);
      if (fragment) fragments.push(fragment);
    }
    if (fragments.length === 0) return EMPTY;
    return writeMediaSegment(this.sequence++, fragments);
  }
}
