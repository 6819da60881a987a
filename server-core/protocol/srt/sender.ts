import { LIGHT_ACK_SIZE, SMALL_ACK_SIZE } from './ack.js';
import {
  type ControlBody,
  emptyOutputs,
  encodeControl,
  KEEPALIVE_INTERVAL_MS,
  MAX_PAYLOAD_SIZE,
  NO_OUTPUTS,
  PEER_IDLE_TIMEOUT_MS,
  type SrtOutputs,
  timestampOf,
} from './connection-outputs.js';
import { type ControlPacket, ControlType } from './control-packet.js';
import { encodeDataHeader, KeyFlag, PacketPosition, SRT_HEADER_SIZE } from './data-packet.js';
import type { SeqRange } from './loss-list.js';
import { parsePacket } from './packet.js';
import type { PayloadCipher } from './payload-cipher.js';
import { RttEstimator } from './rtt.js';
import { msgNoInc, seqAdd, seqCompare, seqDec, seqInc, seqOffset } from './seq.js';
import { SrtError } from './srt-error.js';

/**
 * Live-mode sender (draft-sharabayko-srt-01 sections 4.5-4.8), for readers: each payload goes out at once as one
 * solo-message data packet stamped with its send time, and stays in a bounded retransmission buffer until
 * the receiver acknowledges it. A NAK retransmits what it lists (R flag set); a NAK for packets already given
 * up is answered with a drop request. A packet unacknowledged past the drop delay (1.25 × latency, at least 1 s)
 * is given up (too-late drop). Full ACKs are answered with ACKACK. When the stream has paused (nothing new sent
 * for TAIL_PAUSE_MS) and no ACK has come for an RTO (libsrt's retransmission timer runs from the last ACK too),
 * unacknowledged packets are sent again so a lost tail is recovered. While the stream flows, the next packet
 * shows the receiver a lost one and it NAKs; resending a tail whose ACK is merely late (a loaded peer or
 * server, or just the gap between two hub flushes) only adds load: at most MAX_TAIL_RESENDS times each, with
 * doubling waits, and not at all to a peer silent for TAIL_RESEND_SILENCE_MS (a frozen player). Keepalive after 1 s idle, peer gone after 5 s.
 * Full ACKs (a live receiver sends 100 a second) get an ACKACK at most every ACKACK_INTERVAL_MS.
 * A data packet goes out as its own header in front of the payload it was given (never copied).
 */
export const DEFAULT_SEND_BUFFER_PACKETS = 8192;
export const MIN_DROP_DELAY_MS = 1000;
/** Retransmissions of an idle tail per poll. */
export const MAX_TAIL_RETRANSMITS = 64;
/**
 * Times one packet is resent unasked as part of an idle tail, each after twice the previous wait (RTO, 2 RTO,
 * 4 RTO); after that only a NAK resends it, and the too-late drop gives it up with a drop request.
 */
export const MAX_TAIL_RESENDS = 3;
/** A live receiver acknowledges every 10 ms: silent this long, it is not listening, and the tail is not resent. */
export const TAIL_RESEND_SILENCE_MS = 1000;
/** Nothing new sent for this long is a pause, not the gap between two flushes of the hub (40 ms by default). */
export const TAIL_PAUSE_MS = 250;
/**
 * Shortest time between two ACKACKs. Each one gives the receiver an RTT sample (and libsrt a TSBPD drift
 * sample); 20 a second is plenty for both, and answering all 100 full ACKs would be a third of what a player
 * costs the server in datagrams.
 */
export const ACKACK_INTERVAL_MS = 50;
/**
 * A packet a NAK asks for again this soon after its last resend is not resent: a live receiver repeats its loss
 * list at most every 20 ms, so only duplicate ranges (or a hostile peer) ask sooner.
 */
export const MIN_RESEND_GAP_MS = 5;
/**
 * NAK-driven resends are paid from a budget that each new packet adds one to (at most this many saved up): a
 * peer recovers even total loss of the stream, but NAKs can never make the server send more than twice the
 * stream. Without it one NAK of 180 ranges, each over a window of 8192 packets, asked for 1.5 million sends.
 */
export const MAX_RESEND_CREDIT = 1024;

export interface SrtSenderOptions {
  socketId: number;
  peerSocketId: number;
  initialSeq: number;
  /** Negotiated latency of what we send (HSRSP sender delay). */
  latencyMs: number;
  /** When the connection started: the origin of our timestamps. */
  startMs: number;
  cipher?: PayloadCipher;
  bufferPackets?: number;
  dropDelayMs?: number;
  peerIdleTimeoutMs?: number;
}

