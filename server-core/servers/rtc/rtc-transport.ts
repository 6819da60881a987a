import { randomBytes, randomInt } from 'node:crypto';
import type { Logger } from 'pino';
import { newContextId } from '../../defs/context-id.js';
import {
  answerWebRtcOffer,
  type H264ProfileLevel,
  type IceCandidate,
  type NegotiatedOffer,
  type SendSource,
  type WebRtcRole,
} from '../../protocol/sdp/index.js';
import { createDtlsCertificate, type DtlsCertificate } from './dtls-certificate.js';
import type { IceCredentials } from './ice-lite-responder.js';
import { IceTcpListener } from './ice-tcp-listener.js';
import { RtcError } from './rtc-error.js';
import { RtcOwnerTable, type RtcPath } from './rtc-path.js';
import { type RtcSendKeys, RtcSendPool } from './rtc-send-pool.js';
import { type RtcPathSender, RtcSession } from './rtc-session.js';
import { RtcUdpMux, type RtcUdpMuxStats } from './rtc-udp-mux.js';
import { SRTP_AEAD_AES_128_GCM, SRTP_AES128_CM_HMAC_SHA1_80, type SrtpProfileId } from './srtp-context.js';

export const DEFAULT_RTC_PORT = 8000;
export const DEFAULT_CONSENT_TIMEOUT_MS = 30_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
const TICK_MS = 1_000;

export interface RtcTransportOptions {
  /** Address the UDP (and ICE-TCP) socket binds; default 0.0.0.0. */
  host?: string;
  /** rtc.port, UDP and TCP; default 8000 (SRS). 0 picks a free port (tests). */
  port?: number;
  /**
   * Addresses announced as host candidates at the bound port; default the bound host, or 127.0.0.1 when it is
   * a wildcard. (A public or LAN address belongs here.)
   */
  announce?: string[];
  /** More candidates, as they are (a NAT's public address with another port, ...). */
  extraCandidates?: IceCandidate[];
  /** ICE-TCP (RFC 6544, passive) on the same port number; default true. */
  tcp?: boolean;
  /**
   * SRTP profiles in our preference order; default AES128_CM_HMAC_SHA1_80, then AEAD_AES_128_GCM: both are
   * offered by every browser, and the counter-mode profile runs on one long-lived cipher per session while
   * GCM needs a cipher object per packet in Node (measured 3.6 vs 8.5 µs per 1200-byte packet).
   */
  srtpProfiles?: SrtpProfileId[];
  consentTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Use this certificate instead of making one at start(). */
  certificate?: DtlsCertificate;
  sendBufferSize?: number;
  receiveBufferSize?: number;
  /** One line per session when it connects and when it closes (with its context id and why). */
  logger?: Logger;
  /**
   * Worker threads that protect and send WHEP viewers' media (0: all on this thread). Linux only: elsewhere
   * per-peer sockets on a shared port do not get the peer's datagrams reliably, and this thread sends.
   */
  sendWorkers?: number;
  /** The send worker's entry; default rtc-send-worker next to this module (the desktop bundle passes its own). */
  sendWorkerScript?: URL | string;
}

export interface CreateRtcSessionOptions {
  offer: string;
  role: WebRtcRole;
  /** The source's H.264 profile (WHEP: announced; both: used to choose the payload type). */
  sourceProfile?: H264ProfileLevel;
  /** WHEP: the SSRC/msid we send per kind (a random SSRC each when absent). */
  send?: { audio?: SendSource; video?: SendSource };
  /** rtcp-fb kept in the answer (default nack, nack pli). */
  keepFeedback?: readonly string[];
  contextId?: string;
}

export interface CreatedRtcSession {
  answer: string;
  session: RtcSession;
  negotiated: NegotiatedOffer;
  /** WHEP: the sources announced in the answer (use their SSRCs in the headers you send). */
  send: { audio?: SendSource; video?: SendSource };
}

/**
 * The WebRTC transport of the server: one UDP socket for every peer (and ICE-TCP on the same port number),
 * one DTLS certificate, and the sessions. createSession answers a WHIP/WHEP offer and returns the session;
 * the media layer does the rest through the session.
 */
export class RtcTransport {
  private readonly owners = new RtcOwnerTable<RtcSession>();
  /** Each session's logins in the owner table, oldest first: the current one and the one before a restart. */
  private readonly logins = new Map<RtcSession, Array<() => void>>();
  private readonly live = new Set<RtcSession>();
  private mux?: RtcUdpMux;
  private sendPool?: RtcSendPool;
  private tcp?: IceTcpListener;
  private certificate?: DtlsCertificate;
  private timer?: NodeJS.Timeout;
  private started = false;
  private closed = false;

