import {
  parseRtcpCompound,
  parseRtpPacket,
  type RtcpPacket,
  type RtpHeader,
  type RtpPacket,
  rtpHeaderSize,
  serializeRtcpCompound,
  writeRtpHeader,
} from '../../protocol/rtp/index.js';
import type { NegotiatedOffer, WebRtcRole } from '../../protocol/sdp/index.js';
import { type DtlsCertificate, matchesFingerprint } from './dtls-certificate.js';
import { DtlsEndpoint, type DtlsSrtpKeys } from './dtls-endpoint.js';
import type { IceCredentials } from './ice-lite-responder.js';
import type { RtcPath, RtcPathOwner } from './rtc-path.js';
import type { RtcMediaSender, RtcSendKeys } from './rtc-send-pool.js';

/** A send worker's sender as a session sees it: it moves with the session's path, or says it can't. */
export interface RtcPathSender extends Omit<RtcMediaSender, 'retarget'> {
  /** Follows the session to another path; false when this sender can't send on it (the session takes sends back). */
  moveTo(path: RtcPath): boolean;
}

import { SRTP_AEAD_AES_128_GCM, SrtpContext, type SrtpProfileId } from './srtp-context.js';

export type RtcMediaKind = 'audio' | 'video';
export type RtcSessionState = 'checking' | 'handshaking' | 'connected' | 'closed';
export type RtcCloseReason =
  /** close() was called. */
  | 'local'
  /** The peer sent a DTLS alert (close_notify when it closes its RTCPeerConnection). */
  | 'dtls-alert'
  | 'dtls-failed'
  | 'fingerprint-mismatch'
  /** No connectivity check for the consent timeout (RFC 7675: 30 s). */
  | 'consent-timeout'
  /** ICE + DTLS did not finish within the connect timeout. */
  | 'connect-timeout'
  | 'server-closed';

export interface RtcSessionEvents {
  connected: [];
  /** A decrypted RTP packet; kind from the negotiated payload type. */
  rtp: [packet: RtpPacket, kind: RtcMediaKind];
  /** A decrypted RTCP compound packet (SR, RR, SDES, BYE, NACK, PLI, FIR, others as 'unknown'). */
  rtcp: [packets: RtcpPacket[]];
  closed: [reason: RtcCloseReason];
}

export interface RtcSessionStats {
  rtpIn: number;
  rtcpIn: number;
  rtpOut: number;
  rtcpOut: number;
  bytesIn: number;
  bytesOut: number;
  /** SRTP/SRTCP that failed authentication or was malformed after decryption. */
  srtpErrors: number;
  /** RTP with a payload type the answer did not negotiate. */
  unknownPayloadType: number;
  /** Sends refused because the session was not connected. */
  notConnectedDrops: number;
  /** ICE restarts the peer asked for (new credentials, same DTLS and SRTP). */
  iceRestarts: number;
}

export interface RtcSessionInit {
  contextId: string;
  role: WebRtcRole;
  negotiated: NegotiatedOffer;
  localUfrag: string;
  localPwd: string;
  certificate: DtlsCertificate;
  srtpProfiles: SrtpProfileId[];
  consentTimeoutMs: number;
  connectTimeoutMs: number;
  nowMs: number;
  /** Called once when the session closes (the transport forgets it). */
  onClosed?: (session: RtcSession) => void;
  /**
   * Once connected: another sender for this session's outgoing RTP/RTCP (a send worker), given our SRTP keys
   * and the path; undefined keeps sending here. fallBack is called if that sender can no longer carry it.
   */
  offload?: (keys: RtcSendKeys, path: RtcPath, fallBack: () => void) => RtcPathSender | undefined;
}

type Listener<K extends keyof RtcSessionEvents> = (...args: RtcSessionEvents[K]) => void;

/**
 * One WebRTC peer on the shared transport: ICE-lite consent, the DTLS server handshake, SRTP both ways. The
 * media layer listens to 'rtp'/'rtcp', sends with sendRtp/sendRtcp, and reads pendingBytes() to drop to a
 * keyframe when the peer's path backs up.
 */
export class RtcSession implements RtcPathOwner {
  readonly contextId: string;
  readonly role: WebRtcRole;
  readonly negotiated: NegotiatedOffer;
  readonly stats: RtcSessionStats = {
    rtpIn: 0,
    rtcpIn: 0,
    rtpOut: 0,
    rtcpOut: 0,
    bytesIn: 0,
    bytesOut: 0,
    srtpErrors: 0,
    unknownPayloadType: 0,
    notConnectedDrops: 0,
    iceRestarts: 0,
  };
  /** The ICE credentials of the latest offer or restart (the transport's table also holds the previous). */
  private iceValue: IceCredentials;
  private stateValue: RtcSessionState = 'checking';
  private closeReason?: RtcCloseReason;
  private readonly listeners: { [K in keyof RtcSessionEvents]: Set<Listener<K>> } = {
    connected: new Set(),
    rtp: new Set(),
    rtcp: new Set(),
    closed: new Set(),
  };
  private selected?: RtcPath;
  private nominated = false;
  private dtlsPath?: RtcPath;
  private readonly dtls: DtlsEndpoint;
  /** Our SRTP keys once connected; their context is made on first local send (a send worker has its own). */
  private txKeys?: DtlsSrtpKeys;
  private txContext?: SrtpContext;
  /** Set when a send worker protects and sends for this session (tx then stays unused here). */
  private sender?: RtcPathSender;
  private senderPath?: RtcPath;
  private rx?: SrtpContext;
  private profileValue?: SrtpProfileId;
  private lastConsentMs: number;
  private readonly createdMs: number;
  private readonly audioPt?: number;
  private readonly videoPt?: number;

