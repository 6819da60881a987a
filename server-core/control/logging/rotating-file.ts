import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { Writable } from 'node:stream';

export interface RotatingFileOptions {
  path: string;
  /** Rotate when the file passes this size. */
  maxBytes: number;
  /** Rotated files kept: path.1 (newest) .. path.N. */
  keep: number;
}

/** A log file that rotates by size: `tally.log`, `tally.log.1`, ... `tally.log.N`. */
export class RotatingFile extends Writable {
  private fd: number;
  private size: number;

  constructor(private readonly options: RotatingFileOptions) {
    super({ decodeStrings: true });
    mkdirSync(dirname(options.path), { recursive: true });
    this.fd = openSync(options.path, 'a');
    this.size = statSync(options.path).size;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error) => void): void {
    try {
      if (this.size + chunk.length > this.options.maxBytes && this.size > 0) this.rotate();
      writeSync(this.fd, chunk);
      this.size += chunk.length;
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _final(callback: () => void): void {
    closeSync(this.fd);
    callback();
  }

  private rotate(): void {
    closeSync(this.fd);
    const { path, keep } = this.options;
    rmSync(`${path}.${keep}`, { force: true });
    for (let i = keep - 1; i >= 1; i--) {
      if (existsSync(`${path}.${i}`)) renameSync(`${path}.${i}`, `${path}.${i + 1}`);
    }
    renameSync(path, `${path}.1`);
    this.fd = openSync(path, 'a');
    this.size = 0;
  }
}
