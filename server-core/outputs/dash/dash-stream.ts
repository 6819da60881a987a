import { Fmp4Error, isFmp4Codec, writeMediaSegment } from '../../codec/fmp4/index.js';
import type { StreamKey } from '../../hub/stream-key.js';
import type { StreamSource } from '../../hub/stream-source.js';
import type { SharedPacket } from '../../hub/wire-format.js';
import { renderManifest } from './dash-manifest.js';
import type { DashSegment } from './dash-segment.js';
import { DashTrack } from './dash-track.js';

export interface DashStreamOptions {
  fragmentMs: number;
  windowMs: number;
  now: () => number;
}

const RETIRED_SEGMENTS_KEPT = 3;

/**
 * MPEG-DASH of one publish: fMP4 init segments per track, then a fragment per track at every cut (a video
 * keyframe past the target duration; audio-only: the target duration), kept in a sliding window.
 */
export class DashStream {
  private tracks: DashTrack[] = [];
  private segments: DashSegment[] = [];
  private retired: DashSegment[] = [];
  private startMs?: number;
  private nextNumber = 1;
  private availabilityStart?: Date;
  private ended = false;
  private resumed = false;
  private unsubscribe?: () => void;
  private bytes = { video: 0, audio: 0 };
  lastActivity: number;

  constructor(
    readonly key: StreamKey,
    private readonly options: DashStreamOptions,
  ) {
    this.lastActivity = options.now();
  }

  get isLive(): boolean {
    return this.unsubscribe !== undefined;
  }

  get segmentCount(): number {
    return this.segments.length;
  }

  attach(source: StreamSource): void {
    this.detach();
    this.tracks = [];
    this.segments = [];
    this.retired = [];
    this.startMs = undefined;
    this.ended = false;
    this.unsubscribe = source.subscribe({
      name: 'dash',
      onPacket: (p) => this.onPacket(p, source),
      onEnd: () => this.detach(),
      onPublisherChange: (publishing) => this.onPublisherChange(publishing),
      // A segmenter that failed ends this stream's MPD; other streams and outputs go on.
      onFault: () => this.detach(),
    });
  }

  /** The publisher left (or the output closes): what is pending becomes the last segment of a static MPD. */
  detach(): void {
    if (!this.unsubscribe) return;
    this.unsubscribe();
    this.unsubscribe = undefined;
    this.cutFinal();
    this.ended = true;
    this.lastActivity = this.options.now();
  }

  /**
   * The publisher left: what is pending becomes a segment (the MPD stays dynamic, the stream may go on). A new
   * publisher continues the same timeline, so players keep playing. A new
   * publisher with a different codec configuration cannot reuse the init segments: the MPD then starts over.
   */
  private onPublisherChange(publishing: boolean): void {
    if (!publishing) {
      // The next segment starts where this one ends: the timeline stays contiguous (dash.js stalls on a
      // timeline gap) and the pause sits inside that segment, where players jump the hole in their buffer.
      this.cutFinal();
      this.lastActivity = this.options.now();
      return;
    }
    this.resumed = true;
  }

  /** After a resume: whether the new publisher's headers still fit the init segments. */
  private sameConfiguration(source: StreamSource): boolean {
    return this.tracks.every((t) => source.header(t.id)?.packet.payload.equals(t.header.payload) === true);
  }

  /** Rendered per request: publishTime and UTCTiming carry the current server time. */
  manifest(): string | undefined {
    if (this.segments.length === 0 || !this.availabilityStart) return undefined;
    return renderManifest({
      stream: this.key.stream,
      tracks: this.tracks,
      segments: this.segments,
      availabilityStartTime: this.availabilityStart,
      publishTime: new Date(this.options.now()),
      fragmentMs: this.options.fragmentMs,
      windowMs: this.options.windowMs,
      ended: this.ended,
      bandwidth: this.bandwidth(),
    });
  }

  init(id: string): Buffer | undefined {
    return this.tracks.find((t) => t.id === id)?.init;
  }

  media(id: string, number: number): Buffer | undefined {
    const segment = this.segments.find((s) => s.number === number) ?? this.retired.find((s) => s.number === number);
    return segment?.media.get(id as 'video' | 'audio')?.data;
  }

