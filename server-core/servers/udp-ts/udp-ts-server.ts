import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { Logger } from 'pino';
import type { ClientContext } from '../../defs/admission.js';
import { newContextId } from '../../defs/context-id.js';
import { TsIngest } from '../../formats/ts/to-packets.js';
import type { PublishSession, SessionPath } from '../session/session-path.js';

export interface UdpTsOptions {
  host: string;
  port: number;
  /** `app/stream` the datagrams publish to. */
  stream: string;
  /** No datagram for this long ends the publish (the stream then waits for the sender to come back). */
  idleTimeoutMs: number;
  vhost: string;
  sessions: SessionPath;
  logger: Logger;
}

/** What the API and tests read: traffic and what the ingest made of it. */
export interface UdpTsStats {
  datagrams: number;
  bytes: number;
  /** Datagrams from another address while a sender is active (ignored: two senders would interleave). */
  foreign: number;
  publishes: number;
  ingest?: TsIngest['stats'];
}

/**
 * MPEG-TS over UDP ingest (SRS's stream_caster mpegts_over_udp): `ffmpeg -f mpegts udp://host:8935` publishes
 * to one configured stream. The first sender owns the stream until it goes quiet; datagrams may split TS
 * packets anywhere, and lost datagrams and a restarted sender are counted and resynchronised by the ingest.
 */
export class UdpTsServer {
  private socket?: Socket;
  private sender?: { address: string; port: number; cid: string };
  private ingest?: TsIngest;
  private publish?: PublishSession;
  private idleTimer?: NodeJS.Timeout;
  private readonly counters: Omit<UdpTsStats, 'ingest'> = { datagrams: 0, bytes: 0, foreign: 0, publishes: 0 };
  private readonly app: string;
  private readonly streamName: string;

  constructor(private readonly options: UdpTsOptions) {
    const slash = options.stream.indexOf('/');
    this.app = slash > 0 ? options.stream.slice(0, slash) : 'live';
    this.streamName = slash > 0 ? options.stream.slice(slash + 1) : options.stream;
  }

  get stats(): UdpTsStats {
    return { ...this.counters, ingest: this.ingest?.stats };
  }

  /** The bound port (differs from the option when it was 0). */
  get port(): number {
    return this.socket?.address().port ?? this.options.port;
  }

  start(): Promise<void> {
    const socket = createSocket({ type: this.options.host.includes(':') ? 'udp6' : 'udp4', reuseAddr: false });
    this.socket = socket;
    socket.on('message', (bytes, peer) => this.onDatagram(bytes, peer));
    socket.on('error', (error) => this.options.logger.error({ err: error.message }, 'udp-ts socket error'));
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(this.options.port, this.options.host, () => {
        socket.off('error', reject);
        this.options.logger.info(
          { host: this.options.host, port: this.port, stream: this.options.stream },
          'udp-ts listening',
        );
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    this.endPublish('server closing');
    const socket = this.socket;
    this.socket = undefined;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  private onDatagram(bytes: Buffer, peer: RemoteInfo): void {
    this.counters.datagrams++;
    this.counters.bytes += bytes.length;
    if (this.sender && (this.sender.address !== peer.address || this.sender.port !== peer.port)) {
      this.counters.foreign++;
      return;
    }
    if (!this.sender) this.beginSender(peer);
    this.armIdleTimer();
    const ingest = this.ingest;
    if (!ingest) return;
    const packets = ingest.push(bytes);
    const source = this.publish?.source;
    // Until admission answers, packets are dropped (the stream starts at the next keyframe anyway).
    if (!source) return;
    for (const packet of packets) source.push(packet);
  }

  private beginSender(peer: RemoteInfo): void {
    const cid = newContextId();
    this.sender = { address: peer.address, port: peer.port, cid };
    this.ingest = new TsIngest();
    const log = this.options.logger.child({ cid, proto: 'udp-ts' });
    log.info({ peer: `${peer.address}:${peer.port}` }, 'udp-ts sender');
    const client: ClientContext = {
      cid,
      ip: peer.address,
      protocol: 'udp-ts',
      vhost: this.options.vhost,
      app: this.app,
      stream: this.streamName,
      param: '',
      tcUrl: `udp://${peer.address}:${peer.port}`,
    };
    const sender = this.sender;
    void this.options.sessions
      .publish({
        client,
        log,
        disconnect: (reason) => this.endPublish(reason),
        stillWanted: () => this.sender === sender,
      })
      .then((opened) => {
        if (!opened.ok) {
          // Refused or busy: datagrams from this sender are ignored until it goes quiet, then it may try again.
          this.ingest = undefined;
          return;
        }
        this.publish = opened;
        this.counters.publishes++;
      });
  }

  private armIdleTimer(): void {
    if (this.idleTimer) this.idleTimer.refresh();
    else {
      this.idleTimer = setTimeout(() => this.endPublish('sender idle'), this.options.idleTimeoutMs);
      this.idleTimer.unref();
    }
  }

  private endPublish(reason: string): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (this.sender) this.options.logger.info({ cid: this.sender.cid, reason }, 'udp-ts sender gone');
    this.publish?.end();
    this.publish = undefined;
    this.sender = undefined;
    this.ingest = undefined;
  }
}
