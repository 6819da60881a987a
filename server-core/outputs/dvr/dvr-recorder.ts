import type { Logger } from 'pino';
import type { StreamSource } from '../../hub/stream-source.js';
import type { SharedPacket } from '../../hub/wire-format.js';
import { AppendFile } from './append-file.js';
import type { ContainerWriter } from './container-writer.js';
import { DvrError, type DvrErrorCode } from './dvr-error.js';
import type { DvrFileSystem } from './dvr-file-system.js';
import { nodeFileSystem } from './node-file-system.js';

export interface RecordedFile {
  app: string;
  stream: string;
  file: string;
  /** Wall-clock start, epoch ms. */
  start: number;
  durationMs: number;
  /** Bytes on disk. */
  size: number;
  recording: boolean;
}

/** Why a file was closed: asked to stop, the publisher left, the segment plan cut it, or a DVR error code. */
/** `reconfigured`: a publisher continued the stream with other codec settings, which need a new file. */
export type CloseReason = 'stopped' | 'unpublished' | 'segment' | 'reconfigured' | DvrErrorCode;

export interface DvrRecorderOptions {
  source: StreamSource;
  /** `session`: one file per publish; `segment`: a new file every segmentMs, cut on a keyframe. */
  plan: 'session' | 'segment';
  segmentMs: number;
  createWriter: () => ContainerWriter;
  /** The file path (extension included) for a file starting now. */
  pathFor: (at: Date, extension: string) => string;
  /** Free space to leave on the disk, checked before every unit written. 0: no check. */
  minFreeBytes: number;
  logger: Logger;
  /** Wall clock, epoch ms (file start times). */
  now: () => number;
  /** Defaults to the real file system. */
  fs?: DvrFileSystem;
  onFileOpened: (file: RecordedFile) => void;
  /** A file was closed and kept: it decodes to its end; `size` is what is on disk. */
  onFileClosed: (file: RecordedFile, reason: CloseReason) => void;
  /** Recording stopped on its own (disk full, folder not writable, a bug); the stream goes on. */
  onFailed: (error: DvrError) => void;
}

/** An audio-only stream starts recording after this much audio without any video header. */
const AUDIO_ONLY_AFTER_MS = 1000;

interface OpenFile {
  file: AppendFile;
  writer: ContainerWriter;
  info: RecordedFile;
  firstDts: number;
  lastDts: number;
  /** The sequence headers the file was started with. */
  headers: Buffer[];
}

/**
 * Records one stream while enabled: starts at the GOP cache's keyframe (so "record" captures from the last
 * keyframe at once), cuts segment files on keyframes with no gap or duplicate between them.
 *
 * Faults end the recording, never the stream: a write error or a full disk leaves the file at its last complete
 * fragment (it decodes strictly to its end), free space is checked before every fragment, and anything thrown
 * inside the recorder becomes a typed DvrError that is logged and reported through `onFailed`, never thrown to
 * the stream that feeds it.
 */
export class DvrRecorder {
  private current?: OpenFile;
  private unsubscribe?: () => void;
  private firstAudioDts?: number;
  private stopped = false;
  /** A new publisher took over: compare its headers with the file's at its first keyframe. */
  private checkHeaders = false;
  private stopping?: Promise<void>;
  private readonly fs: DvrFileSystem;
  error?: DvrError;

  constructor(private readonly options: DvrRecorderOptions) {
    this.fs = options.fs ?? nodeFileSystem;
  }

  start(): void {
    this.guard(() => {
      const { source } = this.options;
      this.unsubscribe = source.subscribe({
        name: 'dvr',
        onPacket: (shared) => this.guard(() => this.onPacket(shared)),
        onEnd: () => void this.stop('unpublished'),
        // A publisher that continues the stream (a blip) continues the file, unless its codec settings differ.
        onPublisherChange: (publishing) => {
          if (publishing) this.checkHeaders = true;
        },
      });
      for (const shared of source.snapshot().gop) this.onPacket(shared);
    });
  }

  /** The file being written; `size` is what is on disk so far (complete units). */
  get state(): RecordedFile | undefined {
    const current = this.current;
    if (current) current.info.size = current.file.size;
    return current?.info;
  }

  /** Stops recording and closes the file; every call resolves (never rejects) when the file is closed. */
  stop(reason: CloseReason = 'stopped'): Promise<void> {
    if (!this.stopping) {
      this.stopped = true;
      this.unsubscribe?.();
      this.stopping = this.closeSafely(reason);
    }
    return this.stopping;
  }

  /** Runs recorder code so that nothing it throws reaches the caller (the stream's packet loop). */
  private guard(run: () => void): void {
    try {
      run();
    } catch (error) {
      this.fail(DvrError.from(error, 'DVR_INTERNAL', 'recording failed'));
    }
  }