export interface SrtSenderStats {
  sent: number;
  bytesSent: number;
  retransmitted: number;
  dropped: number;
  overflowDropped: number;
  naksReceived: number;
  acksReceived: number;
  dropRequestsSent: number;
  /** Retransmissions of an idle tail nobody asked for (bounded: MAX_TAIL_RESENDS per packet). */
  tailResends: number;
  /** Resends a NAK asked for that the resend budget or the gap since the last resend refused. */
  resendsRefused: number;
  rttMs: number;
  rttVarMs: number;
}

interface Unacked {
  seq: number;
  messageNumber: number;
  origMs: number;
  lastSentMs: number;
  payload: Buffer;
  keyFlag: KeyFlag;
  /** Unasked (idle-tail) resends so far. */
  tailResends: number;
  /** When a NAK last had it resent. */
  resentMs: number;
}

export class SrtSender {
  private readonly queue: Unacked[] = [];
  private qHead = 0;
  private readonly capacity: number;
  private readonly dropDelayMs: number;
  private readonly idleTimeoutMs: number;
  private readonly rtt = new RttEstimator();
  /** Sequence number of the next new packet. */
  private nextSeq: number;
  /** Everything before this is acknowledged by the peer. */
  private ackedSeq: number;
  private messageNumber = 1;
  private lastSendMs: number;
  private lastNewSendMs: number;
  private lastReceiveMs: number;
  private lastAckMs: number;
  private lastAckAckMs = Number.NEGATIVE_INFINITY;
  /** NAK-driven resends still allowed (MAX_RESEND_CREDIT); starts full so the first GOP can be recovered. */
  private resendCredit = MAX_RESEND_CREDIT;
  private readonly sendOutputs = emptyOutputs();
  private closed = false;
  readonly stats: SrtSenderStats = {
    sent: 0,
    bytesSent: 0,
    retransmitted: 0,
    dropped: 0,
    overflowDropped: 0,
    naksReceived: 0,
    acksReceived: 0,
    dropRequestsSent: 0,
    tailResends: 0,
    resendsRefused: 0,
    rttMs: 0,
    rttVarMs: 0,
  };

