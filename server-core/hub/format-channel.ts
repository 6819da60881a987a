import type { Reader } from './reader.js';
import type { SharedPacket, WireFormat } from './wire-format.js';

const RATE_WINDOW_MS = 2000;

/**
 * The fan-out of one wire format. Packets are encoded once into the pending batch; a flush concatenates the
 * batch once and hands the same Buffer to every live reader: per reader, one pointer and one write per batch.
 */
export class FormatChannel {
  readonly readers = new Set<Reader>();
  private pending: Buffer[] = [];
  private pendingVideoFrames = 0;
  private windowBytes = 0;
  private windowStart = 0;
  private bytesPerMs = 0;

  constructor(readonly format: WireFormat) {}

  push(shared: SharedPacket): void {
    if (this.readers.size === 0) return;
    this.pending.push(shared.encoded(this.format));
    if (shared.packet.kind === 'video' && !shared.packet.sequenceHeader) this.pendingVideoFrames++;
  }

  /**
   * Writes the pending batch to live readers and starts joining or recovered readers. `start` gives the
   * encoded stream start (metadata, sequence headers, GOP: which already holds the pending packets) or
   * undefined while there is no keyframe to start at.
   */
  flush(nowMs: number, start: () => readonly Buffer[] | undefined): void {
    const batch = this.takeBatch(nowMs);
    const frames = this.pendingVideoFrames;
    this.pendingVideoFrames = 0;
    let startBytes: Buffer | undefined;
    let startResolved = false;
    for (const reader of this.readers) {
      if (reader.needsStart(nowMs)) {
        if (!startResolved) {
          // Concatenated once per flush: every joiner of this turn shares it.
          const parts = start();
          startBytes = parts ? Buffer.concat(parts) : undefined;
          startResolved = true;
        }
        if (startBytes) reader.start(startBytes);
        continue;
      }
      if (batch) reader.deliver(batch, frames, this.bytesPerMs, nowMs);
    }
  }

  private takeBatch(nowMs: number): Buffer | undefined {
    const parts = this.pending;
    if (parts.length === 0) return undefined;
    this.pending = [];
    const batch = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    this.trackRate(batch.length, nowMs);
    return batch;
  }

  private trackRate(bytes: number, nowMs: number): void {
    if (this.windowStart === 0) this.windowStart = nowMs;
    this.windowBytes += bytes;
    const elapsed = nowMs - this.windowStart;
    if (elapsed >= RATE_WINDOW_MS) {
      this.bytesPerMs = this.windowBytes / elapsed;
      this.windowBytes = 0;
      this.windowStart = nowMs;
    }
  }
}