  private onPacket(shared: SharedPacket): void {
    if (this.stopped) return;
    const p = shared.packet;
    if (p.kind === 'data' || p.sequenceHeader) return;
    const hasVideo = this.options.source.header('video') !== undefined;
    if (!this.current) {
      if (!this.canStartAt(shared, hasVideo)) return;
      this.open(shared);
      return;
    }
    const current = this.current;
    if (this.checkHeaders && this.canStartAt(shared, hasVideo)) {
      this.checkHeaders = false;
      if (!sameBuffers(current.headers, this.currentHeaders())) {
        current.lastDts = p.dts;
        void this.closeSafely('reconfigured');
        this.open(shared);
        return;
      }
    }
    if (
      this.options.plan === 'segment' &&
      (hasVideo ? p.kind === 'video' && p.keyframe : p.kind === 'audio') &&
      p.dts - current.firstDts >= this.options.segmentMs
    ) {
      // The file ends where the next begins: same keyframe, no gap, no duplicate.
      current.info.durationMs = p.dts - current.firstDts;
      current.lastDts = p.dts;
      void this.closeSafely('segment');
      this.open(shared);
      return;
    }
    this.append(current, shared);
  }

  private currentHeaders(): Buffer[] {
    return this.options.source.snapshot().headers.map((h) => h.packet.payload);
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
      this.fail(DvrError.from(error, 'DVR_NO_TRACKS', 'cannot start the recording'));
      return;
    }
    const path = this.options.pathFor(at, writer.extension);
    const file = new AppendFile({
      fs: this.fs,
      path,
      minFreeBytes: this.options.minFreeBytes,
      onError: (error) => this.fail(error),
    });
    const info: RecordedFile = {
      app: source.key.app,
      stream: source.key.stream,
      file: path,
      start: at.getTime(),
      durationMs: 0,
      size: 0,
      recording: true,
    };
    const open: OpenFile = {
      file,
      writer,
      info,
      firstDts: first.packet.dts,
      lastDts: first.packet.dts,
      headers: this.currentHeaders(),
    };
    this.current = open;
    file.opened.then(
      (finalPath) => {
        info.file = finalPath;
        this.guard(() => this.options.onFileOpened(info));
      },
      () => undefined,
    );
    file.append(header);
    this.append(open, first);
  }

  private append(open: OpenFile, shared: SharedPacket): void {
    open.file.append(open.writer.write(shared));
    open.info.size = open.file.size;
    const dts = shared.packet.dts;
    if (dts > open.lastDts) open.lastDts = dts;
    open.info.durationMs = open.lastDts - open.firstDts;
  }

  /** closeCurrent, never rejecting: a failure there is a DVR_INTERNAL error like any other. */
  private async closeSafely(reason: CloseReason): Promise<void> {
    try {
      await this.closeCurrent(reason);
    } catch (error) {
      this.fail(DvrError.from(error, 'DVR_INTERNAL', 'closing the recording failed'));
    }
  }

  private async closeCurrent(reason: CloseReason): Promise<void> {
    const open = this.current;
    if (!open) return;
    this.current = undefined;
    try {
      // After a fault nothing more is written: the file ends on its last complete fragment.
      if (!open.file.error) open.file.append(open.writer.end());
    } catch (error) {
      this.fail(DvrError.from(error, 'DVR_INTERNAL', 'finishing the recording failed'));
    }
    await open.file.close();
    open.info.recording = false;
    open.info.size = open.file.size;
    open.info.file = open.file.currentPath;
    const error = open.file.error;
    if (error && open.file.units <= 1) {
      // Nothing decodable made it to disk (at most the header): no recording to keep.
      if (!open.file.created) return;
      await this.fs.remove(open.info.file).catch(() => undefined);
      this.options.logger.warn(
        { file: open.info.file, code: error.code },
        'recording removed: nothing decodable was written',
      );
      return;
    }
    this.guard(() => this.options.onFileClosed(open.info, error ? error.code : reason));
  }

  private fail(error: DvrError): void {
    if (this.error) return;
    this.error = error;
    this.options.logger.error(
      {
        code: error.code,
        err: error.message,
        stream: `/${this.options.source.key.app}/${this.options.source.key.stream}`,
      },
      'recording stopped',
    );
    void this.stop(error.code);
    try {
      this.options.onFailed(error);
    } catch {
      // Reported already; the owner's handler must not throw into the stream either.
    }
  }
}

function sameBuffers(a: readonly Buffer[], b: readonly Buffer[]): boolean {
  return a.length === b.length && a.every((buf, i) => buf.equals(b[i]));
}
