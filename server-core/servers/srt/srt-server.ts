import { randomInt } from 'node:crypto';
import { createSocket, type RemoteInfo, type Socket, type SocketType } from 'node:dgram';
import { lookup } from 'node:dns';
import { isIP, isIPv6 } from 'node:net';
import type { Logger } from 'pino';
import type { ClientContext } from '../../defs/admission.js';
import { newContextId } from '../../defs/context-id.js';
import { tsFormatFor } from '../../formats/ts/from-packets.js';
import {
  AccessReason,
  type ControlPacket,
  decodeKeyMaterial,
  destinationSocketId,
  ExtensionType,
  findExtension,
  ListenerHandshake,
  PayloadCipher,
  parsePacket,
  parseStreamId,
  RejectReason,
  type SrtAuthorization,
  type SrtAuthorizeRequest,
  type SrtConnectionParams,
  type SrtDatagram,
  SrtError,
  type SrtPeer,
  SrtReceiver,
  SrtSender,
  type SrtStreamId,
  unwrapStreamKeys,
} from '../../protocol/srt/index.js';
import { ProblemCounter } from '../problem-counter.js';
import type { SessionPath } from '../session/session-path.js';
import { admissionKey, type PendingAdmission, SrtAdmissionGate } from './srt-admission-gate.js';
import { SrtConnection, type SrtDirection } from './srt-connection.js';
import type { SrtConnectionStats } from './srt-connection-stats.js';
import { bindShared, openPeerSocket, PEER_SOCKETS_SUPPORTED, type PeerSocket } from './srt-peer-socket.js';
import { SrtPlaySink } from './srt-play-sink.js';
import { SrtPlayTicker } from './srt-play-ticker.js';
import { SrtPublishFeed } from './srt-publish-feed.js';
import { srtRefusalReason } from './srt-refusal.js';

/** Kernel socket buffers asked for (the kernel caps them at net.core.[rw]mem_max): room for a GOP burst. */
export const UDP_BUFFER_BYTES = 4 * 1024 * 1024;
/** A caller rejected again for the same reason within this window is counted, not logged (reconnect loops). */
export const REJECTION_LOG_WINDOW_MS = 10_000;
export const MAX_REJECTION_LOG_KEYS = 1024;

export interface SrtServerOptions {
  host: string;
  port: number;
  latencyMs: number;
  /** Empty: callers must not encrypt. */
  passphrase: string;
  /** Shortest AES key (bytes) accepted from an encrypting caller. */
  pbkeylen: number;
  peerIdleTimeoutMs: number;
  maxConnections: number;
  vhost: string;
  sessions: SessionPath;
  logger: Logger;
  now: () => number;
  /** A socket per connection on the listener's port (srt-peer-socket.ts); default: on Linux. */
  peerSockets?: boolean;
}

/** What the authorize hook answers while admission is still running: never sent (the conclusion is held). */
const HOLD: SrtAuthorization = { accept: false, reason: AccessReason.INTERNAL, why: 'held for admission' };

/**
 * The SRT listener (default UDP 10080, `srt://host:10080?streamid=#!::r=live/livestream,m=publish`): one UDP
 * socket, plus on Linux one per accepted connection on the same port (srt-peer-socket.ts); whichever socket a
 * datagram reaches, those addressed to socket id 0 go to the listener handshake, the others to the connection
 * with that id (from the peer it was accepted from). Players are polled by one shared tick (srt-play-ticker.ts). Stream ids map to app/stream (`m=publish` publishes, anything
 * else plays); admission runs through the session path before the handshake is answered, so a refusal is an
 * SRT rejection with its reason. Datagrams that are not SRT, or not for a connection we know, are counted.
 */
