import { encodeControlPacket } from './control-packet.js';
import { ExtensionType, findExtension, type Handshake, HandshakeFlag, HandshakeType, UDT_DGRAM } from './handshake.js';
import { decodeHsExtension, encodeHsExtension, SrtFlag } from './hs-extension.js';
import { parsePacket } from './packet.js';
import { encodePeerIp } from './peer-ip.js';
import { rejectionReason } from './rejection.js';
import { encodeStreamIdExtension } from './stream-id-extension.js';

/** A caller repeats its induction or conclusion this often until the listener answers (libsrt: 250 ms). */
export const HANDSHAKE_RETRY_MS = 250;
/** The SRT version a caller of ours announces. */
export const CALLER_SRT_VERSION = 0x010501;

export interface CallerHandshakeOptions {
  socketId: number;
  initialSeq: number;
  streamId: string;
  latencyMs: number;
  /** The listener's address (it goes in the Peer IP field). */
  listenerAddress: string;
}

export type CallerHandshakeOutput =
  | { kind: 'send'; datagram: Buffer }
  | {
      kind: 'connected';
      peerSocketId: number;
      /** The listener's sender latency: the TSBPD latency of what we receive. */
      receiverLatencyMs: number;
      /** The conclusion response's timestamp (µs), which arrived now: the TSBPD time base. */
      peerTimestampUs: number;
    }
  | { kind: 'rejected'; reason: number }
  | { kind: 'none' };

/**
 * The caller side of the HSv5 handshake (draft-sharabayko-srt-01 section 4.3.1.1), without a socket:
 * induction (version 4, cookie 0) → the listener's cookie → conclusion (version 5, HSREQ, SID) → the listener's
 * conclusion (connected) or a rejection (handshake type 1000 + reason). A clear (unencrypted) live-mode caller,
 * what the SRT bench's players need. Timestamps count from `startMs`.
 */
export class CallerHandshake {
  private cookie = 0;
  private lastSentMs = Number.NEGATIVE_INFINITY;
  private done = false;

  constructor(
    private readonly opts: CallerHandshakeOptions,
    private readonly startMs: number,
  ) {}

  /** The datagram to send now: the first one, or a repeat when the last went unanswered. */
  poll(nowMs: number): CallerHandshakeOutput {
    if (this.done || nowMs - this.lastSentMs < HANDSHAKE_RETRY_MS) return { kind: 'none' };
    return { kind: 'send', datagram: this.request(nowMs) };
  }

  /** One datagram from the listener. */
  push(bytes: Buffer, nowMs: number): CallerHandshakeOutput {
    if (this.done) return { kind: 'none' };
    let packet: ReturnType<typeof parsePacket>;
    try {
      packet = parsePacket(bytes);
    } catch {
      return { kind: 'none' };
    }
    if (packet.type !== 'handshake') return { kind: 'none' };
    const hs = packet.handshake;
    if (hs.handshakeType === HandshakeType.INDUCTION) {
      if (this.cookie !== 0) return { kind: 'none' };
      this.cookie = hs.synCookie;
      return { kind: 'send', datagram: this.request(nowMs) };
    }
    const reason = rejectionReason(hs.handshakeType);
    if (reason !== undefined) {
      this.done = true;
      return { kind: 'rejected', reason };
    }
    if (hs.handshakeType !== HandshakeType.CONCLUSION || this.cookie === 0) return { kind: 'none' };
    this.done = true;
    const hsrsp = findExtension(hs, ExtensionType.HSRSP);
    let receiverLatencyMs = this.opts.latencyMs;
    try {
      if (hsrsp) receiverLatencyMs = decodeHsExtension(hsrsp.body).senderDelayMs;
    } catch {
      // A short HSRSP: keep our latency.
    }
    return { kind: 'connected', peerSocketId: hs.socketId, receiverLatencyMs, peerTimestampUs: packet.timestamp };
  }

  private request(nowMs: number): Buffer {
    this.lastSentMs = nowMs;
    const { socketId, initialSeq, listenerAddress, latencyMs, streamId } = this.opts;
    const base = { encryption: 0, initialSeq, mtu: 1500, flowWindow: 8192, socketId };
    const hs: Handshake =
      this.cookie === 0
        ? {
            ...base,
            version: 4,
            extensionField: UDT_DGRAM,
            handshakeType: HandshakeType.INDUCTION,
            synCookie: 0,
            peerIp: encodePeerIp(listenerAddress),
            extensions: [],
          }
        : {
            ...base,
            version: 5,
            extensionField: HandshakeFlag.HSREQ | HandshakeFlag.CONFIG,
            handshakeType: HandshakeType.CONCLUSION,
            synCookie: this.cookie,
            peerIp: encodePeerIp(listenerAddress),
            extensions: [
              {
                type: ExtensionType.HSREQ,
                body: encodeHsExtension({
                  srtVersion: CALLER_SRT_VERSION,
                  flags:
                    SrtFlag.TSBPDSND | SrtFlag.TSBPDRCV | SrtFlag.TLPKTDROP | SrtFlag.PERIODICNAK | SrtFlag.REXMITFLG,
                  receiverDelayMs: latencyMs,
                  senderDelayMs: latencyMs,
                }),
              },
              { type: ExtensionType.SID, body: encodeStreamIdExtension(streamId) },
            ],
          };
    const timestamp = Math.max(0, Math.round((nowMs - this.startMs) * 1000)) % 0x1_0000_0000;
    return encodeControlPacket({ type: 'handshake', timestamp, destSocketId: 0, handshake: hs });
  }
}
