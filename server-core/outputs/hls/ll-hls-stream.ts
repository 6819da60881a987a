import type { MediaPacket } from '../../hub/media-packet.js';
import type { StreamKey } from '../../hub/stream-key.js';
import type { StreamSource } from '../../hub/stream-source.js';
import type { LlHlsOpenSegment, LlHlsPart, LlHlsSegment } from './ll-hls-segment.js';
import { LlHlsTracks } from './ll-hls-tracks.js';

export interface LlHlsStreamOptions {
  fragmentMs: number;
  /** 0: no parts (a plain fMP4 playlist); otherwise the part target duration. */
  partMs: number;
  windowMs: number;
  now: () => number;
  /** Told after every new part, segment and end (held blocking requests are re-checked). */
  onChange?: () => void;
  /** The numbering of the playlist this one replaces (a new publish after the end continues it). */
  after?: LlHlsNumbering;
}

/** Where a replacing playlist starts numbering its segments and init segments. */
export interface LlHlsNumbering {
  nextMsn: number;
  nextInitVersion: number;
}

/** Segments kept after leaving the playlist, for players still fetching them (RFC 8216 6.2.2). */
const RETIRED_SEGMENTS_KEPT = 3;
/** Finished segments whose parts stay fetchable: the playlist lists the parts of the last two. */
const PART_SEGMENTS_KEPT = 4;

/**
 * The fMP4 (CMAF) segmenter of one stream for HLS and LL-HLS: parts are cut on the leading track (video, or
 * audio when there is none) once the next frame would pass the part target; segments on a video keyframe once
 * the target duration is reached, so every segment starts with an independent part. A returning publisher with
 * the same codec settings continues the timeline where it stopped; with new ones, after one EXT-X-DISCONTINUITY
 * and a new init segment.
 */
export class LlHlsStream {
  private tracks?: LlHlsTracks;
  private initVersion = -1;
  private readonly inits = new Map<string, Buffer>();
  private segments: LlHlsSegment[] = [];
  private retired: LlHlsSegment[] = [];
  private openSegment?: LlHlsOpenSegment;
  private partStartMs = 0;
  private lastLeadDts = 0;
  private nextMsn = 0;
  private readonly firstMsn: number;
  private removedDiscontinuities = 0;
  private maxSegmentMs = 0;
  private pendingDiscontinuity = false;
  private resumed = false;
  /** Added to the returning publisher's timestamps so its media starts where the last part ended. */
  private offsetMs = 0;
  private closeGap = false;
  private ended_ = false;
  private unsubscribe?: () => void;
  private revision_ = 0;
  lastActivity: number;

  constructor(
    readonly key: StreamKey,
    private readonly options: LlHlsStreamOptions,
  ) {
    this.lastActivity = options.now();
    this.nextMsn = options.after?.nextMsn ?? 0;
    this.initVersion = (options.after?.nextInitVersion ?? 0) - 1;
    this.firstMsn = this.nextMsn;
  }

  get numbering(): LlHlsNumbering {
    return { nextMsn: this.nextMsn, nextInitVersion: this.initVersion + 1 };
  }

  get isLive(): boolean {
    return this.unsubscribe !== undefined;
  }

  get ended(): boolean {
    return this.ended_;
  }

  get partMs(): number {
    return this.options.partMs;
  }

  get windowSegments(): readonly LlHlsSegment[] {
    return this.segments;
  }

  get open(): LlHlsOpenSegment | undefined {
    return this.openSegment;
  }

  get discontinuitySequence(): number {
    return this.removedDiscontinuities + (this.segments[0]?.discontinuity ? 1 : 0);
  }

  /** EXT-X-TARGETDURATION: the configured duration, or the longest segment a long GOP made. */
  get targetDurationSeconds(): number {
    return Math.max(1, Math.ceil(this.options.fragmentMs / 1000), Math.ceil(this.maxSegmentMs / 1000 - 0.0005));
  }

  /** The last finished segment's number (-1: none yet). */
  get lastFinishedMsn(): number {
    return this.segments.length > 0 ? this.segments[this.segments.length - 1].msn : -1;
  }

  /** The next part's name, for EXT-X-PRELOAD-HINT. */
  get nextPartName(): string | undefined {
    if (this.ended_ || this.options.partMs === 0) return undefined;
    const open = this.openSegment;
    return open ? partName(open.msn, open.parts.length) : undefined;
  }

