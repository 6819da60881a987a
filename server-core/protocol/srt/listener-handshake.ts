import { randomBytes, randomInt } from 'node:crypto';
import { timestampOf } from './connection-outputs.js';
import { type ControlPacket, encodeControlPacket } from './control-packet.js';
import {
  ExtensionType,
  findExtension,
  type Handshake,
  type HandshakeExtension,
  HandshakeFlag,
  HandshakeType,
  HSV5_MAGIC,
} from './handshake.js';
import { decodeHsExtension, encodeHsExtension, type HsExtension, SrtFlag } from './hs-extension.js';
import { decodeKeyMaterial } from './key-material.js';
import { parsePacket } from './packet.js';
import { encodePeerIp } from './peer-ip.js';
import { RejectReason, rejectionHandshakeType } from './rejection.js';
import { SrtError } from './srt-error.js';
import { decodeStreamIdExtension } from './stream-id-extension.js';
import { type StreamKeys, unwrapStreamKeys } from './stream-keys.js';
import { type SrtPeer, SynCookies } from './syn-cookie.js';

/**
 * The listener side of the HSv5 caller-listener handshake (draft-sharabayko-srt-01 section 4.3.1):
 *   caller  INDUCTION  v4, ext UDT_DGRAM, cookie 0      ->
 *           <- INDUCTION v5, ext 0x4A17, SYN cookie         (no state kept: the cookie proves the address)
 *   caller  CONCLUSION v5, cookie, HSREQ [, KMREQ][, SID] ->
 *           <- CONCLUSION v5, our socket id, HSRSP [, KMRSP]   or a rejection (type 1000 + reason)
 * Latency is the larger of ours and the caller's, per direction. A caller that repeats its conclusion (our
 * answer was lost) gets the same answer again. One object serves every caller of one listening socket.
 */
export const DEFAULT_LATENCY_MS = 120;
export const DEFAULT_MTU = 1500;
export const DEFAULT_FLOW_WINDOW = 25600;
/** The SRT version we announce in HSRSP: the behaviour we follow is libsrt 1.5.1's. */
export const ANNOUNCED_SRT_VERSION = 0x010501;
/** Flags we answer with: TSBPD both ways, crypto capable, too-late drop, periodic NAK, R flag in use. */
export const RESPONSE_FLAGS =
  SrtFlag.TSBPDSND | SrtFlag.TSBPDRCV | SrtFlag.CRYPT | SrtFlag.TLPKTDROP | SrtFlag.PERIODICNAK | SrtFlag.REXMITFLG;
/** Accepted handshakes remembered for answering a repeated conclusion. */
export const MAX_REMEMBERED_ACCEPTS = 1024;
export const REMEMBER_ACCEPT_MS = 10_000;
/** Byte offset of the timestamp in an SRT header (draft-sharabayko-srt-01 section 3). */
const HEADER_TIMESTAMP_OFFSET = 8;

export interface SrtAuthorizeRequest {
  /** As sent (decoded from the SID extension); '' when the caller sent none. */
  streamId: string;
  peer: SrtPeer;
  /** The caller sent key material. */
  encrypted: boolean;
}

export type SrtAuthorization =
  | { accept: true; passphrase?: string; latencyMs?: number }
  | { accept: false; reason: number; why?: string };

export interface CookieIssuer {
  issue(peer: SrtPeer, nowMs: number): number;
  check(cookie: number, peer: SrtPeer, nowMs: number): boolean;
}

export interface ListenerHandshakeOptions {
  /** Secret of the SYN cookies (random when omitted). */
  cookieSecret?: Buffer;
  /** Replaces the SYN cookies altogether (tests, or a cookie shared by several processes). */
  cookies?: CookieIssuer;
  /** Socket id announced in induction responses. */
  listenerSocketId?: number;
  /** Id of each accepted connection; must not repeat among live connections. */
  newSocketId?: () => number;
  latencyMs?: number;
  /** Passphrase required of every caller unless `authorize` names one per stream. */
  passphrase?: string;
  mtu?: number;
  flowWindow?: number;
  authorize?: (request: SrtAuthorizeRequest) => SrtAuthorization;
}

