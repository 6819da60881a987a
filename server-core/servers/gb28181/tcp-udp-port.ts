import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import { listen } from '../listen.js';

export interface TcpUdpPortOptions {
  host: string;
  /** 0 asks the OS once: UDP binds the port TCP got. */
  port: number;
  /** Names the port in error lines (`gb28181 sip`, `gb28181 media`). */
  label: string;
  logger: Logger;
  onConnection: (socket: Socket) => void;
  onDatagram: (bytes: Buffer, from: RemoteInfo) => void;
}

/** One port number on TCP and UDP together, as SIP and GB28181 media use it. */
export class TcpUdpPort {
  private constructor(
    readonly tcp: Server,
    readonly udp: UdpSocket,
  ) {}

  static async open(options: TcpUdpPortOptions): Promise<TcpUdpPort> {
    const { host, label, logger } = options;
    const tcp = createServer(options.onConnection);
    await listen(tcp, host, options.port);
    tcp.on('error', (error) => logger.error({ err: error.message }, `${label} tcp error`));
    const address = tcp.address();
    const port = address && typeof address === 'object' ? address.port : options.port;
    const udp = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4' });
    udp.on('message', options.onDatagram);
    try {
      await new Promise<void>((resolve, reject) => {
        udp.once('error', reject);
        udp.bind(port, host, () => {
          udp.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      tcp.close();
      throw error;
    }
    udp.on('error', (error) => logger.error({ err: error.message }, `${label} udp error`));
    return new TcpUdpPort(tcp, udp);
  }

  get port(): number {
    const address = this.tcp.address();
    return address && typeof address === 'object' ? address.port : 0;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.udp.close(() => resolve()));
    await new Promise<void>((resolve) => this.tcp.close(() => resolve()));
  }
}
