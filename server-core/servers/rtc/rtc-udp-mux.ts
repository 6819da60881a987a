import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { probeExclusivePort } from '../exclusive-port-probe.js';
import { datagramKind } from './datagram-kind.js';
import { answerBinding } from './ice-lite-responder.js';
import type { RtcOwnerTable, RtcPath, RtcPathOwner } from './rtc-path.js';

export interface RtcUdpMuxOptions {
  host: string;
  port: number;
  owners: RtcOwnerTable;
  /** Paths of closed sessions and idle addresses are swept this often. */
  sweepIntervalMs?: number;
  /** Kernel socket buffers (SO_SNDBUF/SO_RCVBUF); fan-out needs more than the default. */
  sendBufferSize?: number;
  receiveBufferSize?: number;
  /**
   * Bind with SO_REUSEADDR so send workers can bind their per-viewer sockets to the same port (after an
   * exclusive probe bind: another program on the port is still an error).
   */
  shareable?: boolean;
}

export interface RtcUdpMuxStats {
  datagrams: number;
  bytesIn: number;
  stunAnswered: number;
  stunRejected: number;
  /** DTLS/RTP/RTCP from an address no check bound to a session. */
  unknownAddress: number;
  /** First byte outside the RFC 7983 ranges we serve. */
  unclassified: number;
  sendErrors: number;
  lastRejectReason?: string;
}

const SWEEP_MS = 10_000;
const RESTART_WAIT_MS = 1000;

function literalLookup(
  address: string,
  family: unknown,
  callback: (error: NodeJS.ErrnoException | null, address: string, family: number) => void,
): void {
  void family;
  callback(null, address, address.includes(':') ? 6 : 4);
}

class UdpPath implements RtcPath {
  readonly transport = 'udp';
  constructor(
    readonly mux: RtcUdpMux,
    readonly remote: string,
    readonly address: string,
    readonly port: number,
    public owner: RtcPathOwner,
  ) {}

  send(data: Buffer): void {
    this.mux.sendOn(this, data);
  }

  /** All peers share the socket and its kernel buffer, so the backlog is the socket's (libuv send queue). */
  pendingBytes(): number {
    return this.mux.sendQueueBytes();
  }
}

/**
 * Every WebRTC peer on one UDP socket (SRS's rtc_server listen): datagrams are told apart by their first
 * byte (RFC 7983); a STUN Binding request that passes the ICE-lite checks binds its source address to the
 * session whose ufrag it names, and DTLS/SRTP from that address then goes to that session. Anything from an
 * address no check bound is dropped and counted.
 */
export class RtcUdpMux {
  readonly stats: RtcUdpMuxStats = {
    datagrams: 0,
    bytesIn: 0,
    stunAnswered: 0,
    stunRejected: 0,
    unknownAddress: 0,
    unclassified: 0,
    sendErrors: 0,
  };
  private socket?: Socket;
  private readonly paths = new Map<string, UdpPath>();
  private sweepTimer?: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly options: RtcUdpMuxOptions) {}

  async start(): Promise<void> {
    const type = this.options.host.includes(':') ? 'udp6' : 'udp4';
    let port = this.options.port;
    // A restarted transport may find the previous one's send workers still closing their sockets on the port.
    if (this.options.shareable) port = await probeExclusivePort(type, this.options.host, port, RESTART_WAIT_MS);
    const socket = createSocket({
      type,
      reuseAddr: this.options.shareable === true,
      // Peers are addressed by IP: no resolver, and no extra tick per datagram.
      lookup: literalLookup,
    });
    this.socket = socket;
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, this.options.host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    if (this.options.sendBufferSize) socket.setSendBufferSize(this.options.sendBufferSize);
    if (this.options.receiveBufferSize) socket.setRecvBufferSize(this.options.receiveBufferSize);
    socket.on('message', (data, rinfo) => this.onMessage(data, rinfo));
    socket.on('error', () => {
      this.stats.sendErrors++;
    });
    this.sweepTimer = setInterval(() => this.sweep(), this.options.sweepIntervalMs ?? SWEEP_MS);
    this.sweepTimer.unref();
  }

  /** The bound address (port 0 in the options picks a free one). */
  address(): { address: string; port: number } {
    if (!this.socket) throw new Error('RtcUdpMux not started');
    const a = this.socket.address();
    return { address: a.address, port: a.port };
  }

  /** Addresses currently bound to a session. */
  get boundPaths(): number {
    return this.paths.size;
  }

  /** Bytes waiting in the socket's send queue, all peers together. */
  sendQueueBytes(): number {
    return this.socket?.getSendQueueSize() ?? 0;
  }

  sendOn(path: UdpPath, data: Buffer): void {
    const socket = this.socket;
    if (!socket || this.closed) return;
    // No callback: a synchronous send completes without a tick; errors come as 'error' events (counted).
    socket.send(data, path.port, path.address);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.paths.clear();
    this.socket?.close();
    this.socket = undefined;
  }

  /** A datagram that reached a send worker's connected socket instead of ours: handled as if it came here. */
  deliver(data: Buffer, address: string, port: number): void {
    if (this.closed) return;
    const family = address.includes(':') ? 'IPv6' : 'IPv4';
    this.onMessage(data, { address, port, family, size: data.length });
  }

  /** The peer address of a UDP path of this mux (undefined for any other path). */
  peerOf(path: RtcPath): { address: string; port: number } | undefined {
    return path instanceof UdpPath && path.mux === this ? { address: path.address, port: path.port } : undefined;
  }

  private onMessage(data: Buffer, rinfo: RemoteInfo): void {
    this.stats.datagrams++;
    this.stats.bytesIn += data.length;
    const kind = datagramKind(data);
    const key = `${rinfo.address}:${rinfo.port}`;
    if (kind === 'stun') {
      this.onStun(data, rinfo, key);
      return;
    }
    if (kind === 'unknown') {
      this.stats.unclassified++;
      return;
    }
    const path = this.paths.get(key);
    if (!path || path.owner.closed) {
      if (path) this.paths.delete(key);
      this.stats.unknownAddress++;
      return;
    }
    path.owner.onDatagram(path, kind, data);
  }

  private onStun(data: Buffer, rinfo: RemoteInfo, key: string): void {
    const verdict = answerBinding(
      data,
      { address: rinfo.address, port: rinfo.port, family: rinfo.family === 'IPv6' ? 'IPv6' : 'IPv4' },
      (ufrag) => this.options.owners.get(ufrag),
    );
    if (verdict.kind === 'indication') return;
    if (verdict.kind === 'reject') {
      this.stats.stunRejected++;
      this.stats.lastRejectReason = verdict.reason;
      return;
    }
    this.stats.stunAnswered++;
    const owner = verdict.login.owner;
    let path = this.paths.get(key);
    if (!path) {
      path = new UdpPath(this, key, rinfo.address, rinfo.port, owner);
      this.paths.set(key, path);
    } else if (path.owner !== owner) {
      // The same 5-tuple now checks for another session (a peer that restarted): the newest wins.
      path.owner = owner;
    }
    path.send(verdict.response);
    owner.onBinding(path, verdict.useCandidate, Date.now());
  }

  private sweep(): void {
    for (const [key, path] of this.paths) if (path.owner.closed) this.paths.delete(key);
  }
}
