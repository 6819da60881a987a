import type { Logger } from 'pino';
import { type StreamKey, streamKeyId } from '../hub/stream-key.js';
import type { StreamRegistry } from '../hub/stream-registry.js';
import { DEFAULT_RESTART, type FfmpegJob, type FfmpegJobs } from '../jobs/index.js';
import { JpegFrameSplitter } from './jpeg-frames.js';
import { loopbackReadUrl } from './loopback-url.js';

export interface ThumbnailSettings {
  width: number;
  quality: number;
  idleStopMs: number;
  firstFrameTimeoutMs: number;
  maxStreams: number;
}

export interface ThumbnailsOptions {
  registry: StreamRegistry;
  jobs: FfmpegJobs;
  settings: ThumbnailSettings;
  loopbackRtmp: () => string | undefined;
  logger: Logger;
  now: () => number;
}

interface Snapshotter {
  job?: FfmpegJob;
  last?: Buffer;
  lastAskedAt: number;
  waiters: ((frame: Buffer | undefined) => void)[];
}

/** Why there is no snapshot (the API answers 404 / 503 with it). */
export type ThumbnailMiss = 'not-live' | 'busy' | 'no-rtmp' | 'timeout';

/**
 * JPEG snapshots of live streams, made only while someone asks: the first request of a stream starts a small
 * ffmpeg job reading it from the loopback RTMP listener that decodes keyframes only (`-skip_frame nokey`),
 * scales them down and writes JPEGs to a pipe; the last one is kept in memory. A stream nobody asked about for
 * `idleStopMs`, or that ended, stops its job.
 */
export class Thumbnails {
  private readonly streams = new Map<string, Snapshotter>();
  private sweeper?: NodeJS.Timeout;
  private unsubscribe?: () => void;

  constructor(private readonly options: ThumbnailsOptions) {}

  start(): void {
    this.unsubscribe = this.options.registry.onStream((event) => {
      if (event.type === 'unpublish') this.stop(streamKeyId(event.source.key));
    });
    this.sweeper = setInterval(() => this.sweep(), Math.max(500, this.options.settings.idleStopMs / 4));
    this.sweeper.unref();
  }

  configure(settings: ThumbnailSettings): void {
    this.options.settings = settings;
    for (const id of [...this.streams.keys()]) this.stop(id);
  }

  /** The latest snapshot of a live stream, waiting for the first one when its job has just started. */
  async snapshot(key: StreamKey): Promise<Buffer | ThumbnailMiss> {
    const source = this.options.registry.find(key);
    if (!source?.isPublishing || !source.track('video')) return 'not-live';
    const id = streamKeyId(key);
    let entry = this.streams.get(id);
    if (!entry) {
      if (this.streams.size >= this.options.settings.maxStreams) return 'busy';
      const base = this.options.loopbackRtmp();
      if (!base) return 'no-rtmp';
      entry = { lastAskedAt: this.options.now(), waiters: [] };
      this.streams.set(id, entry);
      this.launch(id, entry, key, base).catch((error) => {
        this.options.logger.warn(
          { stream: `/${key.app}/${key.stream}`, err: (error as Error).message },
          'no thumbnails',
        );
        this.stop(id);
      });
    }
    entry.lastAskedAt = this.options.now();
    if (entry.last) return entry.last;
    const waiting = entry;
    const frame = await new Promise<Buffer | undefined>((resolve) => {
      const timer = setTimeout(() => {
        waiting.waiters = waiting.waiters.filter((w) => w !== deliver);
        resolve(undefined);
      }, this.options.settings.firstFrameTimeoutMs);
      const deliver = (f: Buffer | undefined) => {
        clearTimeout(timer);
        resolve(f);
      };
      waiting.waiters.push(deliver);
    });
    return frame ?? 'timeout';
  }

  /** Streams making snapshots now. */
  get active(): number {
    return this.streams.size;
  }

  close(): void {
    this.unsubscribe?.();
    if (this.sweeper) clearInterval(this.sweeper);
    for (const id of [...this.streams.keys()]) this.stop(id);
  }

  private async launch(id: string, entry: Snapshotter, key: StreamKey, base: string): Promise<void> {
    const { width, quality } = this.options.settings;
    const splitter = new JpegFrameSplitter();
    const job = await this.options.jobs.start({
      kind: 'thumbnail',
      label: `thumbnails of /${key.app}/${key.stream}`,
      inputs: [{ url: loopbackReadUrl(base, key.app, key.stream), options: ['-skip_frame', 'nokey'] }],
      output: {
        pipe: true,
        // biome-ignore format: ffmpeg arguments read best as flag/value pairs
        options: [
          '-map', '0:v:0', '-an', '-vf', `scale=${width}:-2`, '-fps_mode', 'vfr',
          '-c:v', 'mjpeg', '-q:v', String(quality), '-f', 'image2pipe',
        ],
      },
      restart: DEFAULT_RESTART,
      onRunStart: () => splitter.reset(),
      onOutput: (chunk) => {
        for (const frame of splitter.push(chunk)) {
          entry.last = frame;
          for (const waiter of entry.waiters.splice(0)) waiter(frame);
        }
      },
    });
    if (this.streams.get(id) === entry) entry.job = job;
    else job.stop();
  }

  private stop(id: string): void {
    const entry = this.streams.get(id);
    if (!entry) return;
    this.streams.delete(id);
    entry.job?.stop();
    for (const waiter of entry.waiters.splice(0)) waiter(undefined);
  }

  private sweep(): void {
    const now = this.options.now();
    for (const [id, entry] of this.streams) {
      if (now - entry.lastAskedAt > this.options.settings.idleStopMs) this.stop(id);
    }
  }
}
