import {
  type ControlBody,
  emptyOutputs,
  encodeControl,
  FULL_ACK_INTERVAL_MS,
  KEEPALIVE_INTERVAL_MS,
  LIGHT_ACK_PACKETS,
  MIN_NAK_INTERVAL_MS,
  PEER_IDLE_TIMEOUT_MS,
  type SrtOutputs,
} from './connection-outputs.js';
import type { ControlPacket } from './control-packet.js';
import { type DataPacket, KeyFlag } from './data-packet.js';
import { answerKeyRefresh } from './key-refresh.js';
import { encodeLossList } from './loss-list.js';
import { LossSet } from './loss-set.js';
import { parsePacket } from './packet.js';
import type { PayloadCipher } from './payload-cipher.js';
import { ReceiveBuffer } from './receive-buffer.js';
import { RttEstimator } from './rtt.js';
import { seqAdd, seqCompare, seqDec, seqInc, seqOffset, unwrapTimestamp } from './seq.js';
import { SrtError } from './srt-error.js';

/**
 * Live-mode receiver (draft-sharabayko-srt-01 sections 4.5-4.8): takes the publisher's data packets, holds them
 * until their TSBPD time (sender timestamp + time base + latency), and keeps the sender informed:
 * - a full ACK every 10 ms when the acknowledged point moved (the ACKACK that answers it gives an RTT sample),
 *   and again every RTT + 4 RTTVar while no ACKACK has confirmed it (libsrt's rule: a lost last ACK would
 *   otherwise leave the sender resending a tail we hold), a light ACK after 64 packets in between;
 * - a NAK at once for a gap, and the whole loss list again every max((RTT + 4 RTTVar) / 2, 20 ms);
 * - packets still missing when a later one is due are given up (too-late drop, counted), by poll only: a datagram
 *   handled after a stall must not give up a gap whose retransmission is still queued behind it in the socket;
 * - a keepalive after 1 s without sending; the peer is gone after 5 s of silence; shutdown ends it;
 * - a KMREQ (the sender's key refresh) installs the new key and is answered with a KMRSP.
 * Sequence numbers wrap at 2^31 and timestamps at 2^32 µs.
 */
export const DEFAULT_RECEIVE_BUFFER_PACKETS = 8192;
/** Sent ACKs remembered for matching ACKACKs. */
export const MAX_PENDING_ACKS = 256;
/** Loss ranges per NAK: a NAK must fit one MSS (1500 - 28 - 16 bytes, two words per range). */
export const MAX_NAK_RANGES = 180;

export interface SrtReceiverOptions {
  socketId: number;
  peerSocketId: number;
  initialSeq: number;
  latencyMs: number;
  /** Timestamp (µs) of the peer's conclusion, which arrived at `startMs`: together the TSBPD time base. */
  peerTimestampUs: number;
  /** When the connection started (the conclusion arrived): also the origin of our timestamps. */
  startMs: number;
  cipher?: PayloadCipher;
  /** Unwraps the keys of the sender's key refreshes (KMREQ control packets). */
  passphrase?: string;
  bufferPackets?: number;
  tooLateDrop?: boolean;
  peerIdleTimeoutMs?: number;
}

export interface SrtReceiverStats {
  received: number;
  retransmittedReceived: number;
  duplicates: number;
  belated: number;
  overflow: number;
  dropped: number;
  undecryptable: number;
  /** KMREQ control packets (key refreshes) installed and answered with their echo. */
  kmRequests: number;
  /** Times the sender's data packets switched to the other key (KK). */
  keySwitches: number;
  delivered: number;
  naksSent: number;
  acksSent: number;
  lightAcksSent: number;
  lost: number;
  bytesReceived: number;
  rttMs: number;
  rttVarMs: number;
}

