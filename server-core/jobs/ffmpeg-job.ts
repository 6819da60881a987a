import { PassThrough } from 'node:stream';
import ffmpeg from 'fluent-ffmpeg';
import type { Logger } from 'pino';
import { newContextId } from '../defs/context-id.js';
import { processUsage } from './process-usage.js';
import { StderrSummary } from './stderr-summary.js';

/** An input or output of one ffmpeg run: a URL/file, or the process's stdin/stdout. */
export type FfmpegEnd = { url: string; options?: readonly string[] } | { pipe: true; options?: readonly string[] };

export interface RestartPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  /** A run that lasted this long resets the delay to initialDelayMs. */
  healthyAfterMs: number;
}

export const DEFAULT_RESTART: RestartPolicy = { initialDelayMs: 1000, maxDelayMs: 30_000, healthyAfterMs: 10_000 };

/** At most this much may wait in a job's stdin: beyond it writes are refused (ffmpeg stalled, say). */
export const MAX_STDIN_BACKLOG_BYTES = 1024 * 1024;
/** A job asked to stop is killed outright after this long. */
const STOP_GRACE_MS = 2000;

export type JobState = 'starting' | 'running' | 'retrying' | 'stopped' | 'finished' | 'failed';

export interface JobProgress {
  frames?: number;
  fps?: number;
  kbps?: number;
  /** Media time ffmpeg has reached, as it prints it (`00:01:02.40`). */
  timemark?: string;
}

/** What the API and the app show of a job. */
export interface JobSnapshot {
  id: string;
  kind: string;
  label: string;
  state: JobState;
  pid?: number;
  startedAt: number;
  runs: number;
  lastError?: string;
  progress: JobProgress;
  cpuSeconds?: number;
  rssBytes?: number;
  stderrTail: readonly string[];
}

export interface FfmpegJobOptions {
  binary: string;
  /** What kind of job (`audio-transcode`, `virtual-live`, ...) and a line a person understands. */
  kind: string;
  label: string;
  inputs: readonly FfmpegEnd[];
  output: FfmpegEnd;
  /** More outputs of the same run (an ABR ladder: one encode per rendition, one process). */
  moreOutputs?: readonly { url: string; options?: readonly string[] }[];
  /** Restart after an exit nobody asked for (with growing delays); false: one run only. */
  restart: RestartPolicy | false;
  logger: Logger;
  now?: () => number;
  /** Bytes ffmpeg wrote to stdout (output `{ pipe: true }`). */
  onOutput?: (chunk: Buffer) => void;
  /** A new run started (fresh stdin/stdout: a stateful reader of the output resets here). */
  onRunStart?: () => void;
  onStateChange?: (state: JobState) => void;
}

/**
 * One supervised ffmpeg job run through fluent-ffmpeg: started, its progress and stderr followed, restarted with
 * backoff when it exits unasked (if allowed), killed on stop. Every log line carries the job's context id.
 */
export class FfmpegJob {
  readonly id = newContextId();
  private readonly log: Logger;
  private readonly now: () => number;
  private command?: ffmpeg.FfmpegCommand;
  private stdin?: PassThrough;
  private summary = new StderrSummary();
  private state_: JobState = 'starting';
  private runs = 0;
  private runStartedAt = 0;
  private delayMs: number;
  private retryTimer?: NodeJS.Timeout;
  private killTimer?: NodeJS.Timeout;
  private lastError?: string;
  private progress: JobProgress = {};
  private pid?: number;
  private stopping = false;
  private readonly startedAt: number;
  /** Writes refused because stdin was full or no run was up. */
  refusedWrites = 0;

  constructor(private readonly options: FfmpegJobOptions) {
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
    this.log = options.logger.child({ cid: this.id, job: options.kind });
    this.delayMs = options.restart ? options.restart.initialDelayMs : 0;
  }

  get state(): JobState {
    return this.state_;
  }

  start(): void {
    if (this.command || this.stopping) return;
    this.run();
  }

  /** Sends bytes to ffmpeg's stdin; false (and nothing queued) when no run is up or ffmpeg is not keeping up. */
  write(chunk: Buffer): boolean {
    const stdin = this.stdin;
    if (!stdin || this.state_ !== 'running' || stdin.writableLength > MAX_STDIN_BACKLOG_BYTES) {
      this.refusedWrites++;
      return false;
    }
    stdin.write(chunk);
    return true;
  }

