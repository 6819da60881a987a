import type { MediaFile, MediaFileAnswer } from '../../defs/media-file.js';
import { canSkipUntilSeconds, renderLlHlsPlaylist } from './ll-hls-playlist.js';
import { parseLlHlsRequest } from './ll-hls-request.js';
import type { LlHlsStream } from './ll-hls-stream.js';
import type { LlHlsWaiters } from './ll-hls-waiters.js';

export interface LlHlsResponderOptions {
  /** Longest a blocking request is held (never longer than three target durations, RFC 8216bis 6.2.5.2). */
  blockingWaitMs: number;
  /** Finished segments (from the end) whose parts the playlist still lists. */
  partsForLastSegments: number;
}

/** Parts within a segment a blocking request may ask ahead of the last one (RFC 8216bis 6.2.5.2). */
const ADVANCE_PART_LIMIT = 3;
/** Segments a blocking request may ask ahead of the last one. */
const ADVANCE_SEGMENT_LIMIT = 2;

const PLAYLIST_TYPE = 'application/vnd.apple.mpegurl';
const text = (status: number, body: string): MediaFile => ({
  status,
  body: `${body}\n`,
  contentType: 'text/plain; charset=utf-8',
  cacheControl: 'no-cache',
});

/**
 * Answers one stream's `index.m3u8` (blocking reload `_HLS_msn`/`_HLS_part`, delta update `_HLS_skip`) and the
 * preload-hinted part: the HTTP side of LL-HLS, over the segmenter's state.
 */
export class LlHlsResponder {
  private readonly cache = new Map<boolean, { revision: number; file: MediaFile }>();

  constructor(
    private readonly stream: LlHlsStream,
    private readonly waiters: LlHlsWaiters,
    private readonly options: LlHlsResponderOptions,
  ) {}

  playlist(query: URLSearchParams): MediaFileAnswer | undefined {
    const stream = this.stream;
    if (stream.windowSegments.length === 0 && (stream.open?.parts.length ?? 0) === 0) return undefined;
    const lowLatency = stream.partMs > 0;
    const request = lowLatency ? parseLlHlsRequest(query) : { skip: false };
    if ('error' in request) return text(400, request.error);
    const render = () => this.render(lowLatency && request.skip);
    const { msn, part } = request;
    if (msn === undefined || stream.ended) return render();
    const lastMsn = stream.open?.msn ?? stream.lastFinishedMsn;
    if (msn > lastMsn + ADVANCE_SEGMENT_LIMIT) return text(400, `_HLS_msn ${msn} is too far ahead of ${lastMsn}`);
    const open = stream.open;
    if (part !== undefined && open?.msn === msn && part > open.parts.length - 1 + ADVANCE_PART_LIMIT) {
      return text(400, `_HLS_part ${part} is too far ahead of ${open.parts.length - 1}`);
    }
    const ready = () => {
      const now = stream.open;
      const done =
        stream.ended ||
        stream.lastFinishedMsn >= msn ||
        (part !== undefined && now !== undefined && (now.msn > msn || (now.msn === msn && now.parts.length > part)));
      return done ? render() : undefined;
    };
    return this.waiters.wait(
      ready,
      this.waitMs(),
      () => text(503, 'the requested part did not appear in time'),
      () => text(503, 'too many blocked playlist requests'),
    );
  }

  /** A part by index; the next one (the preload hint) is held until it exists. */
  part(msn: number, index: number): MediaFileAnswer | undefined {
    const stream = this.stream;
    const file = (): MediaFile | undefined => {
      const part = stream.part(msn, index);
      return part ? { body: part.data, contentType: 'video/mp4', cacheControl: 'max-age=60' } : undefined;
    };
    const now = file();
    if (now) return now;
    const open = stream.open;
    if (!open || open.msn !== msn || index !== open.parts.length) return undefined;
    const ready = () => {
      const found = file();
      if (found) return found;
      // The segment ended before this part was cut: it never will be.
      if (stream.ended || stream.open?.msn !== msn) return text(404, 'no such part');
      return undefined;
    };
    return this.waiters.wait(
      ready,
      this.waitMs(),
      () => text(503, 'the part did not appear in time'),
      () => text(503, 'too many blocked part requests'),
    );
  }

  private waitMs(): number {
    return Math.min(this.options.blockingWaitMs, 3 * this.stream.targetDurationSeconds * 1000);
  }

  /** Every held request of a stream is answered at the same change: the playlist is rendered once per revision. */
  private render(skip: boolean): MediaFile {
    const cached = this.cache.get(skip);
    if (cached?.revision === this.stream.revision) return cached.file;
    const file = this.renderNow(skip);
    this.cache.set(skip, { revision: this.stream.revision, file });
    return file;
  }

  private renderNow(skip: boolean): MediaFile {
    const stream = this.stream;
    const target = stream.targetDurationSeconds;
    const body = renderLlHlsPlaylist({
      segments: stream.windowSegments,
      open: stream.open,
      discontinuitySequence: stream.discontinuitySequence,
      targetDurationSeconds: target,
      ended: stream.ended,
      lowLatency:
        stream.partMs > 0
          ? {
              partTargetSeconds: stream.partMs / 1000,
              partsForLastSegments: this.options.partsForLastSegments,
              preloadHint: stream.nextPartName,
              skipSegments: skip ? this.skippable(canSkipUntilSeconds(target) * 1000) : 0,
            }
          : undefined,
    });
    return { body, contentType: PLAYLIST_TYPE, cacheControl: 'no-cache' };
  }

  /** Leading segments that end at least `untilMs` before the end of the playlist (the skip boundary). */
  private skippable(untilMs: number): number {
    const segments = this.stream.windowSegments;
    const openMs = (this.stream.open?.parts ?? []).reduce((sum, p) => sum + p.durationMs, 0);
    let remaining = segments.reduce((sum, s) => sum + s.durationMs, 0) + openMs;
    let count = 0;
    for (const segment of segments) {
      remaining -= segment.durationMs;
      if (remaining < untilMs) break;
      count++;
    }
    return count;
  }
}
