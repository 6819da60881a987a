import {
  describeTrack,
  Fmp4Error,
  type Fmp4Fragment,
  type Fmp4TrackDescription,
  isFmp4Codec,
  TrackFragmenter,
  writeInitSegment,
  writeMediaSegment,
} from '../../codec/fmp4/index.js';
import type { MediaPacket } from '../../hub/media-packet.js';

const TRACK_IDS = { video: 1, audio: 2 } as const;

/** A part's bytes and whether it starts on a sync sample of the leading track. */
export interface TakenFragment {
  data: Buffer;
  independent: boolean;
}

/**
 * The muxed CMAF tracks of one LL-HLS presentation (video and/or audio in one init segment), each with its
 * fragmenter from the shared fMP4 builder. A part takes every track's samples up to the cut; each sample lasts
 * until its successor, so every part starts exactly where the previous one of the same track ended.
 */
export class LlHlsTracks {
  readonly init: Buffer;
  private readonly fragmenters = new Map<'video' | 'audio', TrackFragmenter>();
  private sequence = 1;

  private constructor(
    readonly headers: readonly MediaPacket[],
    descriptions: Fmp4TrackDescription[],
  ) {
    for (const d of descriptions) this.fragmenters.set(d.kind, new TrackFragmenter(d));
    this.init = writeInitSegment(descriptions);
  }

  /** From the stream's sequence headers; undefined when no track is one fMP4 can carry. */
  static from(headers: readonly (MediaPacket | undefined)[]): LlHlsTracks | undefined {
    const used: MediaPacket[] = [];
    const descriptions: Fmp4TrackDescription[] = [];
    for (const header of headers) {
      if (!header || (header.kind !== 'video' && header.kind !== 'audio') || !isFmp4Codec(header.codec)) continue;
      try {
        descriptions.push(describeTrack(TRACK_IDS[header.kind], header.codec, header.payload));
        used.push(header);
      } catch (error) {
        if (!(error instanceof Fmp4Error)) throw error;
      }
    }
    return descriptions.length > 0 ? new LlHlsTracks(used, descriptions) : undefined;
  }

  has(kind: 'video' | 'audio'): boolean {
    return this.fragmenters.has(kind);
  }

  /** The same configuration records (a returning publisher may keep using the init segment). */
  matches(headers: readonly (MediaPacket | undefined)[]): boolean {
    const now = headers.filter((h): h is MediaPacket => h !== undefined && this.has(h.kind as 'video' | 'audio'));
    return now.length === this.headers.length && this.headers.every((h, i) => h.payload.equals(now[i].payload));
  }

  push(packet: MediaPacket): void {
    const fragmenter = this.fragmenters.get(packet.kind as 'video' | 'audio');
    fragmenter?.push({ dts: packet.dts, pts: packet.pts, keyframe: packet.keyframe, data: packet.payload });
  }

  /** Every track's samples before `endMs` (those whose successor arrived); `final` takes all that is pending. */
  take(endMs: number, final = false): TakenFragment | undefined {
    const fragments: Fmp4Fragment[] = [];
    for (const fragmenter of this.fragmenters.values()) {
      const fragment = final ? fragmenter.takeReady(true) : fragmenter.takeBefore(endMs);
      if (fragment) fragments.push(fragment);
    }
    if (fragments.length === 0) return undefined;
    const lead = fragments.find((f) => f.trackId === TRACK_IDS.video) ?? fragments[0];
    return { data: writeMediaSegment(this.sequence++, fragments), independent: lead.samples[0].keyframe };
  }

  /** Where the leading track's pending samples end (ms), for the last part of a publish. */
  pendingEndMs(): number | undefined {
    return (this.fragmenters.get('video') ?? this.fragmenters.get('audio'))?.pendingEndMs();
  }
}