export class SrtServer {
  /** Connections by context id. */
  readonly connections = new Map<string, SrtConnection>();
  private readonly bySocketId = new Map<number, SrtConnection>();
  private readonly gate = new SrtAdmissionGate();
  private readonly ticker = new SrtPlayTicker();
  private readonly handshake: ListenerHandshake;
  private readonly problems: ProblemCounter;
  private readonly repeatedRejections: ProblemCounter;
  /** When a rejection was last logged, by caller address and reason. */
  private readonly rejectionLoggedAt = new Map<string, number>();
  private socket?: Socket;
  /** Bound so that each connection can have its own socket on the port. */
  private sharedPort = false;
  private closed = false;
  /** Set by the authorize hook when it held the conclusion being handled. */
  private held?: PendingAdmission;
  /** The datagram the handshake is handling (the authorize hook checks its key material). */
  private current?: Buffer;
  /** Datagrams ignored: not SRT, not for a known connection, from the wrong peer, unexpected handshakes. */
  ignoredDatagrams = 0;

  constructor(private readonly options: SrtServerOptions) {
    this.problems = new ProblemCounter(options.logger, 'srt datagrams ignored');
    this.repeatedRejections = new ProblemCounter(options.logger, 'srt handshakes rejected again');
    this.handshake = new ListenerHandshake({
      latencyMs: options.latencyMs,
      passphrase: options.passphrase || undefined,
      newSocketId: () => this.newSocketId(),
      authorize: (request) => this.authorize(request),
    });
  }

