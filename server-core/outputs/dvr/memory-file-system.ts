import type { DvrFileHandle, DvrFileSystem } from './dvr-file-system.js';

const errno = (code: string, message: string) => Object.assign(new Error(`${code}: ${message}`), { code });

/** One write call as the file system saw it. */
export interface WriteCall {
  path: string;
  position: number;
  length: number;
  written: number;
}

/**
 * An in-memory DvrFileSystem for unit tests, with the faults a real disk has: a capacity (a write that does not
 * fit is short, the next one fails with ENOSPC, as write(2) does), a free-space figure that may differ from it
 * (quotas, reserved blocks), failing writes and folders that cannot be made.
 */
export class MemoryFileSystem implements DvrFileSystem {
  readonly files = new Map<string, Buffer>();
  readonly writes: WriteCall[] = [];
  readonly truncations: { path: string; size: number }[] = [];
  freeChecks = 0;
  /** Total bytes the disk holds. */
  capacity = Number.POSITIVE_INFINITY;
  /** What `freeBytes` reports; by default what the capacity leaves. */
  reportFree?: () => number | undefined;
  /** Most bytes one write call takes: larger writes come back short without an error. */
  maxWriteBytes = Number.POSITIVE_INFINITY;
  /** An error for this write instead of writing (EIO and the like). */
  failWrite?: (call: Omit<WriteCall, 'written'>) => Error | undefined;
  /** An error for mkdir of this folder (ENOTDIR and the like). */
  failMkdir?: (dir: string) => Error | undefined;

  get used(): number {
    let n = 0;
    for (const file of this.files.values()) n += file.length;
    return n;
  }

  file(path: string): Buffer {
    const file = this.files.get(path);
    if (!file) throw new Error(`no file ${path}`);
    return file;
  }

  async mkdir(dir: string): Promise<void> {
    const error = this.failMkdir?.(dir);
    if (error) throw error;
  }

  async createExclusive(path: string): Promise<DvrFileHandle> {
    if (this.files.has(path)) throw errno('EEXIST', `file already exists, open '${path}'`);
    this.files.set(path, Buffer.alloc(0));
    let closed = false;
    const check = () => {
      if (closed) throw errno('EBADF', 'file closed');
    };
    return {
      write: async (bytes, offset, length, position) => {
        check();
        const failure = this.failWrite?.({ path, position, length });
        if (failure) throw failure;
        const room = this.capacity - this.used;
        if (room <= 0) throw errno('ENOSPC', 'no space left on device, write');
        const written = Math.min(length, room, this.maxWriteBytes);
        const file = this.file(path);
        const grown = Buffer.alloc(Math.max(file.length, position + written));
        file.copy(grown);
        bytes.copy(grown, position, offset, offset + written);
        this.files.set(path, grown);
        this.writes.push({ path, position, length, written });
        return written;
      },
      truncate: async (size) => {
        check();
        this.truncations.push({ path, size });
        const file = this.file(path);
        const cut = Buffer.alloc(size);
        file.copy(cut, 0, 0, Math.min(size, file.length));
        this.files.set(path, cut);
      },
      size: async () => {
        check();
        return this.file(path).length;
      },
      close: async () => {
        check();
        closed = true;
      },
    };
  }

  async freeBytes(_dir: string): Promise<number | undefined> {
    this.freeChecks++;
    return this.reportFree ? this.reportFree() : this.capacity - this.used;
  }

  async remove(path: string): Promise<void> {
    this.files.delete(path);
  }
}
