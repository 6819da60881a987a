import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Logger } from 'pino';
import { type StreamKey, streamKeyId } from '../../hub/stream-key.js';
import type { StreamRegistry } from '../../hub/stream-registry.js';
import type { StreamSource } from '../../hub/stream-source.js';
import type { ContainerWriter } from './container-writer.js';
import type { DvrErrorCode } from './dvr-error.js';
import { DvrError } from './dvr-error.js';
import type { DvrFileSystem } from './dvr-file-system.js';
import { type CloseReason, DvrRecorder, type RecordedFile } from './dvr-recorder.js';
import { FlvContainerWriter } from './flv-container-writer.js';
import { Fmp4ContainerWriter } from './fmp4-container-writer.js';
import { expandPathTemplate } from './path-template.js';

export interface DvrOutputOptions {
  registry: StreamRegistry;
  vhost: string;
  /** Folder recordings go into. */
  dir: string;
  /** Path below `dir`, SRS variables allowed; the extension is added by the format. */
  pathTemplate: string;
  format: 'mp4' | 'flv';
  plan: 'session' | 'segment';
  segmentMs: number;
  /** Record every stream as soon as it is published. */
  recordAll: boolean;
  minFreeBytes: number;
  logger: Logger;
  now: () => number;
  /** The file system recordings are written to; defaults to the real one (tests inject faults). */
  fs?: DvrFileSystem;
  /** on_dvr hook point: a file was closed (and kept: it decodes to its end). */
  onFileClosed?: (file: RecordedFile, reason: CloseReason) => void;
}

export interface StreamRecordingState {
  app: string;
  stream: string;
  /** Asked to record (per stream toggle, or record-all). */
  enabled: boolean;
  /** A file is being written now. */
  recording: boolean;
  file?: string;
  startedAt?: number;
  bytes?: number;
  error?: string;
  /** The error's stable code (see dvr-error.ts). */
  errorCode?: DvrErrorCode;
}

const MAX_LISTED = 1000;

/**
 * DVR: which streams are recorded (per-stream toggles, "record every new stream"), their recorders, and the list
 * of files made. Recording follows the toggle at runtime without touching the stream.
 */
/** Streams that may be marked for recording at once (most of them typically not live). */
export const MAX_RECORDING_REQUESTS = 1000;

export class DvrOutput {
  recordAll: boolean;
  private readonly wanted = new Set<string>();
  private readonly recorders = new Map<string, DvrRecorder>();
  private readonly errors = new Map<string, { code: DvrErrorCode; message: string }>();
  private readonly files: RecordedFile[] = [];
  private unsubscribe?: () => void;

  constructor(private readonly options: DvrOutputOptions) {
    this.recordAll = options.recordAll;
  }

  start(): void {
    this.unsubscribe = this.options.registry.onStream((event) => {
      const id = event.source.id;
      if (event.type === 'publish' && (this.recordAll || this.wanted.has(id))) this.startRecorder(event.source);
      if (event.type === 'unpublish') {
        const recorder = this.recorders.get(id);
        void recorder?.stop('unpublished').then(() => {
          if (this.recorders.get(id) === recorder) this.recorders.delete(id);
        });
      }
    });
  }

  /** Config reload: folder, format and plan apply to the next file; record-all to the next publish. */
  configure(
    change: Pick<
      DvrOutputOptions,
      'dir' | 'pathTemplate' | 'format' | 'plan' | 'segmentMs' | 'minFreeBytes' | 'recordAll'
    >,
  ): void {
    Object.assign(this.options, change);
    this.recordAll = change.recordAll;
  }

  /** Turns recording of one stream on or off; the stream need not be live yet. */
  async setRecording(app: string, stream: string, enabled: boolean): Promise<StreamRecordingState> {
    const key: StreamKey = { vhost: this.options.vhost, app, stream };
    const id = streamKeyId(key);
    if (enabled) {
      // Names of streams that may never be published are kept: bound how many, so the API cannot grow memory.
      if (!this.wanted.has(id) && this.wanted.size >= MAX_RECORDING_REQUESTS) {
        throw new DvrError(
          'DVR_TOO_MANY',
          `at most ${MAX_RECORDING_REQUESTS} streams can be marked for recording; turn some off first`,
        );
      }
      this.wanted.add(id);
      this.errors.delete(id);
      const source = this.options.registry.find(key);
      if (source && !this.recorders.has(id)) this.startRecorder(source);
    } else {
      this.wanted.delete(id);
      const recorder = this.recorders.get(id);
      this.recorders.delete(id);
      await recorder?.stop();
    }
    return this.state(key);
  }

