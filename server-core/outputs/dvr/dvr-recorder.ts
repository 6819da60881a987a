import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import type { StreamSource } from '../../hub/stream-source.js';
import type { SharedPacket } from '../../hub/wire-format.js';
import { AppendFile } from './append-file.js';
import type { ContainerWriter } from './container-writer.js';

export interface RecordedFile {
  app: string;
  stream: string;
  file: string;
  /** Wall-clock start, epoch ms. */
  start: number;
  durationMs: number;
  size: number;
  recording: boolean;
}

export interface DvrRecorderOptions {
  source: StreamSource;
  /** `session`: one file per publish; `segment`: a new file every segmentMs, cut on a keyframe. */
  plan: 'session' | 'segment';
  segmentMs: number;
  createWriter: () => ContainerWriter;
  /** The file path (extension included) for a file starting now. */
  pathFor: (at: Date, extension: string) => string;
  minFreeBytes: number;
  logger: Logger;
  now: () => number;
  onFileOpened: (file: RecordedFile) => void;
  onFileClosed: (file: RecordedFile) => void;
  /** Recording stopped on its own (disk full, folder not writable); the stream goes on. */
  onFailed: (error: Error) => void;
}

/** An audio-only stream starts recording after this much audio without any video header. */
const AUDIO_ONLY_AFTER_MS = 1000;
const DISK_CHECK_INTERVAL_MS = 5000;

interface OpenFile {
  file: AppendFile;
  writer: ContainerWriter;
  info: RecordedFile;
  firstDts: number;
  lastDts: number;
}

/**
 * Records one stream while enabled: starts at the GOP cache's keyframe (so "record" captures from the last
 * keyframe at once), cuts segment files on keyframes with no gap or duplicate between them, and stops with a
 * clear error (keeping the stream running) when the disk fails.
 */
export class DvrRecorder {
  private current?: OpenFile;
  private unsubscribe?: () => void;
  private firstAudioDts?: number;
  private stopped = false;
  private stopping?: Promise<void>;
  private diskTimer?: NodeJS.Timeout;
  error?: Error;

  constructor(private readonly options: DvrRecorderOptions) {}

  start(): void {
    const { source } = this.options;
    const snapshot = source.snapshot();
    for (const shared of snapshot.gop) this.onPacket(shared);
    this.unsubscribe = source.subscribe({ onPacket: (shared) => this.onPacket(shared), onEnd: () => void this.stop() });
    this.diskTimer = setInterval(() => void this.checkDisk(), DISK_CHECK_INTERVAL_MS);
    this.diskTimer.unref();
  }

  get state(): RecordedFile | undefined {
    return this.current?.info;
  }

  /** Stops recording and closes the file; every call resolves when the file is closed. */
  stop(): Promise<void> {
    if (!this.stopping) {
      this.stopped = true;
      this.unsubscribe?.();
      if (this.diskTimer) clearInterval(this.diskTimer);
      this.stopping = this.closeCurrent();
    }
    return this.stopping;
  }

  private onPacket(shared: SharedPacket): void {
    if (this.stopped) return;
    const p = shared.packet;
    if (p.kind === 'data' || p.sequenceHeader) return;
    const hasVideo = this.options.source.videoHeader !== undefined;
    if (!this.current) {
      if (!this.canStartAt(shared, hasVideo)) return;
      this.open(shared);
      return;
    }
    const current = this.current;
    if (
      this.options.plan === 'segment' &&
      (hasVideo ? p.kind === 'video' && p.keyframe : p.kind === 'audio') &&
      p.dts - current.firstDts >= this.options.segmentMs
    ) {
      // The file ends where the next begins: same keyframe, no gap, no duplicate.
      current.info.durationMs = p.dts - current.firstDts;
      current.lastDts = p.dts;
      void this.closeCurrent();
      this.open(shared);
      return;
    }
    this.append(current, shared);
  }

  private canStartAt(shared: SharedPacket, hasVideo: boolean): boolean {
    const p = shared.packet;
    if (hasVideo) return p.kind === 'video' && p.keyframe;
    if (p.kind !== 'audio') return false;
    this.firstAudioDts ??= p.dts;
    return p.dts - this.firstAudioDts >= AUDIO_ONLY_AFTER_MS || this.options.source.stats.videoFrames === 0;
  }

  private open(first: SharedPacket): void {
    const { source } = this.options;
    const writer = this.options.createWriter();
    const at = new Date(this.options.now());
    let header: Buffer;
    try {
      header = writer.begin(source.snapshot());
    } catch (error) {
      this.fail(error as Error);
      return;
    }
    const path = this.options.pathFor(at, writer.extension);
    const file = new AppendFile(
      path,
      (error) => this.fail(error),
      () => this.ensureSpace(dirname(path)),
    );
    const info: RecordedFile = {
      app: source.key.app,
      stream: source.key.stream,
      file: path,
      start: at.getTime(),
      durationMs: 0,
      size: 0,
      recording: true,
    };
    const open: OpenFile = { file, writer, info, firstDts: first.packet.dts, lastDts: first.packet.dts };
    this.current = open;
    file.opened.then(
      (finalPath) => {
        info.file = finalPath;
        this.options.onFileOpened(info);
      },
      () => undefined,
    );
    file.append(header);
    this.append(open, first);
  }

  private append(open: OpenFile, shared: SharedPacket): void {
    open.file.append(open.writer.write(shared));
    open.info.size = open.file.bytes;
    const dts = shared.packet.dts;
    if (dts > open.lastDts) open.lastDts = dts;
    open.info.durationMs = open.lastDts - open.firstDts;
  }

  private async closeCurrent(): Promise<void> {
    const open = this.current;
    if (!open) return;
    this.current = undefined;
    open.file.append(open.writer.end());
    await open.file.close();
    open.info.recording = false;
    open.info.size = open.file.bytes;
    open.info.file = open.file.currentPath;
    if (!open.file.error) this.options.onFileClosed(open.info);
  }

  private async ensureSpace(dir: string): Promise<void> {
    if (this.options.minFreeBytes <= 0) return;
    let free: number;
    try {
      const s = await statfs(dir);
      free = s.bavail * s.bsize;
    } catch {
      return; // The folder may not exist yet; creation reports real problems.
    }
    if (free < this.options.minFreeBytes) {
      throw new Error(
        `disk almost full: ${Math.round(free / 1e6)} MB free, need ${Math.round(this.options.minFreeBytes / 1e6)} MB`,
      );
    }
  }

  private async checkDisk(): Promise<void> {
    const open = this.current;
    if (!open) return;
    try {
      await this.ensureSpace(dirname(open.file.currentPath));
    } catch (error) {
      this.fail(error as Error);
    }
  }

  private fail(error: Error): void {
    if (this.error) return;
    this.error = error;
    this.options.logger.error(
      { err: error.message, stream: `/${this.options.source.key.app}/${this.options.source.key.stream}` },
      'recording stopped',
    );
    void this.stop();
    this.options.onFailed(error);
  }
}