  async start(): Promise<void> {
    const shared = this.options.peerSockets ?? PEER_SOCKETS_SUPPORTED;
    const socket = createSocket({ type: this.socketType, lookup: literalLookup, reuseAddr: shared });
    socket.on('message', (datagram, rinfo) => this.onDatagram(datagram, rinfo));
    socket.on('error', (error) => this.options.logger.error({ err: error.message }, 'srt listener error'));
    if (shared) await bindShared(socket, this.socketType, this.options.host, this.options.port);
    else {
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(this.options.port, this.options.host, () => {
          socket.off('error', reject);
          resolve();
        });
      });
    }
    this.sharedPort = shared;
    for (const set of [socket.setRecvBufferSize, socket.setSendBufferSize]) {
      try {
        set.call(socket, UDP_BUFFER_BYTES);
      } catch {
        // Kept at the system default.
      }
    }
    this.socket = socket;
    this.options.logger.info({ host: this.options.host, port: this.port }, 'srt listening');
  }

  private get socketType(): SocketType {
    return isIPv6(this.options.host) ? 'udp6' : 'udp4';
  }

  /** The bound port (differs from the option when it was 0). */
  get port(): number {
    return this.socket?.address().port ?? this.options.port;
  }

  /** RTT, loss, retransmissions and bitrate of one connection (by context id). */
  connectionStats(cid: string): SrtConnectionStats | undefined {
    return this.connections.get(cid)?.stats();
  }

  allConnectionStats(): SrtConnectionStats[] {
    return [...this.connections.values()].map((c) => c.stats());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const connection of [...this.connections.values()]) connection.close('server closing');
    for (const entry of this.gate.all()) {
      entry.session?.end();
      this.gate.remove(entry);
    }
    this.problems.close();
    this.repeatedRejections.close();
    const socket = this.socket;
    this.socket = undefined;
    if (!socket) return;
    // Let the shutdowns just queued leave before the socket goes.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  private onDatagram(datagram: Buffer, rinfo: RemoteInfo): void {
    if (this.closed) return;
    const peer: SrtPeer = { address: rinfo.address, port: rinfo.port };
    const dest = destinationSocketId(datagram);
    if (dest === undefined) {
      this.ignore(peer, `datagram of ${datagram.length} bytes`);
      return;
    }
    if (dest === 0) {
      try {
        this.onHandshake(datagram, peer);
      } catch (error) {
        this.options.logger.error({ peer: peerText(peer), err: (error as Error).message }, 'srt handshake failed');
      }
      return;
    }
    const connection = this.bySocketId.get(dest);
    if (!connection) {
      this.ignore(peer, `datagram for unknown socket id ${dest}`);
      return;
    }
    const expected = connection.params.peer;
    if (expected.address !== peer.address || expected.port !== peer.port) {
      this.ignore(peer, `datagram for socket id ${dest} from another peer`);
      return;
    }
    try {
      connection.push(datagram);
    } catch (error) {
      this.options.logger.error({ cid: connection.cid, err: (error as Error).message }, 'srt connection failed');
      connection.close(`internal error: ${(error as Error).message}`);
    }
  }

  private onHandshake(datagram: Buffer, peer: SrtPeer): void {
    const now = this.options.now();
    this.gate.sweep(now);
    this.held = undefined;
    this.current = datagram;
    const out = this.handshake.push(datagram, peer, now);
    this.current = undefined;
    const held = this.held as PendingAdmission | undefined;
    this.held = undefined;
    if (held) {
      held.datagram = datagram;
      return;
    }
    switch (out.kind) {
      case 'induction':
      case 'repeated':
        this.sendTo(out.reply, peer);
        return;
      case 'accepted':
        this.accept(out.connection, out.reply);
        return;
      case 'rejected':
        this.sendTo(out.reply, peer);
        this.logRejection(peer, out.reason, out.why, now);
        return;
      case 'ignored':
        this.ignore(peer, out.why);
        return;
    }
  }

  /** The handshake's authorize hook: a verdict when admission has one, else the conclusion is held for it. */
  private authorize(request: SrtAuthorizeRequest): SrtAuthorization {
    const key = admissionKey(request.peer, request.streamId);
    const known = this.gate.get(key);
    if (known) {
      if (known.state === 'pending') {
        this.held = known;
        return HOLD;
      }
      return known.authorization ?? HOLD;
    }
    let streamId: SrtStreamId;
    try {
      streamId = parseStreamId(request.streamId);
    } catch (error) {
      if (!(error instanceof SrtError)) throw error;
      return { accept: false, reason: AccessReason.BAD_REQUEST, why: error.message };
    }
    if (this.connections.size + this.gate.pending >= this.options.maxConnections) {
      return {
        accept: false,
        reason: AccessReason.OVERLOAD,
        why: `srt.maxConnections (${this.options.maxConnections}) reached`,
      };
    }
    const crypto = this.cryptoVerdict(request.encrypted);
    if (crypto) return crypto;
    const cid = newContextId();
    const log = this.options.logger.child({ cid, proto: 'srt' });
    const entry: PendingAdmission = {
      key,
      cid,
      peer: request.peer,
      streamId,
      client: this.clientContext(cid, request.peer, streamId),
      log,
      state: 'pending',
      atMs: this.options.now(),
    };
    if (streamId.mode === 'request') entry.sink = new SrtPlaySink(this.options.now);
    log.info(
      { peer: peerText(request.peer), streamId: request.streamId, mode: streamId.mode, encrypted: request.encrypted },
      'srt connection',
    );
    this.gate.open(entry);
    this.held = entry;
    this.admit(entry).catch((error: Error) => {
      log.error({ err: error.message }, 'srt admission failed');
      this.settle(entry, { accept: false, reason: AccessReason.INTERNAL, why: error.message });
    });
    return HOLD;
  }

  /**
   * Key material the handshake would refuse anyway (wrong passphrase, none when one is required) is left to the
   * handshake, before admission runs; a key shorter than srt.pbkeylen is refused here.
   */
  private cryptoVerdict(encrypted: boolean): SrtAuthorization | undefined {
    const passphrase = this.options.passphrase;
    if (!passphrase || !encrypted) return passphrase || encrypted ? { accept: true } : undefined;
    try {
      const packet = parsePacket(this.current ?? Buffer.alloc(0)) as ControlPacket;
      if (packet.type !== 'handshake') return { accept: true };
      const kmreq = findExtension(packet.handshake, ExtensionType.KMREQ);
      if (!kmreq) return { accept: true };
      const km = decodeKeyMaterial(kmreq.body);
      unwrapStreamKeys(km, passphrase);
      if (km.keyLength < this.options.pbkeylen) {
        return {
          accept: false,
          reason: RejectReason.UNSECURE,
          why: `AES key of ${km.keyLength} bytes, srt.pbkeylen asks at least ${this.options.pbkeylen}`,
        };
      }
      return undefined;
    } catch (error) {
      if (!(error instanceof SrtError)) throw error;
      return { accept: true };
    }
  }

  private async admit(entry: PendingAdmission): Promise<void> {
    const { client, log } = entry;
    const stillWanted = () => !this.closed && entry.cancelled === undefined;
    const opened =
      entry.streamId.mode === 'publish'
        ? await this.options.sessions.publish({
            client,
            log,
            stillWanted,
            disconnect: (reason) => this.disconnect(entry, reason),
          })
        : await this.options.sessions.play({
            client,
            log,
            stillWanted,
            format: tsFormatFor,
            sink: entry.sink as SrtPlaySink,
          });
    if (opened.ok) {
      if (this.closed || entry.cancelled !== undefined) {
        opened.end();
        this.settle(entry, { accept: false, reason: AccessReason.DOWN, why: entry.cancelled ?? 'server closing' });
        return;
      }
      this.settle(entry, { accept: true }, opened);
      return;
    }
    this.settle(entry, { accept: false, reason: srtRefusalReason(opened.code), why: opened.reason });
  }

  /** Records the verdict and answers the held conclusion with it. */
  private settle(entry: PendingAdmission, authorization: SrtAuthorization, session?: PendingAdmission['session']) {
    this.gate.settle(entry, authorization, session);
    if (this.closed) {
      entry.session?.end();
      return;
    }
    const datagram = entry.datagram;
    if (datagram) this.onHandshake(datagram, entry.peer);
    // Accepted: the connection owns the session now. Anything else: nothing may keep it.
    if (entry.session && !this.connections.has(entry.cid)) {
      entry.session.end();
      entry.session = undefined;
    }
  }

  /** The hub wants the publisher gone (kick, a replacing publisher): close it, or cancel it while pending. */
  private disconnect(entry: PendingAdmission, reason: string): void {
    const connection = this.connections.get(entry.cid);
    if (connection) {
      connection.close(reason);
      return;
    }
    entry.cancelled = reason;
    entry.session?.end();
    entry.session = undefined;
  }

  private accept(params: SrtConnectionParams, reply: Buffer): void {
    const entry = this.gate.get(admissionKey(params.peer, params.streamId));
    const session = entry?.session;
    if (!entry || !session) {
      // Accepted without a session (cannot happen: authorize accepts only admitted callers): do not answer.
      this.options.logger.error({ peer: peerText(params.peer) }, 'srt handshake accepted without a session');
      return;
    }
    this.gate.remove(entry);
    const cipher = params.keys ? new PayloadCipher(params.keys) : undefined;
    const common = {
      socketId: params.socketId,
      peerSocketId: params.peerSocketId,
      initialSeq: params.initialSeq,
      startMs: params.acceptedAtMs,
      cipher,
      peerIdleTimeoutMs: this.options.peerIdleTimeoutMs,
    };
    let direction: SrtDirection;
    if (entry.sink) {
      direction = {
        role: 'play',
        sender: new SrtSender({ ...common, latencyMs: params.senderLatencyMs }),
        sink: entry.sink,
      };
    } else {
      direction = {
        role: 'publish',
        receiver: new SrtReceiver({
          ...common,
          latencyMs: params.receiverLatencyMs,
          peerTimestampUs: params.peerTimestampUs,
          passphrase: this.options.passphrase || undefined,
        }),
        feed: new SrtPublishFeed(session.source),
      };
    }
    // Its own socket once open; the listener's until then (and for good if it cannot be opened).
    const route: { socket?: PeerSocket } = {};
    const connection = new SrtConnection({
      cid: entry.cid,
      params,
      streamId: entry.streamId,
      direction,
      send: (datagram) => (route.socket ? route.socket.send(datagram) : this.sendTo(datagram, params.peer)),
      endSession: () => session.end(),
      onClosed: (c) => {
        this.connections.delete(c.cid);
        if (this.bySocketId.get(c.socketId) === c) this.bySocketId.delete(c.socketId);
        route.socket?.close();
      },
      peerIdleTimeoutMs: this.options.peerIdleTimeoutMs,
      ticker: this.ticker,
      logger: entry.log,
      now: this.options.now,
    });
    this.connections.set(entry.cid, connection);
    this.bySocketId.set(params.socketId, connection);
    this.sendTo(reply, params.peer);
    entry.log.info(
      {
        socketId: params.socketId,
        latencyMs: direction.role === 'play' ? params.senderLatencyMs : params.receiverLatencyMs,
        encrypted: cipher !== undefined,
      },
      `srt ${direction.role} connected`,
    );
    connection.start();
    if (this.sharedPort) this.openOwnSocket(connection, route);
  }

  private openOwnSocket(connection: SrtConnection, route: { socket?: PeerSocket }): void {
    const peer = connection.params.peer;
    openPeerSocket({
      type: this.socketType,
      host: this.options.host,
      port: this.port,
      peer,
      lookup: literalLookup,
      onMessage: (datagram, rinfo) => this.onDatagram(datagram, rinfo),
      // A connected socket hears the ICMP of a peer that went away (ECONNREFUSED): summarised, not one line each;
      // the idle timeout ends the connection.
      onError: (error) => this.problems.count(peer.address, new SrtError('SRT_INVALID', `socket: ${error.message}`)),
    }).then((socket) => {
      if (!socket) return;
      if (connection.isClosed || this.closed) socket.close();
      else route.socket = socket;
    });
  }

  private clientContext(cid: string, peer: SrtPeer, id: SrtStreamId): ClientContext {
    return {
      cid,
      ip: peer.address,
      protocol: 'srt',
      vhost: this.options.vhost,
      app: id.app,
      stream: id.stream,
      param: new URLSearchParams(id.query).toString(),
      tcUrl: `srt://${this.options.host}:${this.port}/${id.app}`,
    };
  }

  /** One line per caller address and reason per window; a caller that keeps reconnecting is summarised. */
  private logRejection(peer: SrtPeer, reason: number, why: string, now: number): void {
    const key = `${peer.address}|${reason}`;
    const last = this.rejectionLoggedAt.get(key);
    if (last !== undefined && now - last < REJECTION_LOG_WINDOW_MS) {
      this.repeatedRejections.count(peer.address, new SrtError('SRT_INVALID', `rejected (${reason}): ${why}`));
      return;
    }
    if (this.rejectionLoggedAt.size >= MAX_REJECTION_LOG_KEYS) this.rejectionLoggedAt.clear();
    this.rejectionLoggedAt.set(key, now);
    this.options.logger.warn({ peer: peerText(peer), reason, why }, `srt handshake rejected (${reason})`);
  }

  private newSocketId(): number {
    for (;;) {
      const id = randomInt(1, 0x7fffffff);
      if (!this.bySocketId.has(id)) return id;
    }
  }

  private sendTo(datagram: SrtDatagram, peer: SrtPeer): void {
    this.socket?.send(datagram, peer.port, peer.address);
  }

  private ignore(peer: SrtPeer, why: string): void {
    this.ignoredDatagrams++;
    this.problems.count(peer.address, new SrtError('SRT_INVALID', `${why} (from port ${peer.port})`));
  }
}

/**
 * Every peer address is the literal a datagram came from: answered at once, so a send leaves inside
 * socket.send (dns.lookup answers literals a tick later, one deferred call per datagram).
 */
const literalLookup: typeof lookup = ((hostname: string, options: unknown, callback: unknown) => {
  const family = isIP(hostname);
  if (family !== 0 && typeof callback === 'function') callback(null, hostname, family);
  else (lookup as (...args: unknown[]) => void)(hostname, options, callback);
}) as typeof lookup;

function peerText(peer: SrtPeer): string {
  return peer.address.includes(':') ? `[${peer.address}]:${peer.port}` : `${peer.address}:${peer.port}`;
}
