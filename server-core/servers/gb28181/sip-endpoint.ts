import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import { MAX_SIP_DATAGRAM_BYTES } from '../../protocol/sip/limits.js';
import type { SipMessage } from '../../protocol/sip/message.js';
import { parseSipDatagram } from '../../protocol/sip/parser.js';
import { serializeSipMessage } from '../../protocol/sip/serializer.js';
import { SipStreamFramer } from '../../protocol/sip/stream-framer.js';
import { TcpUdpPort } from './tcp-udp-port.js';

/** Where a SIP message came from and how to answer: the TCP connection, or the UDP source address. */
export interface SipPeer {
  readonly transport: 'TCP' | 'UDP';
  readonly address: string;
  readonly port: number;
  /** Our address as the peer reaches it (what goes into Via, Contact and SDP). */
  readonly localAddress: string;
  readonly localPort: number;
  send(message: SipMessage): void;
  /** False once a TCP connection closed (a UDP peer is always reachable). */
  readonly open: boolean;
  close(): void;
}

export interface SipEndpointOptions {
  host: string;
  port: number;
  /** TCP connections at once; more are closed on accept. */
  maxConnections: number;
  /** A TCP connection that has sent no message for this long is closed. */
  idleTimeoutMs: number;
  logger: Logger;
  onMessage(message: SipMessage, peer: SipPeer): void;
  onClosed?(peer: SipPeer): void;
}

export interface SipEndpointStats {
  messages: number;
  /** Datagrams or TCP streams that did not parse (a datagram is dropped, a stream is closed). */
  malformed: number;
  connections: number;
}

/**
 * SIP over TCP and UDP on one port (GB/T 28181 devices use either). Sockets only: every message goes to
 * `onMessage` with the peer it came from; a datagram that does not parse is dropped, a TCP stream that
 * cannot be framed is closed.
 */
export class SipEndpoint {
  private listener?: TcpUdpPort;
  private readonly sockets = new Set<Socket>();
  private readonly counters: SipEndpointStats = { messages: 0, malformed: 0, connections: 0 };

  constructor(private readonly options: SipEndpointOptions) {}

  get stats(): SipEndpointStats {
    return { ...this.counters, connections: this.sockets.size };
  }

  get port(): number {
    return this.listener?.port ?? this.options.port;
  }

  async start(): Promise<void> {
    this.listener = await TcpUdpPort.open({
      host: this.options.host,
      port: this.options.port,
      label: 'gb28181 sip',
      logger: this.options.logger,
      onConnection: (socket) => this.accept(socket),
      onDatagram: (bytes, from) => this.datagram(bytes, from.address, from.port),
    });
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    const listener = this.listener;
    this.listener = undefined;
    await listener?.close();
  }

  /** A UDP peer to send to (a device that registered over UDP). */
  udpPeer(address: string, port: number, localAddress: string): SipPeer {
    const endpoint = this;
    return {
      transport: 'UDP',
      address,
      port,
      localAddress,
      localPort: this.port,
      open: true,
      send(message) {
        endpoint.listener?.udp.send(serializeSipMessage(message), port, address);
      },
      close() {},
    };
  }

  private datagram(bytes: Buffer, address: string, port: number): void {
    if (bytes.length > MAX_SIP_DATAGRAM_BYTES) {
      this.counters.malformed++;
      return;
    }
    // Keep-alive CRLFs (RFC 5626) carry nothing.
    if (bytes.every((b) => b === 0x0d || b === 0x0a)) return;
    let message: SipMessage;
    try {
      message = parseSipDatagram(bytes);
    } catch {
      this.counters.malformed++;
      return;
    }
    this.counters.messages++;
    const local = this.listener?.udp.address().address ?? this.options.host;
    this.dispatch(message, this.udpPeer(address, port, local));
  }

  private accept(socket: Socket): void {
    if (this.sockets.size >= this.options.maxConnections) {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.setNoDelay(true);
    socket.setTimeout(this.options.idleTimeoutMs);
    const framer = new SipStreamFramer();
    let open = true;
    const peer: SipPeer = {
      transport: 'TCP',
      address: socket.remoteAddress ?? '',
      port: socket.remotePort ?? 0,
      localAddress: socket.localAddress ?? this.options.host,
      localPort: socket.localPort ?? this.port,
      get open() {
        return open;
      },
      send(message) {
        if (open) socket.write(serializeSipMessage(message));
      },
      close() {
        socket.destroy();
      },
    };
    socket.on('data', (chunk) => {
      for (const out of framer.push(chunk)) {
        if (out.type === 'ping') socket.write('\r\n');
        else if (out.type === 'error') {
          this.counters.malformed++;
          this.options.logger.warn({ peer: `${peer.address}:${peer.port}`, err: out.error.message }, 'gb28181 bad sip');
          socket.destroy();
          return;
        } else {
          this.counters.messages++;
          this.dispatch(out.message, peer);
        }
      }
    });
    socket.on('timeout', () => socket.destroy());
    socket.on('error', () => {});
    socket.on('close', () => {
      open = false;
      this.sockets.delete(socket);
      this.options.onClosed?.(peer);
    });
  }

  private dispatch(message: SipMessage, peer: SipPeer): void {
    try {
      this.options.onMessage(message, peer);
    } catch (error) {
      // A message whose headers are broken in a way the handler found (no CSeq, bad From): drop it.
      this.counters.malformed++;
      this.options.logger.warn({ err: (error as Error).message }, 'gb28181 sip message dropped');
    }
  }
}