  attach(source: StreamSource): void {
    this.unsubscribe = source.subscribe({
      name: 'll-hls',
      onPacket: (shared) => this.onPacket(shared.packet, source),
      onEnd: () => this.detach(),
      onPublisherChange: (publishing) => this.onPublisherChange(publishing),
      // A segmenter that failed ends this stream's playlist as it is (no more cutting: that may be what threw);
      // other streams and outputs go on.
      onFault: () => this.abandon(),
    });
  }

  /** The stream ended: the last part and segment are finished and the playlist gets EXT-X-ENDLIST. */
  detach(): void {
    if (!this.unsubscribe) return;
    this.unsubscribe();
    this.unsubscribe = undefined;
    this.finishOpen();
    this.ended_ = true;
    this.lastActivity = this.options.now();
    this.changed();
  }

  private abandon(): void {
    this.unsubscribe = undefined;
    this.openSegment = undefined;
    this.ended_ = true;
    this.lastActivity = this.options.now();
    this.changed();
  }

  init(name: string): Buffer | undefined {
    return this.inits.get(name);
  }

  segment(msn: number): LlHlsSegment | undefined {
    return this.segments.find((s) => s.msn === msn) ?? this.retired.find((s) => s.msn === msn);
  }

  part(msn: number, index: number): LlHlsPart | undefined {
    if (this.openSegment?.msn === msn) return this.openSegment.parts[index];
    return this.segment(msn)?.parts[index];
  }

  private onPublisherChange(publishing: boolean): void {
    if (publishing) {
      this.resumed = true;
      return;
    }
    this.finishOpen();
    this.lastActivity = this.options.now();
    this.changed();
  }

  private onPacket(p: MediaPacket, source: StreamSource): void {
    if (p.kind === 'data' || p.sequenceHeader) return;
    const headers = [source.header('video')?.packet, source.header('audio')?.packet];
    if (this.resumed && !this.openSegment) {
      this.resumed = false;
      if (this.tracks?.matches(headers)) this.closeGap = true;
      else {
        this.tracks = undefined;
        this.pendingDiscontinuity = this.nextMsn > this.firstMsn;
      }
    }
    if (!this.tracks) {
      const hasVideo = headers[0] !== undefined;
      if (hasVideo ? !(p.kind === 'video' && p.keyframe) : p.kind !== 'audio') return;
      this.tracks = LlHlsTracks.from(headers);
      if (!this.tracks) return;
      this.initVersion++;
      this.inits.set(this.initName, this.tracks.init);
    }
    if (p.kind !== 'video' && p.kind !== 'audio') return;
    if (!this.tracks.has(p.kind)) {
      // A track whose header came after the first keyframe (MPEG-TS ingest learns AAC from its first frame):
      // the presentation starts over with it, from the next keyframe.
      if (LlHlsTracks.from([source.header(p.kind)?.packet])) this.startOver();
      return;
    }
    const tracks = this.tracks;
    const lead = tracks.has('video') ? 'video' : 'audio';
    const cutPoint = p.kind === lead && (lead === 'audio' || p.keyframe);
    if (!this.openSegment && !cutPoint) return;
    if (this.closeGap) {
      // Same codec settings: no discontinuity, the pause is cut out of the media timeline (players would
      // otherwise face a hole as long as the pause, where hls.js stalls).
      this.closeGap = false;
      this.offsetMs = this.partStartMs - p.dts;
    }
    if (this.offsetMs !== 0) p = { ...p, dts: p.dts + this.offsetMs, pts: p.pts + this.offsetMs };
    if (!this.openSegment) this.startSegment(p.dts);
    tracks.push(p);
    this.lastActivity = this.options.now();
    if (p.kind !== lead) return;
    const open = this.openSegment!;
    const gap = p.dts - this.lastLeadDts;
    this.lastLeadDts = p.dts;
    if (p.dts <= this.partStartMs) return;
    const segmentDue = cutPoint && p.dts - open.startMs >= this.options.fragmentMs;
    // Cut at the frame nearest the part target: millisecond timestamps jitter by one (33, 34, 33 ms), so
    // "the next frame would pass the target" would cut one frame early, and off the GOP grid.
    const partDue = this.options.partMs > 0 && p.dts - this.partStartMs > this.options.partMs - gap / 2;
    if (!segmentDue && !partDue) return;
    this.cutPart(p.dts, false);
    if (segmentDue) {
      this.finishSegment(p.dts);
      this.startSegment(p.dts);
    }
    this.changed();
  }