export class SrtReceiver {
  private readonly buffer: ReceiveBuffer;
  private readonly loss = new LossSet();
  private readonly rtt = new RttEstimator();
  /** Full ACKs awaiting their ACKACK, by ACK number: when sent, and what they acknowledged. */
  private readonly sentAcks = new Map<number, { atMs: number; seq: number }>();
  /** The acknowledged point the sender confirmed (by an ACKACK). */
  private ackAckedSeq: number;
  private readonly timeBaseMs: number;
  private readonly latencyMs: number;
  private readonly tooLateDrop: boolean;
  private readonly idleTimeoutMs: number;
  /** Highest sequence number seen. */
  private maxSeq: number;
  private lastTsUs: number;
  private ackNumber = 0;
  private lastFullAckSeq: number;
  private lastFullAckMs: number;
  /** When a full ACK last went out (lastFullAckMs is when one was last considered). */
  private lastAckSentMs = Number.NEGATIVE_INFINITY;
  private packetsSinceAck = 0;
  private lastNakMs = Number.NEGATIVE_INFINITY;
  private lastSendMs: number;
  private lastReceiveMs: number;
  private intervalPackets = 0;
  private intervalBytes = 0;
  private intervalStartMs: number;
  private packetRate = 0;
  private byteRate = 0;
  private closed = false;
  private lastKeyFlag: KeyFlag = KeyFlag.NONE;
  readonly stats: SrtReceiverStats = {
    received: 0,
    retransmittedReceived: 0,
    duplicates: 0,
    belated: 0,
    overflow: 0,
    dropped: 0,
    undecryptable: 0,
    kmRequests: 0,
    keySwitches: 0,
    delivered: 0,
    naksSent: 0,
    acksSent: 0,
    lightAcksSent: 0,
    lost: 0,
    bytesReceived: 0,
    rttMs: 0,
    rttVarMs: 0,
  };

