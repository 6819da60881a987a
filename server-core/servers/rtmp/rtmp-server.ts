import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { Logger } from 'pino';
import type { Admission } from '../../defs/admission.js';
import { newContextId } from '../../defs/context-id.js';
import type { PemCertificate } from '../../defs/self-signed-certificate.js';
import { createRtmpChunkFormat } from '../../formats/rtmp/from-packets.js';
import type { WireFormat } from '../../hub/wire-format.js';
import { listen } from '../listen.js';
import { ProblemCounter } from '../problem-counter.js';
import type { SessionPath } from '../session/session-path.js';
import { ByteBudget } from './byte-budget.js';
import { RtmpConnection } from './rtmp-connection.js';

export interface RtmpServerOptions {
  host: string;
  port: number;
  chunkSize: number;
  handshakeTimeoutMs: number;
  publishIdleTimeoutMs: number;
  preAdmissionMaxMessageBytes: number;
  preAdmissionTotalBytes: number;
  maxMessageBytes: number;
  vhost: string;
  sessions: SessionPath;
  admission: Admission;
  logger: Logger;
  now: () => number;
  /** RTMPS: the certificate this listener speaks TLS with (loaded when it starts). */
  tls?: () => Promise<PemCertificate>;
}

/** The RTMP listener (default port 1935): owns the sockets, one RtmpConnection each. */
export class RtmpServer {
  readonly connections = new Map<string, RtmpConnection>();
  private server?: Server;
  private readonly formats = new Map<number, WireFormat>();
  private readonly badPackets: ProblemCounter;
  private readonly preAdmissionBudget: ByteBudget;

  constructor(private readonly options: RtmpServerOptions) {
    this.preAdmissionBudget = new ByteBudget(options.preAdmissionTotalBytes);
    this.badPackets = new ProblemCounter(options.logger, 'malformed rtmp media messages dropped');
  }

  async start(): Promise<void> {
    const tls = await this.options.tls?.();
    const server = tls
      ? createTlsServer(
          // The TLS handshake comes before the RTMP one: the same deadline bounds it.
          { cert: tls.certPem, key: tls.keyPem, handshakeTimeout: this.options.handshakeTimeoutMs },
          (socket) => this.accept(socket),
        )
      : createServer((socket) => this.accept(socket));
    const name = tls ? 'rtmps' : 'rtmp';
    server.on('error', (error) => this.options.logger.error({ err: error.message }, `${name} listener error`));
    // A failed TLS handshake is one client's problem: a line at debug, the listener goes on.
    server.on('tlsClientError', (error: Error) =>
      this.options.logger.debug({ err: error.message }, 'rtmps handshake failed'),
    );
    this.server = server;
    await listen(server, this.options.host, this.options.port);
    this.options.logger.info({ host: this.options.host, port: this.port }, `${name} listening`);
  }

  /** Bytes held right now by connections that have not published or played yet. */
  get preAdmissionBytes(): number {
    return this.preAdmissionBudget.inUse;
  }

  /** The bound port (differs from the option when it was 0). */
  get port(): number {
    const address = this.server?.address();
    return address && typeof address === 'object' ? address.port : this.options.port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const connection of this.connections.values()) connection.close('server closing');
    this.badPackets.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    const cid = newContextId();
    const logger = this.options.logger.child({ cid, proto: this.options.tls ? 'rtmps' : 'rtmp' });
    logger.info({ peer: `${socket.remoteAddress}:${socket.remotePort}` }, 'rtmp connection');
    const connection = new RtmpConnection({
      cid,
      socket,
      sessions: this.options.sessions,
      vhost: this.options.vhost,
      chunkSize: this.options.chunkSize,
      handshakeTimeoutMs: this.options.handshakeTimeoutMs,
      publishIdleTimeoutMs: this.options.publishIdleTimeoutMs,
      preAdmissionMaxMessageBytes: this.options.preAdmissionMaxMessageBytes,
      maxMessageBytes: this.options.maxMessageBytes,
      preAdmissionBudget: this.preAdmissionBudget,
      logger,
      admission: this.options.admission,
      chunkFormat: (streamId) => this.chunkFormat(streamId),
      now: this.options.now,
      onBadPacket: (id, error) => this.badPackets.count(id, error),
    });
    this.connections.set(cid, connection);
    socket.on('close', () => this.connections.delete(cid));
  }

  private chunkFormat(streamId: number): WireFormat {
    let format = this.formats.get(streamId);
    if (!format) {
      format = createRtmpChunkFormat(this.options.chunkSize, streamId);
      this.formats.set(streamId, format);
    }
    return format;
  }
}
