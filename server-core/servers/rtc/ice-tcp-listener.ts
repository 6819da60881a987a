import { createServer, type Server, type Socket } from 'node:net';
import { Rfc4571Deframer, rfc4571Prefix } from '../../protocol/rtp/index.js';
import { listen } from '../listen.js';
import { datagramKind } from './datagram-kind.js';
import { answerBinding } from './ice-lite-responder.js';
import type { RtcOwnerTable, RtcPath, RtcPathOwner } from './rtc-path.js';

export interface IceTcpListenerOptions {
  host: string;
  port: number;
  owners: RtcOwnerTable;
  /** A connection that passes no check within this time is closed; default 10 s. */
  firstCheckTimeoutMs?: number;
  /** Connections at once; default 1000. */
  maxConnections?: number;
}

export interface IceTcpStats {
  connections: number;
  rejectedFrames: number;
  unboundFrames: number;
}

/** A connection's write buffer beyond this drops the frame (the media layer sees pendingBytes first). */
const MAX_TCP_BACKLOG = 4 * 1024 * 1024;

class TcpPath implements RtcPath {
  readonly transport = 'tcp';
  owner?: RtcPathOwner;
  constructor(
    readonly socket: Socket,
    readonly remote: string,
  ) {}

  send(data: Buffer): void {
    if (this.socket.destroyed || this.socket.writableLength > MAX_TCP_BACKLOG) return;
    this.socket.cork();
    this.socket.write(rfc4571Prefix(data.length));
    this.socket.write(data);
    this.socket.uncork();
  }

  pendingBytes(): number {
    return this.socket.writableLength;
  }
}

/**
 * ICE-TCP, passive side (RFC 6544): the peer connects to our tcptype passive candidate; every STUN, DTLS,
 * SRTP and SRTCP packet on the connection is framed by a 16-bit length (RFC 4571). The first check that
 * passes binds the connection to its session, as a path like a UDP address.
 */
export class IceTcpListener {
  readonly stats: IceTcpStats = { connections: 0, rejectedFrames: 0, unboundFrames: 0 };
  private server?: Server;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly options: IceTcpListenerOptions) {}

  async start(): Promise<void> {
    const server = createServer({ noDelay: true }, (socket) => this.accept(socket));
    server.maxConnections = this.options.maxConnections ?? 1000;
    this.server = server;
    await listen(server, this.options.host, this.options.port);
  }

  get port(): number {
    const a = this.server?.address();
    return typeof a === 'object' && a ? a.port : 0;
  }

  close(): void {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    this.server?.close();
    this.server = undefined;
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    this.stats.connections++;
    const remote = `${socket.remoteAddress}:${socket.remotePort}`;
    const path = new TcpPath(socket, remote);
    const deframer = new Rfc4571Deframer();
    const timer = setTimeout(() => {
      if (!path.owner) socket.destroy();
    }, this.options.firstCheckTimeoutMs ?? 10_000);
    timer.unref();
    socket.on('data', (chunk) => {
      let frames: Buffer[];
      try {
        frames = deframer.push(chunk);
      } catch {
        socket.destroy();
        return;
      }
      for (const frame of frames) this.onFrame(path, frame);
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      this.sockets.delete(socket);
      path.owner?.onPathClosed(path);
    });
  }

  private onFrame(path: TcpPath, frame: Buffer): void {
    const kind = datagramKind(frame);
    if (kind === 'stun') {
      const socket = path.socket;
      const verdict = answerBinding(
        frame,
        {
          address: socket.remoteAddress ?? '0.0.0.0',
          port: socket.remotePort ?? 0,
          family: socket.remoteFamily === 'IPv6' ? 'IPv6' : 'IPv4',
        },
        (ufrag) => this.options.owners.get(ufrag),
      );
      if (verdict.kind === 'indication') return;
      if (verdict.kind === 'reject') {
        this.stats.rejectedFrames++;
        return;
      }
      const owner = verdict.login.owner;
      if (path.owner && path.owner !== owner) {
        this.stats.rejectedFrames++;
        return;
      }
      path.owner = owner;
      path.send(verdict.response);
      owner.onBinding(path, verdict.useCandidate, Date.now());
      return;
    }
    if (kind === 'unknown' || !path.owner || path.owner.closed) {
      this.stats.unboundFrames++;
      return;
    }
    path.owner.onDatagram(path, kind, frame);
  }
}
