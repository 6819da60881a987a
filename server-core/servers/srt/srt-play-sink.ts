import type { ReaderSink } from '../../hub/reader-sink.js';

/** MPEG-TS bytes per SRT payload: 7 × 188, what every SRT sender uses (fits 1456 with room to spare). */
export const TS_PAYLOAD_BYTES = 7 * 188;
/** Payloads remembered for the backlog: as many as the sender's retransmission buffer holds. */
export const SENT_RING_PAYLOADS = 8192;
/** Slack beyond RTT + 4 RTTVar before an unacknowledged payload counts as backlog (ACKs come every 10 ms). */
export const ACK_SLACK_MS = 50;

/** The payloads of the last batch cut: every player of a stream is handed the same batch in one flush. */
let lastBatch: Buffer | undefined;
let lastPayloads: Buffer[] = [];

/** A shared batch cut into payloads once per flush, not once per player (and so shared by their senders). */
function payloadsOf(bytes: Buffer): Buffer[] {
  if (bytes === lastBatch) return lastPayloads;
  const payloads: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += TS_PAYLOAD_BYTES) {
    payloads.push(bytes.subarray(at, Math.min(bytes.length, at + TS_PAYLOAD_BYTES)));
  }
  lastBatch = bytes;
  lastPayloads = payloads;
  return payloads;
}

/** The connection behind a sink once the handshake has accepted it. */
export interface SrtPlayTransport {
  send(payload: Buffer): void;
  /** Payloads sent and not yet acknowledged (or given up). */
  inFlight(): number;
  rttMs(): number;
  rttVarMs(): number;
  /** The stream ended: close once what is in flight is acknowledged. */
  finish(): void;
  /** Close now. */
  destroy(reason: string): void;
}

/**
 * The hub's sink for one SRT player: the stream's shared MPEG-TS bytes cut into payloads of at most 1316 bytes
 * for the SRT sender. Until the handshake completes (admission runs first) payloads wait here.
 *
 * backlog() is what the hub's drop-to-keyframe and stuck policies read: bytes sent longer ago than a round trip
 * (plus slack) that the player has still not acknowledged. On a long link every payload is in flight for an RTT;
 * that alone is not a backlog, a player that stops acknowledging is.
 */
export class SrtPlaySink implements ReaderSink {
  private transport?: SrtPlayTransport;
  private waiting: Buffer[] = [];
  private waitingBytes = 0;
  private ended = false;
  private destroyed?: string;
  /** Ring of what was sent: when and how many bytes. The last `inFlight` entries are unacknowledged. */
  private readonly sentAt = new Float64Array(SENT_RING_PAYLOADS);
  private readonly sentBytes = new Uint16Array(SENT_RING_PAYLOADS);
  private sentCount = 0;

  constructor(private readonly now: () => number) {}

  /** The handshake accepted the player: what waited goes out. */
  attach(transport: SrtPlayTransport): void {
    this.transport = transport;
    if (this.destroyed !== undefined) {
      transport.destroy(this.destroyed);
      return;
    }
    const waiting = this.waiting;
    this.waiting = [];
    this.waitingBytes = 0;
    for (const payload of waiting) this.transmit(payload);
    if (this.ended) transport.finish();
  }

  backlog(): number {
    const transport = this.transport;
    if (!transport) return this.waitingBytes;
    const inFlight = Math.min(transport.inFlight(), this.sentCount, SENT_RING_PAYLOADS);
    const cutoff = this.now() - (transport.rttMs() + 4 * transport.rttVarMs() + ACK_SLACK_MS);
    let bytes = 0;
    // Oldest unacknowledged first; sends are in time order, so stop at the first recent one.
    for (let i = this.sentCount - inFlight; i < this.sentCount; i++) {
      const slot = i % SENT_RING_PAYLOADS;
      if (this.sentAt[slot] > cutoff) break;
      bytes += this.sentBytes[slot];
    }
    return bytes;
  }

  write(bytes: Buffer): void {
    if (this.ended || this.destroyed !== undefined) return;
    for (const payload of payloadsOf(bytes)) {
      if (this.transport) this.transmit(payload);
      else {
        this.waiting.push(payload);
        this.waitingBytes += payload.length;
      }
    }
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.transport?.finish();
  }

  destroy(reason: string): void {
    if (this.destroyed !== undefined) return;
    this.destroyed = reason;
    this.waiting = [];
    this.waitingBytes = 0;
    this.transport?.destroy(reason);
  }

  private transmit(payload: Buffer): void {
    const slot = this.sentCount % SENT_RING_PAYLOADS;
    this.sentAt[slot] = this.now();
    this.sentBytes[slot] = payload.length;
    this.sentCount++;
    this.transport?.send(payload);
  }
}
