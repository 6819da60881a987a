import { type Batch, batchSize } from './batch.js';
import { asError, type FaultReporter } from './consumer-fault.js';
import type { Reader } from './reader.js';
import { type AnyWireFormat, isPacketFormat, type SharedPacket } from './wire-format.js';

const RATE_WINDOW_MS = 2000;
/** An encoder that fails this many packets in a row is broken, not unlucky: its readers are ended. */
export const MAX_CONSECUTIVE_ENCODE_FAULTS = 3;

/**
 * The fan-out of one wire format. Packets are encoded once into the pending batch; a flush concatenates the
 * batch once and hands the same Buffer to every live reader: per reader, one pointer and one write per batch.
 * An encoder that throws loses that packet (counted); one that keeps throwing ends this format's readers only.
 */
export class FormatChannel {
  readonly readers = new Set<Reader>();
  private pending: Buffer[] = [];
  private pendingVideoFrames = 0;
  private windowBytes = 0;
  private windowStart = 0;
  private bytesPerMs = 0;
  private consecutiveFaults = 0;
  private broken = false;

  private readonly packetMode: boolean;

  constructor(
    readonly format: AnyWireFormat,
    private readonly streamId: string,
    private readonly reportFault: FaultReporter,
  ) {
    this.packetMode = isPacketFormat(format);
  }

  /** True once the encoder kept failing: the source drops the channel and a later reader gets a fresh one. */
  get isBroken(): boolean {
    return this.broken;
  }

  push(shared: SharedPacket): void {
    if (this.readers.size === 0 || this.broken) return;
    try {
      const format = this.format;
      if (isPacketFormat(format)) for (const p of shared.packetsFor(format)) this.pending.push(p);
      else this.pending.push(shared.encoded(format));
    } catch (error) {
      this.fault(error, 'packet dropped');
      return;
    }
    this.consecutiveFaults = 0;
    if (shared.packet.kind === 'video' && !shared.packet.sequenceHeader) this.pendingVideoFrames++;
  }

  /**
   * Writes the pending batch to live readers and starts joining or recovered readers. `start` gives the
   * encoded stream start (metadata, sequence headers, GOP: which already holds the pending packets) or
   * undefined while there is no keyframe to start at. `keyframes` counts the stream's video keyframes so far
   * (undefined without video): a reader that fell behind rejoins only at a keyframe newer than its fall.
   */
  flush(nowMs: number, start: () => readonly Buffer[] | undefined, keyframes?: number): void {
    // start() lists the stream start's byte parts, or its packets for a packet format.
    if (this.broken) return;
    const batch = this.takeBatch(nowMs);
    const frames = this.pendingVideoFrames;
    this.pendingVideoFrames = 0;
    let startBytes: Batch | undefined;
    let startResolved = false;
    for (const reader of this.readers) {
      try {
        if (reader.needsStart(nowMs, keyframes)) {
          if (!startResolved) {
            startResolved = true;
            // Concatenated once per flush: every joiner of this turn shares it.
            startBytes = this.encodeStart(start);
            if (this.broken) return;
          }
          if (startBytes) reader.start(startBytes);
          continue;
        }
        if (batch) reader.deliver(batch, frames, this.bytesPerMs, nowMs, keyframes);
      } catch (error) {
        // One reader's transport failing must not stop the others.
        this.reportFault({
          kind: 'reader',
          stream: this.streamId,
          consumer: reader.info.cid,
          action: 'reader ended',
          error: asError(error),
        });
        reader.fail();
      }
    }
  }

  private encodeStart(start: () => readonly Buffer[] | undefined): Batch | undefined {
    try {
      const parts = start();
      if (!parts) return undefined;
      return this.packetMode ? parts : Buffer.concat(parts);
    } catch (error) {
      this.fault(error, 'joining readers not started');
      return undefined;
    }
  }

  private fault(error: unknown, action: string): void {
    this.consecutiveFaults++;
    const broken = this.consecutiveFaults >= MAX_CONSECUTIVE_ENCODE_FAULTS;
    this.reportFault({
      kind: 'wire-format',
      stream: this.streamId,
      consumer: this.format.id,
      action: broken ? `${action}; format ended for its ${this.readers.size} readers` : action,
      error: asError(error),
    });
    if (!broken) return;
    this.broken = true;
    this.pending = [];
    for (const reader of [...this.readers]) reader.fail();
  }

  private takeBatch(nowMs: number): Batch | undefined {
    const parts = this.pending;
    if (parts.length === 0) return undefined;
    this.pending = [];
    const batch: Batch = this.packetMode ? parts : parts.length === 1 ? parts[0] : Buffer.concat(parts);
    this.trackRate(batchSize(batch), nowMs);
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