/** What an accepted connection starts from. */
export interface SrtConnectionParams {
  peer: SrtPeer;
  /** The caller's socket id: destination of everything we send. */
  peerSocketId: number;
  /** Our socket id: destination of everything the caller sends. */
  socketId: number;
  /** First sequence number in both directions. */
  initialSeq: number;
  mtu: number;
  flowWindow: number;
  /** TSBPD latency of what we receive / what we send. */
  receiverLatencyMs: number;
  senderLatencyMs: number;
  streamId: string;
  peerSrtVersion: number;
  peerFlags: number;
  keys?: StreamKeys;
  /** Timestamp (µs) of the caller's conclusion and when it arrived (ms): the TSBPD time base. */
  peerTimestampUs: number;
  acceptedAtMs: number;
}

export type ListenerHandshakeOutput =
  | { kind: 'induction'; reply: Buffer }
  | { kind: 'accepted'; reply: Buffer; connection: SrtConnectionParams }
  | { kind: 'repeated'; reply: Buffer; socketId: number }
  | { kind: 'rejected'; reply: Buffer; reason: number; why: string }
  | { kind: 'ignored'; why: string };

interface Remembered {
  reply: Buffer;
  socketId: number;
  atMs: number;
}

export class ListenerHandshake {
  private readonly cookies: CookieIssuer;
  private readonly listenerSocketId: number;
  private readonly newSocketId: () => number;
  private readonly latencyMs: number;
  private readonly mtu: number;
  private readonly flowWindow: number;
  private readonly remembered = new Map<string, Remembered>();
  /** Origin of the timestamps of replies that belong to no connection (induction, rejection): the first datagram. */
  private originMs?: number;

  constructor(private readonly opts: ListenerHandshakeOptions = {}) {
    this.cookies = opts.cookies ?? new SynCookies(opts.cookieSecret ?? randomBytes(32));
    this.newSocketId = opts.newSocketId ?? (() => randomInt(1, 0x7fffffff));
    this.listenerSocketId = opts.listenerSocketId ?? this.newSocketId();
    this.latencyMs = opts.latencyMs ?? DEFAULT_LATENCY_MS;
    this.mtu = opts.mtu ?? DEFAULT_MTU;
    this.flowWindow = opts.flowWindow ?? DEFAULT_FLOW_WINDOW;
  }

  /** One datagram from `peer` to the listening socket, not addressed to a known connection. */
  push(bytes: Buffer, peer: SrtPeer, nowMs: number): ListenerHandshakeOutput {
    let packet: ReturnType<typeof parsePacket>;
    try {
      packet = parsePacket(bytes);
    } catch (error) {
      if (error instanceof SrtError) return { kind: 'ignored', why: error.message };
      throw error;
    }
    if (packet.type !== 'handshake') return { kind: 'ignored', why: `${packet.type} packet before a handshake` };
    const hs = packet.handshake;
    if (hs.handshakeType === HandshakeType.INDUCTION) return this.induction(hs, peer, nowMs);
    if (hs.handshakeType === HandshakeType.CONCLUSION) return this.conclusion(hs, packet.timestamp, peer, nowMs);
    return { kind: 'ignored', why: `handshake type ${hs.handshakeType} to a listener` };
  }

  private induction(hs: Handshake, peer: SrtPeer, nowMs: number): ListenerHandshakeOutput {
    const reply: Handshake = {
      version: 5,
      encryption: 0,
      extensionField: HSV5_MAGIC,
      initialSeq: hs.initialSeq,
      mtu: Math.min(hs.mtu, this.mtu),
      flowWindow: Math.min(hs.flowWindow, this.flowWindow),
      handshakeType: HandshakeType.INDUCTION,
      socketId: this.listenerSocketId,
      synCookie: this.cookies.issue(peer, nowMs),
      peerIp: encodePeerIp(peer.address),
      extensions: [],
    };
    return { kind: 'induction', reply: this.packet(reply, hs.socketId, nowMs) };
  }