  constructor(private readonly opts: SrtSenderOptions) {
    this.capacity = opts.bufferPackets ?? DEFAULT_SEND_BUFFER_PACKETS;
    this.dropDelayMs = opts.dropDelayMs ?? Math.max(MIN_DROP_DELAY_MS, 1.25 * opts.latencyMs);
    this.idleTimeoutMs = opts.peerIdleTimeoutMs ?? PEER_IDLE_TIMEOUT_MS;
    this.nextSeq = opts.initialSeq;
    this.ackedSeq = opts.initialSeq;
    this.lastSendMs = opts.startMs;
    this.lastNewSendMs = opts.startMs;
    this.lastReceiveMs = opts.startMs;
    this.lastAckMs = opts.startMs;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Packets sent and not yet acknowledged or given up. */
  get inFlight(): number {
    return this.queue.length - this.qHead;
  }

  /**
   * Sends one payload (at most 1456 bytes: a TS sender packs 7 × 188 = 1316). Its outputs object is this
   * sender's own, emptied by the next send(): take what it holds before sending again (one call per payload of a
   * fan-out, so no garbage per packet).
   */
  send(payload: Buffer, nowMs: number): SrtOutputs {
    if (this.closed) return NO_OUTPUTS;
    const out = this.sendOutputs;
    out.send.length = 0;
    out.events.length = 0;
    if (payload.length > MAX_PAYLOAD_SIZE) {
      throw new SrtError('SRT_TOO_LARGE', `payload of ${payload.length} bytes, limit ${MAX_PAYLOAD_SIZE}`);
    }
    if (this.inFlight >= this.capacity) {
      const oldest = this.dequeue()!;
      this.stats.overflowDropped++;
      this.stats.dropped++;
      out.events.push({ type: 'dropped', from: oldest.seq, to: oldest.seq, count: 1 });
    }
    const seq = this.nextSeq;
    this.nextSeq = seqInc(seq);
    const keyFlag = this.opts.cipher ? this.opts.cipher.sendKeyFlag : KeyFlag.NONE;
    const wire = this.opts.cipher ? this.opts.cipher.apply(payload, seq, keyFlag) : payload;
    const entry: Unacked = {
      seq,
      messageNumber: this.messageNumber,
      origMs: nowMs,
      lastSentMs: nowMs,
      payload: wire,
      keyFlag,
      tailResends: 0,
      resentMs: Number.NEGATIVE_INFINITY,
    };
    if (this.resendCredit < MAX_RESEND_CREDIT) this.resendCredit++;
    this.messageNumber = msgNoInc(this.messageNumber);
    this.queue.push(entry);
    this.stats.sent++;
    this.stats.bytesSent += payload.length;
    this.lastNewSendMs = nowMs;
    this.transmit(entry, false, nowMs, out);
    return out;
  }

  /** One datagram from the peer (ACK, NAK, keepalive, shutdown). Malformed ones are ignored. */
  push(bytes: Buffer, nowMs: number): SrtOutputs {
    if (this.closed) return NO_OUTPUTS;
    // ACKs are most of what a player sends: read in place, no packet object.
    if (bytes.length >= SRT_HEADER_SIZE + LIGHT_ACK_SIZE && bytes.readUInt16BE(0) === (0x8000 | ControlType.ACK)) {
      this.lastReceiveMs = nowMs;
      return this.onAck(bytes, nowMs);
    }
    const out = emptyOutputs();
    let packet: ReturnType<typeof parsePacket>;
    try {
      packet = parsePacket(bytes);
    } catch (error) {
      if (!(error instanceof SrtError)) throw error;
      return out;
    }
    this.lastReceiveMs = nowMs;
    if (packet.type !== 'data') this.onControl(packet, nowMs, out);
    return out;
  }

  /** Timers: too-late drop, idle-tail retransmission, keepalive, idle timeout. */
  poll(nowMs: number): SrtOutputs {
    if (this.closed) return NO_OUTPUTS;
    // Nothing in flight and nothing due: the common case of a shared tick, answered without allocating.
    if (
      this.inFlight === 0 &&
      nowMs - this.lastReceiveMs < this.idleTimeoutMs &&
      nowMs - this.lastSendMs < KEEPALIVE_INTERVAL_MS
    ) {
      return NO_OUTPUTS;
    }
    const out = emptyOutputs();
    if (nowMs - this.lastReceiveMs >= this.idleTimeoutMs) {
      this.closed = true;
      out.events.push({ type: 'closed', reason: 'timeout' });
      return out;
    }
    this.dropTooLate(nowMs, out);
    const rto = this.rtt.rttMs + 4 * this.rtt.rttVarMs + 20;
    const listening = nowMs - this.lastReceiveMs < TAIL_RESEND_SILENCE_MS;
    const paused = nowMs - this.lastNewSendMs >= Math.max(rto, TAIL_PAUSE_MS);
    if (this.inFlight > 0 && listening && paused && nowMs - this.lastAckMs >= rto) {
      let n = 0;
      for (let i = this.qHead; i < this.queue.length && n < MAX_TAIL_RETRANSMITS; i++) {
        const e = this.queue[i];
        if (e.tailResends >= MAX_TAIL_RESENDS || nowMs - e.lastSentMs < rto * 2 ** e.tailResends) continue;
        e.tailResends++;
        this.stats.tailResends++;
        this.transmit(e, true, nowMs, out);
        n++;
      }
    }
    if (nowMs - this.lastSendMs >= KEEPALIVE_INTERVAL_MS) this.control({ type: 'keepalive' }, nowMs, out);
    return out;
  }

  close(nowMs: number): SrtOutputs {
    const out = emptyOutputs();
    if (this.closed) return out;
    this.control({ type: 'shutdown' }, nowMs, out);
    this.closed = true;
    out.events.push({ type: 'closed', reason: 'local' });
    return out;
  }

  private onControl(p: ControlPacket, nowMs: number, out: SrtOutputs): void {
    switch (p.type) {
      case 'nak':
        this.stats.naksReceived++;
        this.onNak(p.loss, nowMs, out);
        return;
      case 'shutdown':
        this.closed = true;
        out.events.push({ type: 'closed', reason: 'shutdown' });
        return;
      default:
        return;
    }
  }

  /** An ACK (light, small or full: section 3.2.4), read from the datagram. */
  private onAck(bytes: Buffer, nowMs: number): SrtOutputs {
    this.stats.acksReceived++;
    this.lastAckMs = nowMs;
    this.acknowledge(bytes.readUInt32BE(SRT_HEADER_SIZE) & 0x7fffffff);
    if (bytes.length >= SRT_HEADER_SIZE + SMALL_ACK_SIZE) {
      const rttUs = bytes.readUInt32BE(SRT_HEADER_SIZE + 4);
      if (rttUs > 0) {
        this.rtt.rttMs = rttUs / 1000;
        this.rtt.rttVarMs = bytes.readUInt32BE(SRT_HEADER_SIZE + 8) / 1000;
        this.stats.rttMs = this.rtt.rttMs;
        this.stats.rttVarMs = this.rtt.rttVarMs;
      }
    }
    const ackNumber = bytes.readUInt32BE(4);
    if (ackNumber === 0 || nowMs - this.lastAckAckMs < ACKACK_INTERVAL_MS) return NO_OUTPUTS;
    this.lastAckAckMs = nowMs;
    const out = emptyOutputs();
    this.control({ type: 'ackack', ackNumber }, nowMs, out);
    return out;
  }

  private acknowledge(seq: number): void {
    // Only an ACK inside what we sent moves the acknowledged point.
    if (seqCompare(seq, this.ackedSeq) <= 0 || seqCompare(seq, this.nextSeq) > 0) return;
    this.ackedSeq = seq;
    while (this.inFlight > 0 && seqCompare(this.queue[this.qHead].seq, seq) < 0) this.dequeue();
  }

  /**
   * A NAK: one drop request for whatever it asks that we gave up, then one resend of each packet we still hold
   * that any of its ranges covers (ranges are merged first, so overlapping ones cost nothing extra).
   */
  private onNak(loss: readonly SeqRange[], nowMs: number, out: SrtOutputs): void {
    const first = this.inFlight > 0 ? this.queue[this.qHead].seq : this.nextSeq;
    let gaveUpFrom: number | undefined;
    const spans: [number, number][] = [];
    for (const range of loss) {
      if (seqCompare(range.to, range.from) < 0 || seqCompare(range.from, this.nextSeq) >= 0) continue;
      if (seqCompare(range.from, first) < 0 && seqCompare(range.to, this.ackedSeq) >= 0) {
        const from = seqCompare(range.from, this.ackedSeq) < 0 ? this.ackedSeq : range.from;
        if (gaveUpFrom === undefined || seqCompare(from, gaveUpFrom) < 0) gaveUpFrom = from;
      }
      const start = Math.max(0, seqOffset(first, range.from));
      const end = Math.min(this.inFlight - 1, seqOffset(first, range.to));
      if (end >= start) spans.push([start, end]);
    }
    // Asked for packets we gave up: tell the receiver not to wait for them.
    if (gaveUpFrom !== undefined && seqCompare(seqDec(first), gaveUpFrom) >= 0) {
      this.stats.dropRequestsSent++;
      this.control({ type: 'dropreq', messageNumber: 0, firstSeq: gaveUpFrom, lastSeq: seqDec(first) }, nowMs, out);
    }
    spans.sort((a, b) => a[0] - b[0]);
    let next = 0;
    for (const [start, end] of spans) {
      for (let off = Math.max(start, next); off <= end; off++) {
        if (this.resendCredit <= 0) {
          this.stats.resendsRefused++;
          return;
        }
        const e = this.queue[this.qHead + off];
        if (nowMs - e.resentMs < MIN_RESEND_GAP_MS) {
          this.stats.resendsRefused++;
          continue;
        }
        this.resendCredit--;
        e.resentMs = nowMs;
        this.transmit(e, true, nowMs, out);
      }
      next = Math.max(next, end + 1);
    }
  }

  private dropTooLate(nowMs: number, out: SrtOutputs): void {
    let from: number | undefined;
    let count = 0;
    while (this.inFlight > 0 && nowMs - this.queue[this.qHead].origMs > this.dropDelayMs) {
      const e = this.dequeue()!;
      from ??= e.seq;
      count++;
    }
    if (from === undefined) return;
    const to = seqAdd(from, count - 1);
    this.stats.dropped += count;
    if (seqCompare(to, this.ackedSeq) >= 0) {
      this.stats.dropRequestsSent++;
      this.control({ type: 'dropreq', messageNumber: 0, firstSeq: from, lastSeq: to }, nowMs, out);
    }
    out.events.push({ type: 'dropped', from, to, count });
  }

  private transmit(e: Unacked, retransmitted: boolean, nowMs: number, out: SrtOutputs): void {
    if (retransmitted) this.stats.retransmitted++;
    e.lastSentMs = nowMs;
    const header = encodeDataHeader({
      seq: e.seq,
      position: PacketPosition.SOLO,
      inOrder: false,
      keyFlag: e.keyFlag,
      retransmitted,
      messageNumber: e.messageNumber,
      timestamp: timestampOf(e.origMs, this.opts.startMs),
      destSocketId: this.opts.peerSocketId,
    });
    out.send.push([header, e.payload]);
    this.lastSendMs = nowMs;
  }

  private dequeue(): Unacked | undefined {
    if (this.inFlight === 0) return undefined;
    const e = this.queue[this.qHead++];
    if (this.qHead > 1024 && this.qHead * 2 > this.queue.length) {
      this.queue.splice(0, this.qHead);
      this.qHead = 0;
    }
    return e;
  }

  private control(body: ControlBody, nowMs: number, out: SrtOutputs): void {
    out.send.push(encodeControl(body, nowMs, this.opts.startMs, this.opts.peerSocketId));
    this.lastSendMs = nowMs;
  }
}
