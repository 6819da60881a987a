import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import { Rfc4571Deframer } from '../../protocol/rtp/rfc4571-framing.js';
import { parseRtpPacket, type RtpPacket } from '../../protocol/rtp/rtp-packet.js';
import { TcpUdpPort } from './tcp-udp-port.js';

/** RTP packets a TCP media connection may send before one of them has an SSRC we expect. */
const MAX_UNBOUND_PACKETS = 256;

/** Where the RTP of one SSRC goes (a media session). */
export interface RtpSink {
  rtp(packet: RtpPacket): void;
  /** The TCP connection carrying this SSRC closed. */
  mediaClosed(): void;
}

export interface MediaListenerOptions {
  host: string;
  port: number;
  /** TCP media connections at once (one per stream a device sends). */
  maxConnections: number;
  /** A TCP connection that sends no packet of a known SSRC for this long is closed. */
  idleTimeoutMs: number;
  logger: Logger;
}

export interface MediaListenerStats {
  packets: number;
  bytes: number;
  /** RTP packets that did not parse, or TCP streams that broke the RFC 4571 framing. */
  malformed: number;
  /** Packets of an SSRC no session expects. */
  unknownSsrc: number;
  connections: number;
}

/**
 * The media port (SRS: 9000): RTP over TCP (RFC 4571: 2-byte length before each packet) from devices that
 * connect to us, and RTP over UDP, on the same port number. Packets go to the session bound to their SSRC
 * (the `y=` of the INVITE); a TCP connection is bound by its first packet's SSRC. Sessions in TCP active mode
 * have us connect to the device instead (connectTo).
 */
export class MediaListener {
  private listener?: TcpUdpPort;
  private readonly sinks = new Map<number, RtpSink>();
  private readonly sockets = new Set<Socket>();
  private readonly counters = { packets: 0, bytes: 0, malformed: 0, unknownSsrc: 0 };

  constructor(private readonly options: MediaListenerOptions) {}

  get port(): number {
    return this.listener?.port ?? this.options.port;
  }

  get stats(): MediaListenerStats {
    return { ...this.counters, connections: this.sockets.size };
  }

  bind(ssrc: number, sink: RtpSink): void {
    this.sinks.set(ssrc >>> 0, sink);
  }

  unbind(ssrc: number, sink: RtpSink): void {
    if (this.sinks.get(ssrc >>> 0) === sink) this.sinks.delete(ssrc >>> 0);
  }

  async start(): Promise<void> {
    this.listener = await TcpUdpPort.open({
      host: this.options.host,
      port: this.options.port,
      label: 'gb28181 media',
      logger: this.options.logger,
      onConnection: (socket) => this.accept(socket),
      onDatagram: (bytes) => this.packet(bytes),
    });
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    const listener = this.listener;
    this.listener = undefined;
    await listener?.close();
  }

  /** TCP active: we connect to the device's media port; the connection is closed by the returned function. */
  connectTo(host: string, port: number): () => void {
    const socket = connect({ host, port });
    socket.on('connect', () => this.accept(socket));
    socket.on('error', (error) =>
      this.options.logger.warn({ err: error.message, to: `${host}:${port}` }, 'gb28181 media connect failed'),
    );
    return () => socket.destroy();
  }

  private packet(bytes: Buffer): RtpSink | undefined {
    this.counters.packets++;
    this.counters.bytes += bytes.length;
    let packet: RtpPacket;
    try {
      packet = parseRtpPacket(bytes);
    } catch {
      this.counters.malformed++;
      return undefined;
    }
    const sink = this.sinks.get(packet.ssrc >>> 0);
    if (!sink) {
      this.counters.unknownSsrc++;
      return undefined;
    }
    sink.rtp(packet);
    return sink;
  }

  private accept(socket: Socket): void {
    if (this.sockets.size >= this.options.maxConnections) {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.setNoDelay(true);
    socket.setTimeout(this.options.idleTimeoutMs);
    const deframer = new Rfc4571Deframer();
    let bound: RtpSink | undefined;
    let unbound = 0;
    socket.on('data', (chunk) => {
      let frames: Buffer[];
      try {
        frames = deframer.push(chunk);
      } catch {
        this.counters.malformed++;
        socket.destroy();
        return;
      }
      for (const frame of frames) {
        const sink = this.packet(frame);
        if (sink) bound = sink;
        else if (!bound && ++unbound > MAX_UNBOUND_PACKETS) {
          // A connection that carries no SSRC we asked for is not a device of ours.
          socket.destroy();
          return;
        }
      }
    });
    socket.on('timeout', () => socket.destroy());
    socket.on('error', () => {});
    socket.on('close', () => {
      this.sockets.delete(socket);
      bound?.mediaClosed();
    });
  }
}
