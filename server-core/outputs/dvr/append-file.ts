import { type FileHandle, mkdir, open } from 'node:fs/promises';
import { dirname, extname } from 'node:path';

/** Most attempts to find a free name before giving up (file-1.mp4, file-2.mp4, ...). */
const MAX_NAME_ATTEMPTS = 1000;

/**
 * A file written by ordered, asynchronous appends, never blocking the media path. Creation is the first queued
 * step and is exclusive, so an existing recording is never overwritten (a free name with -1, -2... is taken
 * instead). The first error stops all further writes and is reported once through `onError`.
 */
export class AppendFile {
  /** Bytes handed to append (written or queued). */
  bytes = 0;
  error?: Error;
  /** Resolves to the final path once the file exists. */
  readonly opened: Promise<string>;
  private handle?: FileHandle;
  private queue: Promise<void>;
  private closed = false;

  constructor(
    private path: string,
    private readonly onError: (error: Error) => void,
    beforeCreate: () => Promise<void> = async () => {},
  ) {
    this.opened = beforeCreate().then(() => this.createExclusive());
    this.queue = this.opened.then(
      () => undefined,
      (error: Error) => this.failed(error),
    );
  }

  get currentPath(): string {
    return this.path;
  }

  append(bytes: Buffer): void {
    if (this.closed || bytes.length === 0) return;
    this.bytes += bytes.length;
    this.enqueue(async (h) => {
      await h.write(bytes);
    });
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.queue = this.queue.then(async () => {
        await this.handle?.close();
        this.handle = undefined;
      });
    }
    return this.queue.catch(() => undefined);
  }

  private async createExclusive(): Promise<string> {
    await mkdir(dirname(this.path), { recursive: true });
    const ext = extname(this.path);
    const stem = this.path.slice(0, this.path.length - ext.length);
    for (let i = 0; i < MAX_NAME_ATTEMPTS; i++) {
      const candidate = i === 0 ? this.path : `${stem}-${i}${ext}`;
      try {
        this.handle = await open(candidate, 'wx');
        this.path = candidate;
        return candidate;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    throw new Error(`no free file name near ${this.path}`);
  }

  private enqueue(task: (handle: FileHandle) => Promise<void>): void {
    this.queue = this.queue.then(async () => {
      if (this.error || !this.handle) return;
      try {
        await task(this.handle);
      } catch (error) {
        this.failed(error as Error);
      }
    });
  }

  private failed(error: Error): void {
    if (this.error) return;
    this.error = error;
    this.onError(error);
  }
}
