import type { Logger } from 'pino';
import { type FfmpegBinary, type FfmpegSearch, findFfmpeg } from './ffmpeg-binary.js';
import { FfmpegJob, type FfmpegJobOptions, type JobSnapshot } from './ffmpeg-job.js';

/** No usable ffmpeg: the message says what to install or set. */
export class FfmpegMissingError extends Error {
  override readonly name = 'FfmpegMissingError';
}

/**
 * Every ffmpeg job of the server: finds ffmpeg once (on first use), starts jobs, lists them for the API, stops
 * them all when the server closes.
 */
export class FfmpegJobs {
  private binary?: Promise<FfmpegBinary | { problem: string }>;
  private readonly jobs = new Set<FfmpegJob>();
  private closed = false;

  constructor(
    private search: FfmpegSearch,
    private readonly logger: Logger,
  ) {}

  /** A new `ffmpeg.path`: the next job looks again (running jobs keep the ffmpeg they started with). */
  configure(search: FfmpegSearch): void {
    this.search = search;
    this.binary = undefined;
  }

  /** The ffmpeg in use; throws FfmpegMissingError (logged once) when there is none. */
  async ffmpeg(): Promise<FfmpegBinary> {
    if (!this.binary) {
      this.binary = findFfmpeg(this.search);
      const found = await this.binary;
      if ('problem' in found) this.logger.warn(found.problem);
      else this.logger.info({ path: found.path, version: found.version, source: found.source }, 'ffmpeg found');
    }
    const found = await this.binary;
    if ('problem' in found) throw new FfmpegMissingError(found.problem);
    return found;
  }

  /** Starts a job with the server's ffmpeg; it leaves the list when it stops or ends. */
  async start(options: Omit<FfmpegJobOptions, 'binary' | 'logger'>): Promise<FfmpegJob> {
    const binary = await this.ffmpeg();
    if (this.closed) throw new Error('server closing');
    const onStateChange = options.onStateChange;
    const job: FfmpegJob = new FfmpegJob({
      ...options,
      binary: binary.path,
      logger: this.logger,
      onStateChange: (state) => {
        if (state === 'stopped' || state === 'finished' || state === 'failed') this.jobs.delete(job);
        onStateChange?.(state);
      },
    });
    this.jobs.add(job);
    job.start();
    return job;
  }

  list(): JobSnapshot[] {
    return [...this.jobs].map((job) => job.snapshot());
  }

  close(): void {
    this.closed = true;
    for (const job of this.jobs) job.stop();
    this.jobs.clear();
  }
}