  private conclusion(hs: Handshake, peerTimestampUs: number, peer: SrtPeer, nowMs: number): ListenerHandshakeOutput {
    if (!this.cookies.check(hs.synCookie, peer, nowMs)) return { kind: 'ignored', why: 'conclusion with a bad cookie' };
    const key = `${peer.address}|${peer.port}|${hs.socketId}`;
    this.forget(nowMs);
    const seen = this.remembered.get(key);
    if (seen) {
      // Stamped again from the connection start: the caller takes our clock origin from it.
      const reply = Buffer.from(seen.reply);
      reply.writeUInt32BE(timestampOf(nowMs, seen.atMs), HEADER_TIMESTAMP_OFFSET);
      return { kind: 'repeated', reply, socketId: seen.socketId };
    }
    if (hs.version !== 5) return this.reject(hs, peer, nowMs, RejectReason.VERSION, `handshake version ${hs.version}`);

    const hsreqExt = findExtension(hs, ExtensionType.HSREQ);
    if (!(hs.extensionField & HandshakeFlag.HSREQ) || !hsreqExt) {
      return this.reject(hs, peer, nowMs, RejectReason.ROGUE, 'conclusion without HSREQ');
    }
    let req: HsExtension;
    let streamId = '';
    try {
      req = decodeHsExtension(hsreqExt.body);
      const sid = findExtension(hs, ExtensionType.SID);
      if (sid) streamId = decodeStreamIdExtension(sid.body);
    } catch (error) {
      if (!(error instanceof SrtError)) throw error;
      return this.reject(hs, peer, nowMs, RejectReason.ROGUE, error.message);
    }
    if (req.flags & SrtFlag.STREAM) return this.reject(hs, peer, nowMs, RejectReason.MESSAGEAPI, 'stream (file) mode');
    if (findExtension(hs, ExtensionType.FILTER)) {
      return this.reject(hs, peer, nowMs, RejectReason.FILTER, 'packet filters are not supported');
    }
    const congestion = findExtension(hs, ExtensionType.CONGESTION);
    if (congestion) {
      const cc = safeText(congestion);
      if (cc !== 'live') return this.reject(hs, peer, nowMs, RejectReason.CONGESTION, `congestion control "${cc}"`);
    }

    const kmreq = findExtension(hs, ExtensionType.KMREQ);
    const auth = this.opts.authorize?.({ streamId, peer, encrypted: kmreq !== undefined }) ?? { accept: true };
    if (!auth.accept) return this.reject(hs, peer, nowMs, auth.reason, auth.why ?? `stream id "${streamId}" refused`);
    const passphrase = auth.passphrase ?? this.opts.passphrase;

    let keys: StreamKeys | undefined;
    if (kmreq && !passphrase)
      return this.reject(hs, peer, nowMs, RejectReason.UNSECURE, 'caller encrypts, we have no passphrase');
    if (!kmreq && passphrase) return this.reject(hs, peer, nowMs, RejectReason.UNSECURE, 'passphrase required');
    if (kmreq && passphrase) {
      try {
        keys = unwrapStreamKeys(decodeKeyMaterial(kmreq.body), passphrase);
      } catch (error) {
        if (!(error instanceof SrtError)) throw error;
        const reason = error.message.includes('integrity') ? RejectReason.BADSECRET : RejectReason.CRYPTO;
        return this.reject(hs, peer, nowMs, reason, error.message);
      }
    }

    const latency = auth.latencyMs ?? this.latencyMs;
    const receiverLatencyMs = Math.max(latency, req.flags & SrtFlag.TSBPDSND ? req.senderDelayMs : 0);
    const senderLatencyMs = Math.max(latency, req.flags & SrtFlag.TSBPDRCV ? req.receiverDelayMs : 0);
    const socketId = this.newSocketId();
    const hsrsp: HsExtension = {
      srtVersion: ANNOUNCED_SRT_VERSION,
      flags: RESPONSE_FLAGS,
      receiverDelayMs: receiverLatencyMs,
      senderDelayMs: senderLatencyMs,
    };
    const extensions: HandshakeExtension[] = [{ type: ExtensionType.HSRSP, body: encodeHsExtension(hsrsp) }];
    if (kmreq) extensions.push({ type: ExtensionType.KMRSP, body: kmreq.body });
    const mtu = Math.min(hs.mtu, this.mtu);
    const flowWindow = Math.min(hs.flowWindow, this.flowWindow);
    const answer: Handshake = {
      version: 5,
      encryption: 0,
      extensionField: HandshakeFlag.HSREQ | (kmreq ? HandshakeFlag.KMREQ : 0),
      initialSeq: hs.initialSeq,
      mtu,
      flowWindow,
      handshakeType: HandshakeType.CONCLUSION,
      socketId,
      synCookie: 0,
      peerIp: encodePeerIp(peer.address),
      extensions,
    };
    // The connection starts now (acceptedAtMs), and so do the timestamps of everything it sends: this reply says 0.
    // libsrt callers take our clock origin from it (peer start = arrival - timestamp) for TSBPD.
    const reply = this.packet(answer, hs.socketId, nowMs, nowMs);
    this.remember(key, { reply, socketId, atMs: nowMs });
    const connection: SrtConnectionParams = {
      peer,
      peerSocketId: hs.socketId,
      socketId,
      initialSeq: hs.initialSeq,
      mtu,
      flowWindow,
      receiverLatencyMs,
      senderLatencyMs,
      streamId,
      peerSrtVersion: req.srtVersion,
      peerFlags: req.flags,
      peerTimestampUs: peerTimestampUs,
      acceptedAtMs: nowMs,
    };
    if (keys) connection.keys = keys;
    return { kind: 'accepted', reply, connection };
  }