  private onPacket(shared: SharedPacket, source: StreamSource): void {
    const p = shared.packet;
    if (p.kind === 'data' || p.sequenceHeader) return;
    if (this.resumed) {
      this.resumed = false;
      if (!this.sameConfiguration(source)) this.restart();
    }
    if (this.tracks.length === 0) {
      const hasVideo = source.header('video') !== undefined;
      if (hasVideo ? !(p.kind === 'video' && p.keyframe) : p.kind !== 'audio') return;
      this.tracks = this.makeTracks(source);
      if (this.tracks.length === 0) return;
      this.startMs = p.dts;
      // Media time 0 is the first frame; the MPD's clock starts when it arrived.
      this.availabilityStart = new Date(this.options.now() - p.dts);
    }
    const track = this.tracks.find((t) => t.id === p.kind);
    if (!track) return;
    this.startMs ??= p.dts;
    const start = this.startMs;
    const hasVideo = this.tracks.some((t) => t.id === 'video');
    const cut = hasVideo ? p.kind === 'video' && p.keyframe : p.kind === 'audio';
    // Every segment number must exist on every track ($Number$ counts S entries per track): never cut while a
    // track has nothing pending (the audio a new publisher sends before its first keyframe, after a blip).
    const everyTrackHasSamples = this.tracks.every((t) => t.pendingEndMs() !== undefined);
    if (cut && everyTrackHasSamples && p.dts - start >= this.options.fragmentMs) this.cut(p.dts);
    track.add(p);
    this.lastActivity = this.options.now();
  }

  /** New init segments are needed: a new presentation (players reload it). */
  private restart(): void {
    this.tracks = [];
    this.segments = [];
    this.retired = [];
    this.startMs = undefined;
    this.availabilityStart = undefined;
  }

  /** A representation per header fMP4 can carry (H.264, HEVC, AV1; AAC, Opus); others are left out. */
  private makeTracks(source: StreamSource): DashTrack[] {
    const tracks: DashTrack[] = [];
    for (const header of [source.header('video')?.packet, source.header('audio')?.packet]) {
      if (!header || !isFmp4Codec(header.codec)) continue;
      try {
        tracks.push(new DashTrack(header));
      } catch (error) {
        if (!(error instanceof Fmp4Error)) throw error;
      }
    }
    return tracks;
  }

  /** The samples after the last cut, up to where the last of them ends, as one more (shorter) segment. */
  private cutFinal(): void {
    const ends = this.tracks.map((t) => t.pendingEndMs()).filter((end): end is number => end !== undefined);
    if (ends.length === 0 || this.startMs === undefined) return;
    const endMs = Math.round(Math.max(...ends));
    if (endMs > this.startMs) this.cut(endMs);
  }

  private cut(endMs: number): void {
    const startMs = this.startMs ?? endMs;
    const segment: DashSegment = { number: this.nextNumber++, startMs, endMs, media: new Map() };
    for (const track of this.tracks) {
      const fragment = track.take(endMs);
      if (!fragment) continue;
      const data = writeMediaSegment(segment.number, [fragment]);
      // The timeline tiles exactly: each segment spans [startMs, endMs) on every track.
      const t = track.toTimescale(startMs);
      segment.media.set(track.id, { t, d: track.toTimescale(endMs) - t, data });
      this.bytes[track.id] += data.length;
    }
    this.startMs = endMs;
    this.segments.push(segment);
    while (this.segments.length > 1 && endMs - this.segments[0].endMs >= this.options.windowMs) {
      this.retired.push(this.segments.shift()!);
      if (this.retired.length > RETIRED_SEGMENTS_KEPT) this.retired.shift();
    }
  }

  private bandwidth(): Record<'video' | 'audio', number> {
    const spanMs = Math.max(
      1,
      (this.segments[this.segments.length - 1]?.endMs ?? 0) - (this.segments[0]?.startMs ?? 0),
    );
    const inWindow = { video: 0, audio: 0 };
    for (const s of this.segments) for (const [id, m] of s.media) inWindow[id] += m.data.length;
    return { video: (inWindow.video * 8000) / spanMs, audio: (inWindow.audio * 8000) / spanMs };
  }
}
