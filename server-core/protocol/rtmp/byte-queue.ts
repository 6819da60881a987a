/**
 * Bytes received but not consumed yet, kept as the pushed pieces: joining them only when a reader needs a
 * contiguous run avoids re-copying a growing buffer on every small push.
 */
export class ByteQueue {
  private parts: Buffer[] = [];
  private size = 0;

  get length(): number {
    return this.size;
  }

  push(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.parts.push(bytes);
    this.size += bytes.length;
  }

  /** All queued bytes as one Buffer (no copy when there is a single piece); the queue keeps them. */
  peekAll(): Buffer {
    if (this.parts.length > 1) this.parts = [Buffer.concat(this.parts, this.size)];
    return this.parts[0] ?? EMPTY;
  }

  /** Removes and returns the first `n` bytes; the caller checks `length` first. */
  take(n: number): Buffer {
    const all = this.peekAll();
    this.replace(all.subarray(n));
    return all.subarray(0, n);
  }

  /** Replaces the queue's content (what is left after a parse). */
  replace(rest: Buffer): void {
    this.parts = rest.length > 0 ? [rest] : [];
    this.size = rest.length;
  }
}

export const EMPTY: Buffer = Buffer.alloc(0);