  constructor(private readonly init: RtcSessionInit) {
    this.contextId = init.contextId;
    this.role = init.role;
    this.negotiated = init.negotiated;
    this.iceValue = {
      localUfrag: init.localUfrag,
      localPwd: init.localPwd,
      remoteUfrag: init.negotiated.remoteIceUfrag,
    };
    this.audioPt = init.negotiated.audio?.payloadType;
    this.videoPt = init.negotiated.video?.payloadType;
    this.createdMs = init.nowMs;
    this.lastConsentMs = init.nowMs;
    this.dtls = new DtlsEndpoint({
      certificate: init.certificate,
      srtpProfiles: init.srtpProfiles,
      send: (datagram) => (this.dtlsPath ?? this.selected)?.send(datagram),
      onConnected: (keys) => this.onDtlsConnected(keys),
      onAlert: () => this.finish('dtls-alert'),
      // A handshake error before keys exist ends the session; after that, werift's errors are not fatal.
      onError: () => {
        if (this.stateValue !== 'connected') this.finish('dtls-failed');
      },
    });
  }

  /** Our ufrag and password and the peer's ufrag, as last negotiated. */
  get ice(): Readonly<IceCredentials> {
    return this.iceValue;
  }

  /** @internal transport side: an ICE restart gave the session new credentials. */
  restartedIce(credentials: IceCredentials): void {
    this.iceValue = { ...credentials };
    this.stats.iceRestarts++;
  }

  get state(): RtcSessionState {
    return this.stateValue;
  }

  get closed(): boolean {
    return this.stateValue === 'closed';
  }

  /** Why the session closed (undefined while open). */
  get reason(): RtcCloseReason | undefined {
    return this.closeReason;
  }

  /** The negotiated DTLS-SRTP profile, once connected. */
  get srtpProfile(): SrtpProfileId | undefined {
    return this.profileValue;
  }

  /** The path media goes out on (the nominated pair, else the latest checked one). */
  get path(): RtcPath | undefined {
    return this.selected;
  }

  /** Subscribes; returns the teardown. */
  on<K extends keyof RtcSessionEvents>(event: K, listener: Listener<K>): () => void {
    const set = this.listeners[event] as Set<Listener<K>>;
    set.add(listener);
    return () => set.delete(listener);
  }

  /**
   * Protects and sends one RTP packet. header: the serialized header (RtpHeaderRewriter's 12 bytes) or a
   * header to serialize. false when not connected (nothing sent).
   */
  sendRtp(header: Buffer | RtpHeader, payload: Buffer): boolean {
    const path = this.selected;
    if (!this.txKeys || !path || this.stateValue !== 'connected') {
      this.stats.notConnectedDrops++;
      return false;
    }
    let headerBytes: Buffer;
    if (Buffer.isBuffer(header)) {
      headerBytes = header;
    } else {
      headerBytes = Buffer.allocUnsafe(rtpHeaderSize(header));
      writeRtpHeader(headerBytes, 0, header);
    }
    this.stats.rtpOut++;
    if (this.sender) {
      this.sender.sendRtp(headerBytes, payload);
      this.stats.bytesOut += headerBytes.length + payload.length + srtpTagLength(this.txKeys.profile);
      return true;
    }
    const packet = this.tx(this.txKeys).protectRtp(headerBytes, payload);
    path.send(packet);
    this.stats.bytesOut += packet.length;
    return true;
  }

  /** Protects and sends one RTCP compound packet (bytes or packets to serialize). */
  sendRtcp(packet: Buffer | RtcpPacket[]): boolean {
    const path = this.selected;
    if (!this.txKeys || !path || this.stateValue !== 'connected') {
      this.stats.notConnectedDrops++;
      return false;
    }
    const plain = Buffer.isBuffer(packet) ? packet : serializeRtcpCompound(packet);
    this.stats.rtcpOut++;
    if (this.sender) {
      this.sender.sendRtcp(plain);
      this.stats.bytesOut += plain.length;
      return true;
    }
    const protectedPacket = this.tx(this.txKeys).protectRtcp(plain);
    path.send(protectedPacket);
    this.stats.bytesOut += protectedPacket.length;
    return true;
  }