  constructor(private readonly opts: SrtReceiverOptions) {
    this.buffer = new ReceiveBuffer(opts.bufferPackets ?? DEFAULT_RECEIVE_BUFFER_PACKETS, opts.initialSeq);
    this.maxSeq = seqDec(opts.initialSeq);
    this.lastFullAckSeq = opts.initialSeq;
    this.ackAckedSeq = opts.initialSeq;
    this.lastTsUs = opts.peerTimestampUs;
    this.timeBaseMs = opts.startMs - opts.peerTimestampUs / 1000;
    this.latencyMs = opts.latencyMs;
    this.tooLateDrop = opts.tooLateDrop ?? true;
    this.idleTimeoutMs = opts.peerIdleTimeoutMs ?? PEER_IDLE_TIMEOUT_MS;
    this.lastFullAckMs = opts.startMs;
    this.lastSendMs = opts.startMs;
    this.lastReceiveMs = opts.startMs;
    this.intervalStartMs = opts.startMs;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** One datagram from the peer. Malformed datagrams are counted and ignored, never thrown. */
  push(bytes: Buffer, nowMs: number): SrtOutputs {
    const out = emptyOutputs();
    if (this.closed) return out;
    let packet: ReturnType<typeof parsePacket>;
    try {
      packet = parsePacket(bytes);
    } catch (error) {
      if (!(error instanceof SrtError)) throw error;
      return out;
    }
    this.lastReceiveMs = nowMs;
    if (packet.type === 'data') this.onData(packet, nowMs, out);
    else this.onControl(packet, nowMs, out);
    this.release(nowMs, out, false);
    return out;
  }

  /** Timers: TSBPD release, too-late drop, ACK, periodic NAK, keepalive, idle timeout. */
  poll(nowMs: number): SrtOutputs {
    const out = emptyOutputs();
    if (this.closed) return out;
    if (nowMs - this.lastReceiveMs >= this.idleTimeoutMs) {
      this.closed = true;
      out.events.push({ type: 'closed', reason: 'timeout' });
      return out;
    }
    this.release(nowMs, out, this.tooLateDrop);
    if (nowMs - this.lastFullAckMs >= FULL_ACK_INTERVAL_MS) this.fullAck(nowMs, out);
    if (!this.loss.isEmpty && nowMs - this.lastNakMs >= this.nakIntervalMs())
      this.nak(this.loss.list(MAX_NAK_RANGES), nowMs, out);
    if (nowMs - this.lastSendMs >= KEEPALIVE_INTERVAL_MS) this.control({ type: 'keepalive' }, nowMs, out);
    return out;
  }

  /** Ends the connection from our side: a shutdown to send. */
  close(nowMs: number): SrtOutputs {
    const out = emptyOutputs();
    if (this.closed) return out;
    this.control({ type: 'shutdown' }, nowMs, out);
    this.closed = true;
    out.events.push({ type: 'closed', reason: 'local' });
    return out;
  }

  /** When poll next has something to do (at most one ACK interval away). */
  nextPollMs(nowMs: number): number {
    let next = Math.min(this.lastFullAckMs + FULL_ACK_INTERVAL_MS, this.lastSendMs + KEEPALIVE_INTERVAL_MS);
    const head = this.buffer.firstBuffered(seqOffset(this.buffer.head, this.maxSeq) + 1);
    if (head) next = Math.min(next, this.deliveryMs(head.timestampUs));
    return Math.max(nowMs, next);
  }

  private onData(p: DataPacket, nowMs: number, out: SrtOutputs): void {
    this.stats.received++;
    this.stats.bytesReceived += p.payload.length;
    this.intervalPackets++;
    this.intervalBytes += p.payload.length;
    if (p.retransmitted) this.stats.retransmittedReceived++;
    const off = this.buffer.offsetOf(p.seq);
    if (off < 0) {
      this.stats.belated++;
      return;
    }
    if (off >= this.buffer.capacity) {
      this.stats.overflow++;
      return;
    }
    if (this.buffer.get(p.seq)) {
      this.stats.duplicates++;
      return;
    }
    let payload = p.payload;
    if (p.keyFlag !== KeyFlag.NONE) {
      if (!this.opts.cipher) {
        this.stats.undecryptable++;
        return;
      }
      try {
        payload = this.opts.cipher.apply(payload, p.seq, p.keyFlag);
      } catch (error) {
        if (!(error instanceof SrtError)) throw error;
        this.stats.undecryptable++;
        return;
      }
      if (p.keyFlag !== this.lastKeyFlag && !p.retransmitted) {
        if (this.lastKeyFlag !== KeyFlag.NONE) this.stats.keySwitches++;
        this.lastKeyFlag = p.keyFlag;
      }
    }
    const timestampUs = unwrapTimestamp(p.timestamp, this.lastTsUs);
    if (seqCompare(p.seq, this.maxSeq) > 0) {
      this.lastTsUs = timestampUs;
      const expected = seqInc(this.maxSeq);
      if (p.seq !== expected) {
        const lastLost = seqDec(p.seq);
        this.loss.append(expected, lastLost);
        this.stats.lost += seqOffset(expected, p.seq);
        this.nak([{ from: expected, to: lastLost }], nowMs, out);
      }
      this.maxSeq = p.seq;
    } else {
      this.loss.remove(p.seq);
    }
    this.buffer.put({ seq: p.seq, payload, messageNumber: p.messageNumber, timestampUs });
    if (++this.packetsSinceAck >= LIGHT_ACK_PACKETS) {
      this.packetsSinceAck = 0;
      this.stats.lightAcksSent++;
      this.control({ type: 'ack', ackNumber: 0, ack: { lastAckedSeq: this.ackSeq() } }, nowMs, out);
    }
  }

  private onControl(p: ControlPacket, nowMs: number, out: SrtOutputs): void {
    switch (p.type) {
      case 'ackack': {
        const sent = this.sentAcks.get(p.ackNumber);
        if (sent !== undefined) {
          this.sentAcks.delete(p.ackNumber);
          if (seqCompare(sent.seq, this.ackAckedSeq) > 0) this.ackAckedSeq = sent.seq;
          this.rtt.sample(nowMs - sent.atMs);
          this.stats.rttMs = this.rtt.rttMs;
          this.stats.rttVarMs = this.rtt.rttVarMs;
        }
        return;
      }
      case 'shutdown':
        this.closed = true;
        out.events.push({ type: 'closed', reason: 'shutdown' });
        return;
      case 'dropreq':
        this.dropRequested(p.firstSeq, p.lastSeq, out);
        return;
      case 'kmreq': {
        const answer = answerKeyRefresh(p.keyMaterial, this.opts.passphrase, this.opts.cipher);
        if (answer.installed) this.stats.kmRequests++;
        this.control({ type: 'kmrsp', body: answer.response }, nowMs, out);
        return;
      }
      default:
        return;
    }
  }

  /** The sender gave up `first..last`: stop asking for them, release past them once they are the gap. */
  private dropRequested(first: number, last: number, out: SrtOutputs): void {
    if (seqCompare(last, first) < 0) return;
    this.loss.removeRange(first, last);
    if (seqCompare(last, this.maxSeq) > 0) this.maxSeq = last;
    let gaveUp = 0;
    while (seqCompare(this.buffer.head, first) >= 0 && seqCompare(this.buffer.head, last) <= 0) {
      if (this.buffer.get(this.buffer.head)) break;
      this.buffer.shift();
      gaveUp++;
    }
    if (gaveUp > 0) {
      this.stats.dropped += gaveUp;
      out.events.push({ type: 'dropped', from: first, to: seqAdd(first, gaveUp - 1), count: gaveUp });
    }
  }

  private release(nowMs: number, out: SrtOutputs, mayDrop: boolean): void {
    for (;;) {
      const span = seqOffset(this.buffer.head, this.maxSeq) + 1;
      if (span <= 0) return;
      const head = this.buffer.get(this.buffer.head);
      if (head) {
        if (nowMs < this.deliveryMs(head.timestampUs)) return;
        this.buffer.shift();
        this.stats.delivered++;
        out.payloads.push(head);
        continue;
      }
      if (!mayDrop) return;
      const next = this.buffer.firstBuffered(span);
      if (!next || nowMs < this.deliveryMs(next.timestampUs)) return;
      const from = this.buffer.head;
      const count = this.buffer.offsetOf(next.seq);
      for (let i = 0; i < count; i++) this.buffer.shift();
      this.loss.removeBefore(next.seq);
      this.stats.dropped += count;
      out.events.push({ type: 'dropped', from, to: seqDec(next.seq), count });
    }
  }

  private deliveryMs(timestampUs: number): number {
    return this.timeBaseMs + timestampUs / 1000 + this.latencyMs;
  }

  /** The next sequence number not yet received (everything before it is received or given up). */
  private ackSeq(): number {
    const firstLoss = this.loss.first;
    if (firstLoss !== undefined && seqCompare(firstLoss, this.buffer.head) >= 0) return firstLoss;
    const next = seqInc(this.maxSeq);
    return seqCompare(next, this.buffer.head) >= 0 ? next : this.buffer.head;
  }

  private fullAck(nowMs: number, out: SrtOutputs): void {
    const elapsed = nowMs - this.intervalStartMs;
    if (elapsed >= 100) {
      this.packetRate = Math.round((this.intervalPackets * 1000) / elapsed);
      this.byteRate = Math.round((this.intervalBytes * 1000) / elapsed);
      this.intervalPackets = 0;
      this.intervalBytes = 0;
      this.intervalStartMs = nowMs;
    }
    const seq = this.ackSeq();
    if (seq === this.lastFullAckSeq) {
      // Unchanged: repeated only while unconfirmed, and at most every RTT + 4 RTTVar.
      const confirmed = seqCompare(this.ackAckedSeq, seq) >= 0;
      if (confirmed || nowMs - this.lastAckSentMs < this.rtt.rttMs + 4 * this.rtt.rttVarMs) {
        this.lastFullAckMs = nowMs;
        return;
      }
    }
    this.lastFullAckMs = nowMs;
    this.lastAckSentMs = nowMs;
    this.lastFullAckSeq = seq;
    this.packetsSinceAck = 0;
    this.ackNumber = this.ackNumber === 0x7fffffff ? 1 : this.ackNumber + 1;
    this.sentAcks.set(this.ackNumber, { atMs: nowMs, seq });
    if (this.sentAcks.size > MAX_PENDING_ACKS) this.sentAcks.delete(this.sentAcks.keys().next().value!);
    this.stats.acksSent++;
    this.control(
      {
        type: 'ack',
        ackNumber: this.ackNumber,
        ack: {
          lastAckedSeq: seq,
          rttUs: Math.round(this.rtt.rttMs * 1000),
          rttVarUs: Math.round(this.rtt.rttVarMs * 1000),
          availableBuffer: Math.max(2, this.buffer.capacity - this.buffer.size),
          packetRate: this.packetRate,
          linkCapacity: this.packetRate,
          receiveRate: this.byteRate,
        },
      },
      nowMs,
      out,
    );
  }

  private nakIntervalMs(): number {
    return Math.max((this.rtt.rttMs + 4 * this.rtt.rttVarMs) / 2, MIN_NAK_INTERVAL_MS);
  }

  private nak(loss: { from: number; to: number }[], nowMs: number, out: SrtOutputs): void {
    if (encodeLossList(loss).length === 0) return;
    this.lastNakMs = nowMs;
    this.stats.naksSent++;
    this.control({ type: 'nak', loss }, nowMs, out);
  }

  private control(body: ControlBody, nowMs: number, out: SrtOutputs): void {
    out.send.push(encodeControl(body, nowMs, this.opts.startMs, this.opts.peerSocketId));
    this.lastSendMs = nowMs;
  }
}