  state(key: StreamKey): StreamRecordingState {
    const id = streamKeyId(key);
    const current = this.recorders.get(id)?.state;
    return {
      app: key.app,
      stream: key.stream,
      enabled: this.wanted.has(id) || (this.recordAll && this.recorders.has(id)),
      recording: current?.recording ?? false,
      file: current?.file,
      startedAt: current?.start,
      bytes: current?.size,
      error: this.errors.get(id)?.message,
      errorCode: this.errors.get(id)?.code,
    };
  }

  /** Every live stream's recording state plus streams that failed. */
  states(): StreamRecordingState[] {
    const keys = new Map<string, StreamKey>();
    for (const source of this.options.registry.list()) keys.set(source.id, source.key);
    for (const id of [...this.wanted, ...this.errors.keys()]) {
      if (!keys.has(id)) {
        const [vhost, app, ...rest] = id.split('/');
        keys.set(id, { vhost, app, stream: rest.join('/') });
      }
    }
    return [...keys.values()].map((key) => this.state(key));
  }

  /**
   * Files made by this run (with exact durations) plus older files found in the folder (duration 0: unknown).
   * Newest first.
   */
  async recordings(): Promise<RecordedFile[]> {
    const known = new Map<string, RecordedFile>();
    for (const file of this.files) known.set(file.file, file);
    for (const recorder of this.recorders.values()) {
      const state = recorder.state;
      if (state) known.set(state.file, state);
    }
    for (const found of await this.scan()) if (!known.has(found.file)) known.set(found.file, found);
    return [...known.values()].sort((a, b) => b.start - a.start).slice(0, MAX_LISTED);
  }

  async close(): Promise<void> {
    this.unsubscribe?.();
    await Promise.all([...this.recorders.values()].map((r) => r.stop()));
    this.recorders.clear();
  }

  private startRecorder(source: StreamSource): void {
    const id = source.id;
    const { options } = this;
    const recorder = new DvrRecorder({
      source,
      plan: options.plan,
      segmentMs: options.segmentMs,
      createWriter: (): ContainerWriter =>
        options.format === 'flv' ? new FlvContainerWriter() : new Fmp4ContainerWriter(),
      pathFor: (at, extension) => this.pathFor(source.key, at, extension),
      minFreeBytes: options.minFreeBytes,
      logger: options.logger.child({ cid: source.publisher.cid }),
      now: options.now,
      fs: options.fs,
      onFileOpened: (file) => options.logger.info({ cid: source.publisher.cid, file: file.file }, 'recording started'),
      onFileClosed: (file, reason) => {
        this.files.push({ ...file });
        if (this.files.length > MAX_LISTED) this.files.shift();
        options.logger.info(
          { cid: source.publisher.cid, file: file.file, ms: file.durationMs, bytes: file.size, reason },
          'recording closed',
        );
        options.onFileClosed?.(file, reason);
      },
      onFailed: (error) => {
        this.errors.set(id, { code: error.code, message: error.message });
        if (this.recorders.get(id) === recorder) this.recorders.delete(id);
      },
    });
    this.recorders.set(id, recorder);
    recorder.start();
  }

  private pathFor(key: StreamKey, at: Date, extension: string): string {
    const relativePath = `${expandPathTemplate(this.options.pathTemplate, key, at)}.${extension}`;
    const root = resolve(this.options.dir);
    const full = resolve(root, relativePath);
    // Stream names are validated, but a template must not escape the folder either.
    if (full !== root && !full.startsWith(root + sep))
      return join(root, `${key.app}-${key.stream}-${at.getTime()}.${extension}`);
    return full;
  }

  private async scan(): Promise<RecordedFile[]> {
    const root = resolve(this.options.dir);
    const found: RecordedFile[] = [];
    const walk = async (dir: string, depth: number): Promise<void> => {
      if (depth > 4 || found.length >= MAX_LISTED) return;
      let entries: import('node:fs').Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await walk(path, depth + 1);
        else if (/\.(mp4|flv)$/.test(entry.name)) {
          const info = await stat(path).catch(() => undefined);
          if (!info) continue;
          const parts = relative(root, path).split(sep);
          found.push({
            app: parts.length > 1 ? parts[0] : '',
            stream: parts.length > 2 ? parts[1] : entry.name.replace(/\.(mp4|flv)$/, ''),
            file: isAbsolute(path) ? path : resolve(path),
            start: info.birthtimeMs || info.mtimeMs,
            durationMs: 0,
            size: info.size,
            recording: false,
          });
        }
      }
    };
    await walk(root, 0);
    return found;
  }
}
