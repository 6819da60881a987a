import { dirname, extname } from 'node:path';
import { DvrError } from './dvr-error.js';
import type { DvrFileHandle, DvrFileSystem } from './dvr-file-system.js';

/** Most attempts to find a free name before giving up (file-1.mp4, file-2.mp4, ...). */
const MAX_NAME_ATTEMPTS = 1000;

export interface AppendFileOptions {
  fs: DvrFileSystem;
  path: string;
  /** Free space to leave on the disk: a unit that would leave less is not written. 0: no check. */
  minFreeBytes: number;
  /** The first error, once; nothing is written after it. */
  onError: (error: DvrError) => void;
}

/**
 * A file written by ordered, asynchronous appends of complete units (an init segment, a fragment, an FLV tag),
 * never blocking the media path. The file only ever ends on a unit boundary:
 *
 * - Creation is the first queued step and is exclusive, so an existing recording is never overwritten (a free
 *   name with -1, -2... is taken instead), after checking the free space.
 * - Before each unit, the free space is checked: a unit that would leave less than `minFreeBytes` stops the file
 *   (DVR_DISK_FULL) with nothing of it written.
 * - A unit is written in full (short writes are continued); when a write fails part-way (ENOSPC after a short
 *   write, EIO) the file is truncated back to the end of the last complete unit.
 *
 * The first error stops all further writes and is reported once through `onError`. `size` counts bytes on disk
 * (complete units; after close, the file's real size), never bytes merely handed to `append`.
 */
export class AppendFile {
  /** Bytes on disk: complete units written; after `close`, the file's size as the file system reports it. */
  size = 0;
  /** Complete units written. */
  units = 0;
  error?: DvrError;
  /** This object created the file (so it may remove it again). */
  created = false;
  /** Resolves to the final path once the file exists. */
  readonly opened: Promise<string>;
  private path: string;
  private handle?: DvrFileHandle;
  private queue: Promise<void>;
  private closed = false;

  constructor(private readonly options: AppendFileOptions) {
    this.path = options.path;
    this.opened = this.createExclusive();
    this.queue = this.opened.then(
      () => undefined,
      (error: unknown) => this.failed(DvrError.from(error, 'DVR_OPEN_FAILED', `cannot create ${this.path}`)),
    );
  }

  get currentPath(): string {
    return this.path;
  }

  /** Queues one complete unit; ignored after an error or close. */
  append(unit: Buffer): void {
    if (this.closed || unit.length === 0) return;
    this.enqueue(() => this.writeUnit(unit));
  }

  /** Closes the file after what is queued; resolves (never rejects) once it is closed and `size` is final. */
  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.queue = this.queue.then(async () => {
        const handle = this.handle;
        if (!handle) return;
        this.handle = undefined;
        try {
          this.size = await handle.size();
        } catch (error) {
          this.failed(DvrError.from(error, 'DVR_WRITE_FAILED', `cannot stat ${this.path}`));
        }
        try {
          await handle.close();
        } catch (error) {
          this.failed(DvrError.from(error, 'DVR_WRITE_FAILED', `cannot close ${this.path}`));
        }
      });
    }
    return this.queue;
  }

  private async createExclusive(): Promise<string> {
    const { fs } = this.options;
    await fs.mkdir(dirname(this.path));
    await this.checkSpace(0);
    const ext = extname(this.path);
    const stem = this.path.slice(0, this.path.length - ext.length);
    for (let i = 0; i < MAX_NAME_ATTEMPTS; i++) {
      const candidate = i === 0 ? this.path : `${stem}-${i}${ext}`;
      try {
        this.handle = await fs.createExclusive(candidate);
        this.created = true;
        this.path = candidate;
        return candidate;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    throw new DvrError('DVR_OPEN_FAILED', `no free file name near ${this.path}`);
  }

  private async writeUnit(unit: Buffer): Promise<void> {
    const handle = this.handle;
    if (!handle) return;
    await this.checkSpace(unit.length);
    let done = 0;
    try {
      while (done < unit.length) {
        const n = await handle.write(unit, done, unit.length - done, this.size + done);
        if (!(n > 0)) throw new DvrError('DVR_DISK_FULL', `no progress writing at byte ${this.size + done}`);
        done += n;
      }
    } catch (error) {
      const failure = DvrError.from(error, 'DVR_WRITE_FAILED', `write to ${this.path} failed`);
      if (done > 0) {
        // Back to the last complete unit, so the file still decodes to its end.
        try {
          await handle.truncate(this.size);
        } catch (truncateError) {
          throw new DvrError(
            failure.code,
            `${failure.message}; truncating back to ${this.size} bytes failed too: ${(truncateError as Error).message}`,
            { cause: error },
          );
        }
      }
      throw failure;
    }
    this.size += unit.length;
    this.units++;
  }

  private async checkSpace(unitBytes: number): Promise<void> {
    const { minFreeBytes, fs } = this.options;
    if (minFreeBytes <= 0) return;
    const free = await fs.freeBytes(dirname(this.path));
    if (free === undefined || free - unitBytes >= minFreeBytes) return;
    const mb = (n: number) => Math.round(n / 1e6);
    throw new DvrError(
      'DVR_DISK_FULL',
      `disk almost full: ${mb(free)} MB free, need ${mb(minFreeBytes)} MB free after the next ${unitBytes} bytes`,
    );
  }

  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(async () => {
      if (this.error || !this.handle) return;
      try {
        await task();
      } catch (error) {
        this.failed(DvrError.from(error, 'DVR_WRITE_FAILED', `write to ${this.path} failed`));
      }
    });
  }

  private failed(error: DvrError): void {
    if (this.error) return;
    this.error = error;
    try {
      this.options.onError(error);
    } catch {
      // The owner's handler must not break the write queue.
    }
  }
}