  private reject(hs: Handshake, peer: SrtPeer, nowMs: number, reason: number, why: string): ListenerHandshakeOutput {
    const answer: Handshake = {
      version: 5,
      encryption: 0,
      extensionField: 0,
      initialSeq: hs.initialSeq,
      mtu: hs.mtu,
      flowWindow: hs.flowWindow,
      handshakeType: rejectionHandshakeType(reason),
      socketId: this.listenerSocketId,
      synCookie: 0,
      peerIp: encodePeerIp(peer.address),
      extensions: [],
    };
    return { kind: 'rejected', reply: this.packet(answer, hs.socketId, nowMs), reason, why };
  }

  private packet(handshake: Handshake, destSocketId: number, nowMs: number, startMs?: number): Buffer {
    this.originMs ??= nowMs;
    const timestamp = timestampOf(nowMs, startMs ?? this.originMs);
    const p: ControlPacket = { type: 'handshake', timestamp, destSocketId, handshake };
    return encodeControlPacket(p);
  }

  private remember(key: string, value: Remembered): void {
    if (this.remembered.size >= MAX_REMEMBERED_ACCEPTS) {
      const oldest = this.remembered.keys().next().value;
      if (oldest !== undefined) this.remembered.delete(oldest);
    }
    this.remembered.set(key, value);
  }

  private forget(nowMs: number): void {
    for (const [key, value] of this.remembered) {
      if (nowMs - value.atMs < REMEMBER_ACCEPT_MS) break;
      this.remembered.delete(key);
    }
  }
}

function safeText(ext: HandshakeExtension): string {
  try {
    return decodeStreamIdExtension(ext.body);
  } catch {
    return '?';
  }
}
