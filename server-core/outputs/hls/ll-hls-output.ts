import type { MediaFileAnswer, MediaFileProvider } from '../../defs/media-file.js';
import { streamKeyId } from '../../hub/stream-key.js';
import type { StreamRegistry } from '../../hub/stream-registry.js';
import type { StreamSource } from '../../hub/stream-source.js';
import { LlHlsResponder } from './ll-hls-responder.js';
import { LlHlsStream } from './ll-hls-stream.js';
import { LlHlsWaiters } from './ll-hls-waiters.js';

export interface LlHlsOutputOptions {
  registry: StreamRegistry;
  vhost: string;
  fragmentMs: number;
  windowMs: number;
  disposeMs: number;
  /** Parts (LL-HLS) on or off; off leaves a plain fMP4 playlist. */
  lowLatency: boolean;
  partMs: number;
  blockingWaitMs: number;
  /** Blocked requests held per stream at most. */
  maxBlockedRequests: number;
  now: () => number;
}

const SWEEP_INTERVAL_MS = 5_000;
/** Finished segments whose parts stay listed: players joining at PART-HOLD-BACK find their parts there. */
const PARTS_FOR_LAST_SEGMENTS = 2;
export const LL_HLS_PLAYLIST = 'index.m3u8';

interface Entry {
  stream: LlHlsStream;
  responder: LlHlsResponder;
  waiters: LlHlsWaiters;
}

/**
 * HLS over fMP4 with low-latency parts for every published stream, beside the TS HLS output: everything lives
 * in a folder named after the stream, `/{app}/{stream}/index.m3u8`, `init-N.mp4`, `seg-N.m4s`, `part-N-I.m4s`.
 */
export class LlHlsOutput implements MediaFileProvider {
  private readonly streams = new Map<string, Entry>();
  private unsubscribe?: () => void;
  private sweeper?: NodeJS.Timeout;

  constructor(private readonly options: LlHlsOutputOptions) {}

  start(): void {
    this.unsubscribe = this.options.registry.onStream((event) => {
      if (event.type === 'publish') this.begin(event.source);
    });
    // Switched on at run time: streams already live get their playlist from their next keyframe.
    for (const source of this.options.registry.list()) this.begin(source);
    this.sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  /** Config reload: applies to streams published from now on (held requests keep their wait). */
  configure(change: Omit<LlHlsOutputOptions, 'registry' | 'vhost' | 'now'>): void {
    Object.assign(this.options, change);
  }

  find(app: string, stream: string): LlHlsStream | undefined {
    return this.streams.get(streamKeyId({ vhost: this.options.vhost, app, stream }))?.stream;
  }

  /** `app` is `{app}/{stream}` here: the stream's files sit in a folder of their own. */
  file(folder: string, fileName: string, query: URLSearchParams): MediaFileAnswer | undefined {
    const slash = folder.lastIndexOf('/');
    if (slash <= 0) return undefined;
    const entry = this.streams.get(
      streamKeyId({ vhost: this.options.vhost, app: folder.slice(0, slash), stream: folder.slice(slash + 1) }),
    );
    if (!entry) return undefined;
    const { stream, responder } = entry;
    if (fileName === LL_HLS_PLAYLIST) return responder.playlist(query);
    if (/^init-\d+\.mp4$/.test(fileName)) {
      const body = stream.init(fileName);
      return body ? { body, contentType: 'video/mp4', cacheControl: 'max-age=3600' } : undefined;
    }
    const segment = /^seg-(\d+)\.m4s$/.exec(fileName);
    if (segment) {
      const body = stream.segment(Number(segment[1]))?.data;
      return body ? { body, contentType: 'video/mp4', cacheControl: 'max-age=3600' } : undefined;
    }
    const part = /^part-(\d+)-(\d+)\.m4s$/.exec(fileName);
    return part ? responder.part(Number(part[1]), Number(part[2])) : undefined;
  }

  close(): void {
    this.unsubscribe?.();
    if (this.sweeper) clearInterval(this.sweeper);
    for (const { stream, waiters } of this.streams.values()) {
      stream.detach();
      waiters.releaseAll();
    }
  }

  private begin(source: StreamSource): void {
    const previous = this.streams.get(source.id);
    previous?.stream.detach();
    previous?.waiters.releaseAll();
    const { options } = this;
    const waiters = new LlHlsWaiters(() => this.options.maxBlockedRequests);
    // A new publish after the end continues the numbering: no segment, part or init name is ever reused.
    const stream = new LlHlsStream(source.key, {
      fragmentMs: options.fragmentMs,
      partMs: options.lowLatency ? options.partMs : 0,
      windowMs: options.windowMs,
      now: options.now,
      after: previous?.stream.numbering,
      onChange: () => waiters.poke(),
    });
    const responder = new LlHlsResponder(stream, waiters, {
      blockingWaitMs: options.blockingWaitMs,
      partsForLastSegments: PARTS_FOR_LAST_SEGMENTS,
    });
    this.streams.set(source.id, { stream, responder, waiters });
    stream.attach(source);
  }

  /** Drops ended playlists nobody republished within `disposeMs`. */
  private sweep(): void {
    const now = this.options.now();
    for (const [id, { stream, waiters }] of this.streams) {
      if (!stream.isLive && now - stream.lastActivity > this.options.disposeMs) {
        waiters.releaseAll();
        this.streams.delete(id);
      }
    }
  }
}
