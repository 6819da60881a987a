import { tsFormatFor } from '../../formats/ts/from-packets.js';
import type { StreamKey } from '../../hub/stream-key.js';
import type { StreamSource } from '../../hub/stream-source.js';
import type { SharedPacket, WireFormat } from '../../hub/wire-format.js';
import { renderMediaPlaylist } from './hls-playlist.js';
import type { HlsSegment } from './hls-segment.js';

export interface HlsStreamOptions {
  fragmentMs: number;
  windowMs: number;
  now: () => number;
  /** Media sequence of the first segment: a playlist that replaces an ended one continues its numbering. */
  firstSequence?: number;
  /** Called for each finished segment (on_hls hook, disk mirror). */
  onSegment?: (stream: HlsStream, segment: HlsSegment) => void;
  /** Called when a segment leaves memory for good. */
  onSegmentExpired?: (stream: HlsStream, segment: HlsSegment) => void;
  onPlaylist?: (stream: HlsStream, playlist: string) => void;
}

interface OpenSegment {
  sequence: number;
  startDts: number;
  lastDts: number;
  /** Last frame of the cutting track (video, or audio when there is none) and the gap before it. */
  lastTrackDts: number;
  lastGap: number;
  programDateTime: Date;
  discontinuity: boolean;
  parts: Buffer[];
}

/** The encoding starts with a PAT (PID 0): a player can start decoding there (RFC 8216 section 3.2). */
function startsWithPat(bytes: Buffer): boolean {
  return bytes.length >= 188 && bytes[0] === 0x47 && (bytes.readUInt16BE(1) & 0x1fff) === 0;
}

/** Segments kept after leaving the playlist, for players still fetching them (RFC 8216 6.2.2). */
const RETIRED_SEGMENTS_KEPT = 3;

/**
 * The HLS segmenter of one stream name. It outlives a single publish: a publisher that reconnects continues the
 * same playlist after an EXT-X-DISCONTINUITY; when the publisher leaves the playlist gets EXT-X-ENDLIST.
 * Segments are cut on keyframes once the target duration is reached (audio-only: on a frame led by PAT + PMT).
 */
export class HlsStream {
  private segments: HlsSegment[] = [];
  private retired: HlsSegment[] = [];
  private open?: OpenSegment;
  private nextSequence = 0;
  private removedDiscontinuities = 0;
  private maxDurationMs = 0;
  private ended = false;
  private playlistCache?: string;
  private unsubscribe?: () => void;
  private pendingDiscontinuity = false;
  lastActivity: number;

  constructor(
    readonly key: StreamKey,
    private readonly options: HlsStreamOptions,
  ) {
    this.lastActivity = options.now();
    this.nextSequence = options.firstSequence ?? 0;
  }

  get isLive(): boolean {
    return this.unsubscribe !== undefined;
  }

  /** EXT-X-ENDLIST was written: this playlist never changes again (RFC 8216 6.2.1); a new publish gets a new one. */
  get hasEnded(): boolean {
    return this.ended;
  }

  /** The next media sequence number (a playlist replacing this one starts there). */
  get sequenceAfter(): number {
    return this.nextSequence;
  }

  attach(source: StreamSource): void {
    if (this.ended) throw new Error('an ended HLS playlist cannot be continued');
    const format = tsFormatFor(source);
    this.unsubscribe = source.subscribe({
      name: 'hls',
      onPacket: (shared) => this.onPacket(shared, format, source),
      onEnd: () => this.detach(),
      onPublisherChange: (publishing) => this.onPublisherChange(publishing),
      // A segmenter that failed ends this stream's playlist; other streams and outputs go on.
      onFault: () => this.detach(),
    });
  }

  /**
   * The publisher left: the segment so far is finished (no ENDLIST, the stream may go on). A new publisher
   * continues the playlist after one EXT-X-DISCONTINUITY (its timestamps and codec state are its own).
   */
  private onPublisherChange(publishing: boolean): void {
    if (publishing) {
      // Only when this playlist already holds media (a replacement playlist starts numbering above 0).
      if (this.nextSequence > (this.options.firstSequence ?? 0)) this.pendingDiscontinuity = true;
      return;
    }
    if (this.open) this.finish(Math.max(this.open.lastDts, this.open.lastTrackDts + this.open.lastGap));
    this.lastActivity = this.options.now();
  }