  /** Bytes given to the socket for this peer and not yet sent: the media layer drops to a keyframe above its limit. */
  pendingBytes(): number {
    return this.sender ? this.sender.pendingBytes() : (this.selected?.pendingBytes() ?? 0);
  }

  /** Sends a DTLS close_notify and closes. Idempotent. */
  close(): void {
    this.finish('local');
  }

  /** Periodic check by the transport: consent (RFC 7675) and the connect timeout. */
  tick(nowMs: number): void {
    if (this.stateValue === 'closed') return;
    if (nowMs - this.lastConsentMs > this.init.consentTimeoutMs) this.finish('consent-timeout');
    else if (this.stateValue !== 'connected' && nowMs - this.createdMs > this.init.connectTimeoutMs)
      this.finish('connect-timeout');
  }

  /** @internal transport side */
  finish(reason: RtcCloseReason): void {
    if (this.stateValue === 'closed') return;
    this.stateValue = 'closed';
    this.closeReason = reason;
    this.dtls.close();
    this.sender?.close();
    this.sender = undefined;
    this.init.onClosed?.(this);
    for (const l of this.listeners.closed) l(reason);
    for (const set of Object.values(this.listeners)) set.clear();
  }

  onBinding(path: RtcPath, useCandidate: boolean, nowMs: number): void {
    if (this.stateValue === 'closed') return;
    this.lastConsentMs = nowMs;
    if (useCandidate) {
      this.selected = path;
      this.nominated = true;
    } else if (!this.nominated) {
      this.selected = path;
    }
    if (this.sender && this.selected !== this.senderPath) this.moveSender();
    if (this.stateValue === 'checking') this.stateValue = 'handshaking';
  }

  onDatagram(path: RtcPath, kind: 'dtls' | 'rtp' | 'rtcp', data: Buffer): void {
    if (this.stateValue === 'closed') return;
    this.stats.bytesIn += data.length;
    if (kind === 'dtls') {
      this.dtlsPath = path;
      this.dtls.push(data);
      return;
    }
    const rx = this.rx;
    if (!rx) return;
    if (kind === 'rtp') {
      let packet: RtpPacket;
      try {
        packet = parseRtpPacket(rx.unprotectRtp(data));
      } catch {
        this.stats.srtpErrors++;
        return;
      }
      const pt = packet.payloadType;
      const mediaKind: RtcMediaKind | undefined =
        pt === this.videoPt ? 'video' : pt === this.audioPt ? 'audio' : undefined;
      if (!mediaKind) {
        this.stats.unknownPayloadType++;
        return;
      }
      this.stats.rtpIn++;
      for (const l of this.listeners.rtp) l(packet, mediaKind);
      return;
    }
    let packets: RtcpPacket[];
    try {
      packets = parseRtcpCompound(rx.unprotectRtcp(data));
    } catch {
      this.stats.srtpErrors++;
      return;
    }
    this.stats.rtcpIn++;
    for (const l of this.listeners.rtcp) l(packets);
  }

  onPathClosed(path: RtcPath): void {
    if (this.selected === path) {
      this.selected = undefined;
      this.nominated = false;
    }
    if (this.senderPath === path) this.dropSender();
    if (this.dtlsPath === path) this.dtlsPath = undefined;
  }

  private onDtlsConnected(keys: DtlsSrtpKeys): void {
    if (this.stateValue === 'closed') return;
    if (!matchesFingerprint(keys.remoteCertificate, this.negotiated.remoteFingerprint)) {
      this.finish('fingerprint-mismatch');
      return;
    }
    this.profileValue = keys.profile;
    this.txKeys = keys;
    this.rx = new SrtpContext(keys.profile, keys.remoteKey, keys.remoteSalt);
    const path = this.selected;
    if (path && this.init.offload) {
      const ours = { profile: keys.profile, key: keys.localKey, salt: keys.localSalt };
      this.sender = this.init.offload(ours, path, () => this.dropSender());
      if (this.sender) this.senderPath = path;
    }
    this.stateValue = 'connected';
    for (const l of this.listeners.connected) l();
  }

  private tx(keys: DtlsSrtpKeys): SrtpContext {
    this.txContext ??= new SrtpContext(keys.profile, keys.localKey, keys.localSalt);
    return this.txContext;
  }

  /** The selected path changed under a send worker: the worker follows it if it can, else sends come back here. */
  private moveSender(): void {
    const path = this.selected;
    if (!path || !this.sender?.moveTo(path)) {
      this.dropSender();
      return;
    }
    this.senderPath = path;
  }

  private dropSender(): void {
    this.sender?.close();
    this.sender = undefined;
    this.senderPath = undefined;
  }
}

/** Bytes SRTP adds to an RTP packet (RFC 3711 HMAC-SHA1-80: 10; RFC 7714 GCM: 16). */
function srtpTagLength(profile: SrtpProfileId): number {
  return profile === SRTP_AEAD_AES_128_GCM ? 16 : 10;
}
