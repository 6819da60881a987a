import type { Logger } from 'pino';
import { DEFAULT_RESTART, type FfmpegJob, type FfmpegJobs, type JobSnapshot, probeInputCodecs } from '../jobs/index.js';
import { loopbackRtmpUrl } from './loopback-url.js';
import {
  isLiveInput,
  type VirtualLiveSource,
  virtualLiveInputOptions,
  virtualLiveOutputOptions,
} from './virtual-live-args.js';

export interface VirtualLiveOptions {
  jobs: FfmpegJobs;
  sources: readonly VirtualLiveSource[];
  /** `rtmp://127.0.0.1:1935` of the running RTMP listener; undefined while RTMP is off. */
  loopbackRtmp: () => string | undefined;
  publishSecret: string;
  logger: Logger;
}

/** A source as the API and the app show it. */
export interface VirtualLiveState extends VirtualLiveSource {
  running: boolean;
  job?: JobSnapshot;
}

const PROBE_TIMEOUT_MS = 10_000;
const AUDIO_KBPS = 128;

/** Why a virtual-live source cannot start (the API answers 404/409 with it). */
export class VirtualLiveError extends Error {
  override readonly name = 'VirtualLiveError';
  constructor(
    readonly reason: 'unknown' | 'no-rtmp',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Virtual live (SRS ingest, Oryx virtual live): a file or URL read by ffmpeg and published to this server's own
 * RTMP listener, so the stream is like any other (every protocol, HLS, DVR, hooks). Started and stopped from the
 * app or the API; `autostart` sources start with the server.
 */
export class VirtualLive {
  private readonly running = new Map<string, FfmpegJob>();
  private readonly starting = new Map<string, Promise<void>>();
  private closed = false;

  constructor(private readonly options: VirtualLiveOptions) {}

  start(): void {
    for (const source of this.options.sources) {
      if (source.autostart) this.startSource(source.name).catch((error) => this.logStartFailure(source, error));
    }
  }

  /** New sources and secret: removed or changed sources stop, new autostart sources start. */
  configure(sources: readonly VirtualLiveSource[], publishSecret: string): void {
    const before = new Map(this.options.sources.map((s) => [s.name, JSON.stringify(s)]));
    const secretChanged = publishSecret !== this.options.publishSecret;
    this.options.sources = sources;
    this.options.publishSecret = publishSecret;
    for (const name of [...this.running.keys()]) {
      const now = sources.find((s) => s.name === name);
      if (!now || secretChanged || before.get(name) !== JSON.stringify(now)) this.stopSource(name);
    }
    for (const source of sources) {
      if (source.autostart && !this.running.has(source.name)) {
        this.startSource(source.name).catch((error) => this.logStartFailure(source, error));
      }
    }
  }

  list(): VirtualLiveState[] {
    return this.options.sources.map((source) => {
      const job = this.running.get(source.name);
      return { ...source, running: job !== undefined, job: job?.snapshot() };
    });
  }

  /** Starts a source (idempotent while it runs). */
  async startSource(name: string): Promise<void> {
    if (this.running.has(name)) return;
    const pending = this.starting.get(name);
    if (pending) return pending;
    const promise = this.launch(name).finally(() => this.starting.delete(name));
    this.starting.set(name, promise);
    return promise;
  }

  stopSource(name: string): boolean {
    const job = this.running.get(name);
    if (!job) return false;
    this.running.delete(name);
    job.stop();
    return true;
  }

  close(): void {
    this.closed = true;
    for (const name of [...this.running.keys()]) this.stopSource(name);
  }

  private async launch(name: string): Promise<void> {
    const source = this.options.sources.find((s) => s.name === name);
    if (!source) throw new VirtualLiveError('unknown', `no virtual-live source "${name}"`);
    const base = this.options.loopbackRtmp();
    if (!base) throw new VirtualLiveError('no-rtmp', 'virtual live publishes over RTMP: turn the RTMP listener on');
    const binary = await this.options.jobs.ffmpeg();
    const codecs = source.mode === 'auto' ? await probeInputCodecs(binary.path, source.input, PROBE_TIMEOUT_MS) : {};
    if (this.closed) return;
    // A file or HTTP URL played once ends the stream; a loop or a live URL that drops starts again (backoff).
    const restart = source.loop || isLiveInput(source.input);
    let job: FfmpegJob | undefined;
    job = await this.options.jobs.start({
      kind: 'virtual-live',
      label: `virtual live ${source.name} → /${source.app}/${source.stream}`,
      inputs: [{ url: source.input, options: virtualLiveInputOptions(source) }],
      output: {
        url: loopbackRtmpUrl(base, source.app, source.stream, this.options.publishSecret || undefined),
        options: virtualLiveOutputOptions(source, codecs, AUDIO_KBPS),
      },
      restart: restart ? DEFAULT_RESTART : false,
      onStateChange: (state) => {
        if ((state === 'finished' || state === 'failed') && this.running.get(name) === job) this.running.delete(name);
      },
    });
    if (this.closed) job.stop();
    else this.running.set(name, job);
  }

  private logStartFailure(source: VirtualLiveSource, error: unknown): void {
    this.options.logger.warn({ source: source.name, err: (error as Error).message }, 'virtual live did not start');
  }
}