  constructor(private readonly options: RtcTransportOptions = {}) {}

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.certificate = this.options.certificate ?? (await createDtlsCertificate());
    const host = this.options.host ?? '0.0.0.0';
    const workerScript = this.options.sendWorkerScript ?? defaultSendWorkerScript();
    const workers = process.platform === 'linux' && workerScript ? (this.options.sendWorkers ?? 0) : 0;
    this.mux = new RtcUdpMux({
      host,
      port: this.options.port ?? DEFAULT_RTC_PORT,
      owners: this.owners,
      sendBufferSize: this.options.sendBufferSize,
      receiveBufferSize: this.options.receiveBufferSize,
      shareable: workers > 0,
    });
    await this.mux.start();
    if (workers > 0 && workerScript) {
      const mux = this.mux;
      this.sendPool = new RtcSendPool({
        workers,
        script: workerScript,
        localHost: host,
        localPort: mux.address().port,
        receive: (data, address, port) => mux.deliver(data, address, port),
        logger: this.options.logger,
      });
    }
    if (this.options.tcp !== false) {
      this.tcp = new IceTcpListener({ host, port: this.mux.address().port, owners: this.owners });
      try {
        await this.tcp.start();
      } catch (error) {
        this.mux.close();
        throw error;
      }
    }
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
  }

  /** The bound UDP address. */
  get udpAddress(): { address: string; port: number } {
    if (!this.mux) throw new RtcError('SESSION_CLOSED', 'RtcTransport not started');
    return this.mux.address();
  }

  get tcpPort(): number | undefined {
    return this.tcp?.port;
  }

  get fingerprint(): DtlsCertificate['fingerprint'] {
    if (!this.certificate) throw new RtcError('SESSION_CLOSED', 'RtcTransport not started');
    return this.certificate.fingerprint;
  }

  /** The shared port's counters; sendErrors includes the send workers' sockets. */
  get udpStats(): Readonly<RtcUdpMuxStats> | undefined {
    if (!this.mux) return undefined;
    const workerErrors = this.sendPool?.sendErrors ?? 0;
    return workerErrors ? { ...this.mux.stats, sendErrors: this.mux.stats.sendErrors + workerErrors } : this.mux.stats;
  }

  /** Sessions answered and not yet connected (ICE and DTLS under way, or never started). */
  get connecting(): number {
    let n = 0;
    for (const s of this.live) if (s.state !== 'connected') n++;
    return n;
  }

  /** Send worker threads running now (they start with the first viewers). */
  get sendWorkers(): number {
    return this.sendPool?.workers ?? 0;
  }

  /** Bytes in the shared socket's send queue. */
  sendQueueBytes(): number {
    return this.mux?.sendQueueBytes() ?? 0;
  }

  get sessions(): ReadonlySet<RtcSession> {
    return this.live;
  }

  /** Answers an offer (throws SdpError with a plain reason for a 400) and returns the new session. */
  createSession(options: CreateRtcSessionOptions): CreatedRtcSession {
    const mux = this.mux;
    const certificate = this.certificate;
    if (!mux || !certificate || this.closed) throw new RtcError('SESSION_CLOSED', 'RtcTransport not started');
    const localUfrag = this.freshUfrag();
    const localPwd = iceString(ICE_PWD_BYTES);
    const send: CreatedRtcSession['send'] = {};
    const cname = iceString(9);
    if (options.role === 'whep') {
      const streamId = options.send?.video?.streamId ?? options.send?.audio?.streamId ?? `tally-${iceToken(6)}`;
      send.audio = options.send?.audio ?? { ssrc: randomSsrc(), cname, streamId, trackId: `audio-${iceToken(6)}` };
      send.video = options.send?.video ?? { ssrc: randomSsrc(), cname, streamId, trackId: `video-${iceToken(6)}` };
    }
    const { answer, negotiated } = answerWebRtcOffer(options.offer, {
      role: options.role,
      sourceProfile: options.sourceProfile,
      keepFeedback: options.keepFeedback,
      iceUfrag: localUfrag,
      icePwd: localPwd,
      fingerprint: certificate.fingerprint,
      candidates: this.candidates(),
      sessionId: String(randomInt(1, 2 ** 47)),
      send: options.role === 'whep' ? send : undefined,
    });
    if (!negotiated.audio) delete send.audio;
    if (!negotiated.video) delete send.video;
    const session = new RtcSession({
      contextId: options.contextId ?? newContextId(),
      role: options.role,
      negotiated,
      localUfrag,
      localPwd,
      certificate,
      srtpProfiles: this.options.srtpProfiles ?? [SRTP_AES128_CM_HMAC_SHA1_80, SRTP_AEAD_AES_128_GCM],
      consentTimeoutMs: this.options.consentTimeoutMs ?? DEFAULT_CONSENT_TIMEOUT_MS,
      connectTimeoutMs: this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      nowMs: Date.now(),
      onClosed: (s) => {
        for (const remove of this.logins.get(s) ?? []) remove();
        this.logins.delete(s);
        this.live.delete(s);
      },
      offload: options.role === 'whep' ? (keys, path, fallBack) => this.offload(keys, path, fallBack) : undefined,
    });
    this.logins.set(session, [this.owners.add(session, session.ice)]);
    this.live.add(session);
    const logger = this.options.logger;
    if (logger) {
      const cid = session.contextId;
      session.on('connected', () =>
        logger.info(
          {
            cid,
            role: session.role,
            remote: session.path?.remote,
            via: session.path?.transport,
            srtp: session.srtpProfile,
          },
          'webrtc connected',
        ),
      );
      session.on('closed', (reason) =>
        logger.info(
          { cid, role: session.role, reason, remote: session.path?.remote, ...session.stats },
          'webrtc closed',
        ),
      );
    }
    return { answer, session, negotiated, send };
  }

  /**
   * ICE restart (RFC 8445 9, RFC 9725 4.4): the peer's new ufrag gets new credentials of ours. Checks with the
   * previous ones are still answered (media keeps flowing on the old pair until the new one is chosen); the
   * ones before that are forgotten. DTLS and SRTP carry on.
   */
  restartIce(session: RtcSession, remoteUfrag: string): Readonly<IceCredentials> {
    const logins = this.logins.get(session);
    if (!logins || session.closed) throw new RtcError('SESSION_CLOSED', 'the session has ended');
    const credentials = { localUfrag: this.freshUfrag(), localPwd: iceString(ICE_PWD_BYTES), remoteUfrag };
    logins.push(this.owners.add(session, credentials));
    while (logins.length > 2) logins.shift()?.();
    session.restartedIce(credentials);
    return session.ice;
  }

  /** Closes every session (reason 'server-closed') and the sockets. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    for (const s of [...this.live]) s.finish('server-closed');
    this.sendPool?.close();
    this.tcp?.close();
    this.mux?.close();
  }

  private offload(keys: RtcSendKeys, path: RtcPath, fallBack: () => void): RtcPathSender | undefined {
    const mux = this.mux;
    const peer = mux?.peerOf(path);
    if (!this.sendPool || !mux || !peer) return undefined;
    const sender = this.sendPool.attach(keys, peer.address, peer.port, fallBack);
    return {
      sendRtp: (header, payload) => sender.sendRtp(header, payload),
      sendRtcp: (packet) => sender.sendRtcp(packet),
      pendingBytes: () => sender.pendingBytes(),
      close: () => sender.close(),
      // Only another UDP path on this mux can move: an ICE-TCP path sends from the main thread.
      moveTo: (next) => {
        const moved = mux.peerOf(next);
        if (moved) sender.retarget(moved.address, moved.port);
        return moved !== undefined;
      },
    };
  }

  private freshUfrag(): string {
    let ufrag = iceString(ICE_UFRAG_BYTES);
    while (this.owners.has(ufrag)) ufrag = iceString(ICE_UFRAG_BYTES);
    return ufrag;
  }

  private candidates(): IceCandidate[] {
    const { address, port } = this.udpAddress;
    const wildcard = address === '0.0.0.0' || address === '::';
    const announce = this.options.announce ?? [wildcard ? '127.0.0.1' : address];
    const out: IceCandidate[] = [];
    announce.forEach((a, i) => {
      out.push({
        foundation: String(1 + i),
        component: 1,
        transport: 'udp',
        priority: hostPriority(65535 - i, 1),
        address: a,
        port,
        type: 'host',
        extensions: [],
      });
    });
    if (this.tcp) {
      announce.forEach((a, i) => {
        out.push({
          foundation: String(101 + i),
          component: 1,
          transport: 'tcp',
          // RFC 6544 4.2: TCP below UDP; passive local preference.
          priority: hostPriority(8191 - i, 1) - (126 - 90) * 2 ** 24,
          address: a,
          port: this.tcp?.port ?? port,
          type: 'host',
          tcpType: 'passive',
          extensions: [],
        });
      });
    }
    out.push(...(this.options.extraCandidates ?? []));
    return out;
  }

  private tick(): void {
    const now = Date.now();
    for (const s of [...this.live]) s.tick(now);
  }
}

/** RFC 8445 5.1.2.1: 2^24 type preference (126 host) + 2^8 local preference + (256 - component). */
function hostPriority(localPreference: number, component: number): number {
  return 126 * 2 ** 24 + localPreference * 2 ** 8 + (256 - component);
}

/** 8 ice-chars of ufrag, 24 of password (RFC 8839 5.4 asks for at least 4 and 22). */
const ICE_UFRAG_BYTES = 6;
const ICE_PWD_BYTES = 18;

/** ice-chars from base64 (A-Z a-z 0-9 + /): bytes * 4/3 characters. */
function iceString(bytes: number): string {
  return randomBytes(bytes).toString('base64').replace(/=+$/, '');
}

function iceToken(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

function randomSsrc(): number {
  return randomInt(1, 0xffffffff);
}

/** rtc-send-worker beside this module (.ts from source, .js when compiled); none in a bundle without import.meta. */
function defaultSendWorkerScript(): URL | undefined {
  const here = import.meta.url;
  if (!here) return undefined;
  return new URL(here.endsWith('.ts') ? './rtc-send-worker.ts' : './rtc-send-worker.js', here);
}