  /** The publisher left: close the last segment and end the playlist. */
  detach(): void {
    if (!this.unsubscribe) return;
    this.unsubscribe();
    this.unsubscribe = undefined;
    // The last frame lasts as long as the one before it.
    if (this.open) this.finish(Math.max(this.open.lastDts, this.open.lastTrackDts + this.open.lastGap));
    this.ended = true;
    this.lastActivity = this.options.now();
    this.changed();
  }

  playlist(): string {
    this.playlistCache ??= renderMediaPlaylist({
      segments: this.segments,
      discontinuitySequence: this.removedDiscontinuities + (this.segments[0]?.discontinuity ? 1 : 0),
      targetDurationSeconds: Math.max(1, Math.ceil(this.maxDurationMs / 1000)),
      ended: this.ended,
    });
    return this.playlistCache;
  }

  /** A segment by file name, while it is in the playlist or shortly after. */
  segment(name: string): HlsSegment | undefined {
    return this.segments.find((s) => s.name === name) ?? this.retired.find((s) => s.name === name);
  }

  get segmentCount(): number {
    return this.segments.length;
  }

  private onPacket(shared: SharedPacket, format: WireFormat, source: StreamSource): void {
    // Every packet goes through the shared muxer in order, even ones this segmenter skips.
    const bytes = shared.encoded(format);
    const p = shared.packet;
    if (p.kind === 'data' || p.sequenceHeader) return;
    const hasVideo = source.header('video') !== undefined;
    // Audio-only: cut where the muxer repeats PAT + PMT (twice a second), so every segment starts with them.
    const cutPoint = hasVideo ? p.kind === 'video' && p.keyframe : p.kind === 'audio' && startsWithPat(bytes);
    if (!this.open) {
      if (!cutPoint) return;
      this.start(p.dts);
    } else if (cutPoint && p.dts - this.open.startDts >= this.options.fragmentMs) {
      this.finish(p.dts);
      this.start(p.dts);
    }
    const open = this.open!;
    if (bytes.length > 0) open.parts.push(bytes);
    if (p.kind === (hasVideo ? 'video' : 'audio') && p.dts > open.lastTrackDts) {
      open.lastGap = p.dts - open.lastTrackDts;
      open.lastTrackDts = p.dts;
    }
    if (p.dts > open.lastDts) open.lastDts = p.dts;
    this.lastActivity = this.options.now();
  }

  private start(dts: number): void {
    this.open = {
      sequence: this.nextSequence++,
      startDts: dts,
      lastDts: dts,
      lastTrackDts: dts,
      lastGap: 33,
      programDateTime: new Date(this.options.now()),
      discontinuity: this.pendingDiscontinuity,
      parts: [],
    };
    this.pendingDiscontinuity = false;
  }

  private finish(endDts: number): void {
    const open = this.open;
    if (!open) return;
    this.open = undefined;
    const segment: HlsSegment = {
      sequence: open.sequence,
      name: `${this.key.stream}-${open.sequence}.ts`,
      durationMs: Math.max(1, endDts - open.startDts),
      programDateTime: open.programDateTime,
      discontinuity: open.discontinuity,
      data: Buffer.concat(open.parts),
    };
    this.segments.push(segment);
    this.maxDurationMs = Math.max(this.maxDurationMs, segment.durationMs);
    this.trimWindow();
    this.changed();
    this.options.onSegment?.(this, segment);
  }

  private trimWindow(): void {
    let total = this.segments.reduce((sum, s) => sum + s.durationMs, 0);
    while (this.segments.length > 1 && total - this.segments[0].durationMs >= this.options.windowMs) {
      const removed = this.segments.shift()!;
      total -= removed.durationMs;
      if (removed.discontinuity) this.removedDiscontinuities++;
      this.retired.push(removed);
    }
    while (this.retired.length > RETIRED_SEGMENTS_KEPT) {
      const expired = this.retired.shift()!;
      this.options.onSegmentExpired?.(this, expired);
    }
  }

  /** Every segment still held, for cleanup on disposal. */
  allSegments(): HlsSegment[] {
    return [...this.retired, ...this.segments];
  }

  private changed(): void {
    this.playlistCache = undefined;
    this.options.onPlaylist?.(this, this.playlist());
  }
}