  /** New tracks: a new init segment. Before anything was published the partial first segment is dropped. */
  private startOver(): void {
    const open = this.openSegment;
    if (open && this.segments.length === 0 && this.retired.length === 0) {
      this.openSegment = undefined;
      this.nextMsn = open.msn;
      this.pendingDiscontinuity = open.discontinuity;
    } else {
      this.finishOpen();
      this.pendingDiscontinuity = this.nextMsn > this.firstMsn;
    }
    this.tracks = undefined;
    this.changed();
  }

  /** Counts changes: a playlist rendered at one revision stays right until the next. */
  get revision(): number {
    return this.revision_;
  }

  private changed(): void {
    this.revision_++;
    this.options.onChange?.();
  }

  private get initName(): string {
    return `init-${this.initVersion}.mp4`;
  }

  private startSegment(startMs: number): void {
    this.openSegment = {
      msn: this.nextMsn++,
      startMs,
      programDateTime: new Date(this.options.now()),
      discontinuity: this.pendingDiscontinuity,
      initName: this.initName,
      parts: [],
    };
    this.pendingDiscontinuity = false;
    // The preload hint names the new segment's first part now (nothing is complete yet: nobody to wake).
    this.revision_++;
    this.partStartMs = startMs;
    this.lastLeadDts = startMs;
  }

  private cutPart(endMs: number, final: boolean): void {
    const open = this.openSegment;
    const taken = this.tracks?.take(endMs, final);
    if (!open || !taken) return;
    const index = open.parts.length;
    open.parts.push({
      msn: open.msn,
      index,
      name: partName(open.msn, index),
      durationMs: Math.max(1, endMs - this.partStartMs),
      independent: taken.independent,
      data: taken.data,
    });
    this.partStartMs = endMs;
  }

  /** The publisher left or the stream ended: what is pending becomes the last part of the last segment. */
  private finishOpen(): void {
    if (!this.openSegment || !this.tracks) return;
    const end = this.tracks.pendingEndMs();
    if (end !== undefined) this.cutPart(Math.max(Math.round(end), this.partStartMs + 1), true);
    this.finishSegment(this.partStartMs);
  }

  private finishSegment(endMs: number): void {
    const open = this.openSegment;
    if (!open) return;
    this.openSegment = undefined;
    if (open.parts.length === 0) return;
    const segment: LlHlsSegment = {
      msn: open.msn,
      name: `seg-${open.msn}.m4s`,
      durationMs: Math.max(1, endMs - open.startMs),
      programDateTime: open.programDateTime,
      discontinuity: open.discontinuity,
      initName: open.initName,
      parts: open.parts,
      data: Buffer.concat(open.parts.map((p) => p.data)),
    };
    this.segments.push(segment);
    // Parts of older segments are listed nowhere any more: keep their bytes once, in the segment.
    const older = this.segments.length - 1 - PART_SEGMENTS_KEPT;
    if (older >= 0 && this.segments[older].parts.length > 0)
      this.segments[older] = { ...this.segments[older], parts: [] };
    this.maxSegmentMs = Math.max(this.maxSegmentMs, segment.durationMs);
    this.trimWindow();
  }

  private trimWindow(): void {
    let total = this.segments.reduce((sum, s) => sum + s.durationMs, 0);
    while (this.segments.length > 1 && total - this.segments[0].durationMs >= this.options.windowMs) {
      const removed = this.segments.shift()!;
      total -= removed.durationMs;
      if (removed.discontinuity) this.removedDiscontinuities++;
      this.retired.push(removed);
    }
    while (this.retired.length > RETIRED_SEGMENTS_KEPT) this.retired.shift();
    const used = new Set([...this.retired, ...this.segments].map((s) => s.initName));
    if (this.openSegment) used.add(this.openSegment.initName);
    used.add(this.initName);
    for (const name of this.inits.keys()) if (!used.has(name)) this.inits.delete(name);
  }
}

export function partName(msn: number, index: number): string {
  return `part-${msn}-${index}.m4s`;
}
