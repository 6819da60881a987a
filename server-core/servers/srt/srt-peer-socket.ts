import { createSocket, type RemoteInfo, type Socket, type SocketType } from 'node:dgram';
import type { lookup } from 'node:dns';
import type { SrtDatagram, SrtPeer } from '../../protocol/srt/index.js';
import { probeExclusivePort } from '../exclusive-port-probe.js';

/**
 * Per-connection sockets (Linux): a UDP socket bound with SO_REUSEADDR to the listener's own address and port and
 * connect()ed to one peer. The kernel hands that peer's datagrams to it rather than to the listener's socket
 * (a connected socket is the better match), and what it sends leaves from the listener's port, so the peer sees
 * nothing change. Why: libuv reads at most 32 datagrams per socket per loop turn, so one socket for hundreds of
 * players caps the ACKs read per turn while a long fan-out runs, its kernel queue overflows and players are
 * closed as silent; a socket per player lets each turn read every player's ACKs. A connected send also skips the
 * per-datagram address handling. Other platforms do not promise this delivery rule: one socket for all there.
 */
export const PEER_SOCKETS_SUPPORTED = process.platform === 'linux';

export interface PeerSocketOptions {
  type: SocketType;
  /** The listener's bound address and port. */
  host: string;
  port: number;
  peer: SrtPeer;
  lookup: typeof lookup;
  onMessage: (datagram: Buffer, rinfo: RemoteInfo) => void;
  onError: (error: Error) => void;
}

/** One connection's own socket, once bound and connected; undefined if that failed (the listener's is used). */
export async function openPeerSocket(options: PeerSocketOptions): Promise<PeerSocket | undefined> {
  const socket = createSocket({ type: options.type, reuseAddr: true, lookup: options.lookup });
  socket.on('message', options.onMessage);
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(options.port, options.host, () => {
        socket.connect(options.peer.port, options.peer.address, () => {
          socket.off('error', reject);
          resolve();
        });
      });
    });
  } catch {
    socket.close();
    return undefined;
  }
  socket.on('error', options.onError);
  return new PeerSocket(socket);
}

export class PeerSocket {
  private closed = false;

  constructor(private readonly socket: Socket) {}

  send(datagram: SrtDatagram): void {
    if (!this.closed) this.socket.send(datagram);
  }

  /** After the datagrams queued this turn (a shutdown) have left. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    setImmediate(() => this.socket.close());
  }
}

/**
 * Binds the listener's socket so per-connection sockets can share its port: first an exclusive bind, which fails
 * when another program holds the port (SO_REUSEADDR would let two listeners share it silently), then the
 * listener itself with SO_REUSEADDR on the port that bind got (the option's, or the kernel's pick for 0).
 */
export async function bindShared(socket: Socket, type: SocketType, host: string, port: number): Promise<void> {
  // A restarted listener may find its previous connections' sockets still closing on the port.
  const probed = await probeExclusivePort(type, host, port, 1000);
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(probed, host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
}