  /** Ends the job: no restart, the process is asked to quit and killed if it lingers. Idempotent. */
  stop(): void {
    if (this.stopping) return;
    this.stopping = true;
    clearTimeout(this.retryTimer);
    const command = this.command;
    if (!command) {
      this.setState('stopped');
      return;
    }
    this.stdin?.end();
    command.kill('SIGTERM');
    this.killTimer = setTimeout(() => command.kill('SIGKILL'), STOP_GRACE_MS);
    this.killTimer.unref();
  }

  snapshot(): JobSnapshot {
    const usage = this.pid !== undefined && this.command ? processUsage(this.pid) : undefined;
    return {
      id: this.id,
      kind: this.options.kind,
      label: this.options.label,
      state: this.state_,
      pid: this.command ? this.pid : undefined,
      startedAt: this.startedAt,
      runs: this.runs,
      lastError: this.lastError,
      progress: this.progress,
      cpuSeconds: usage?.cpuSeconds,
      rssBytes: usage?.rssBytes,
      stderrTail: this.summary.lines(),
    };
  }

  private run(): void {
    this.runs++;
    this.runStartedAt = this.now();
    this.summary = new StderrSummary();
    this.progress = {};
    this.setState('starting');
    const command = ffmpeg().setFfmpegPath(this.options.binary);
    this.command = command;
    this.options.inputs.forEach((input, index) => {
      if ('pipe' in input) {
        this.stdin = new PassThrough();
        command.input(this.stdin);
      } else command.input(input.url);
      // -hide_banner is global: it must come before the first input to keep the banner out of the log.
      const options = [...(index === 0 ? ['-hide_banner'] : []), ...(input.options ?? [])];
      if (options.length) command.inputOptions(options);
    });
    const output = this.options.output;
    if ('pipe' in output) {
      const stdout = new PassThrough();
      stdout.on('data', (chunk: Buffer) => this.options.onOutput?.(chunk));
      command.output(stdout, { end: true });
    } else command.output(output.url);
    if (output.options?.length) command.outputOptions([...output.options]);
    // fluent-ffmpeg applies output options to the output added last.
    for (const more of this.options.moreOutputs ?? []) {
      command.output(more.url);
      if (more.options?.length) command.outputOptions([...more.options]);
    }
    command.on('start', (line: string) => {
      this.pid = (command as unknown as { ffmpegProc?: { pid?: number } }).ffmpegProc?.pid;
      this.log.info({ command: line }, `${this.options.label}: ffmpeg started`);
      this.setState('running');
      this.options.onRunStart?.();
    });
    command.on('stderr', (line: string) => {
      if (this.summary.add(line)) this.log.debug({ ffmpeg: line }, `${this.options.label}: ffmpeg says`);
    });
    command.on('progress', (p: { frames?: number; currentFps?: number; currentKbps?: number; timemark?: string }) => {
      this.progress = { frames: p.frames, fps: p.currentFps, kbps: p.currentKbps, timemark: p.timemark };
    });
    command.on('end', () => this.onExit(command, undefined));
    command.on('error', (error: Error) => this.onExit(command, error));
    command.run();
  }

  private onExit(command: ffmpeg.FfmpegCommand, error: Error | undefined): void {
    if (command !== this.command) return;
    this.command = undefined;
    this.stdin = undefined;
    clearTimeout(this.killTimer);
    if (this.stopping) {
      this.setState('stopped');
      return;
    }
    if (error) {
      this.lastError = this.summary.lastProblem ?? error.message.split('\n')[0];
      this.log.warn(
        { err: this.lastError, stderr: this.summary.lines().slice(-5) },
        `${this.options.label}: ffmpeg failed`,
      );
    } else this.log.info(`${this.options.label}: ffmpeg finished`);
    const restart = this.options.restart;
    if (!restart) {
      this.setState(error ? 'failed' : 'finished');
      return;
    }
    if (this.now() - this.runStartedAt >= restart.healthyAfterMs) this.delayMs = restart.initialDelayMs;
    const delay = this.delayMs;
    this.delayMs = Math.min(restart.maxDelayMs, this.delayMs * 2);
    this.setState('retrying');
    this.retryTimer = setTimeout(() => {
      if (!this.stopping) this.run();
    }, delay);
    this.retryTimer.unref();
  }

  private setState(state: JobState): void {
    if (this.state_ === state) return;
    this.state_ = state;
    this.options.onStateChange?.(state);
  }
}
