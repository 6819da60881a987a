import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { flvBodyFormat } from '../../hub/formats/flv-formats.js';
import { FLV_TAG_AUDIO, FLV_TAG_SCRIPT, FLV_TAG_VIDEO, flvBodyToPacket } from '../../hub/formats/flv-packet.js';
import { HubError } from '../../hub/hub-error.js';
import type { Reader } from '../../hub/reader.js';
import type { StreamRegistry } from '../../hub/stream-registry.js';
import type { StreamSource } from '../../hub/stream-source.js';
import type { WireFormat } from '../../hub/wire-format.js';
import type { RtmpMessage } from '../../protocol/rtmp/message.js';
import { type RtmpServerEvent, RtmpServerSession } from '../../protocol/rtmp/server-session.js';

export interface RtmpConnectionOptions {
  cid: string;
  socket: Socket;
  registry: StreamRegistry;
  vhost: string;
  chunkSize: number;
  handshakeTimeoutMs: number;
  publishIdleTimeoutMs: number;
  logger: Logger;
  chunkFormat: (streamId: number) => WireFormat;
  now: () => number;
  /** Per-packet problems are counted, not logged one line each. */
  onBadPacket: (cid: string, error: Error) => void;
}

/**
 * One RTMP TCP connection: feeds socket bytes to the protocol state machine and wires its events to the hub,
 * as a publisher or as a player.
 */
export class RtmpConnection {
  readonly cid: string;
  readonly ip: string;
  app = '';
  tcUrl = '';
  role: 'none' | 'publish' | 'play' = 'none';
  streamName = '';
  private readonly session: RtmpServerSession;
  private source?: StreamSource;
  private reader?: Reader;
  private playStreamId = 0;
  private closed = false;

  constructor(private readonly options: RtmpConnectionOptions) {
    this.cid = options.cid;
    this.ip = options.socket.remoteAddress ?? '';
    this.session = new RtmpServerSession({ chunkSize: options.chunkSize });
    const socket = options.socket;
    socket.setNoDelay(true);
    socket.setTimeout(options.handshakeTimeoutMs);
    socket.on('data', (bytes: Buffer) => this.onData(bytes));
    socket.on('timeout', () => this.close(this.role === 'none' ? 'no publish or play in time' : 'idle publisher'));
    socket.on('error', (error) => this.options.logger.debug({ err: error.message }, 'socket error'));
    socket.on('close', () => this.close('peer closed'));
  }

  /** Closes the connection (idempotent), ending its publish or play. */
  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.options.logger.info({ reason, role: this.role, stream: this.streamName }, 'rtmp connection closed');
    if (this.source) this.options.registry.unpublish(this.source);
    this.source = undefined;
    this.reader?.close();
    this.reader = undefined;
    this.options.socket.destroy();
  }

  private onData(bytes: Buffer): void {
    if (this.closed) return;
    const events = this.session.push(bytes, this.options.now());
    for (const event of events) {
      if (this.closed) return;
      this.handle(event);
    }
  }

  private handle(event: RtmpServerEvent): void {
    const log = this.options.logger;
    switch (event.type) {
      case 'send':
        this.options.socket.write(event.bytes);
        return;
      case 'connect':
        this.app = event.app;
        this.tcUrl = event.tcUrl;
        log.info({ app: event.app, tcUrl: event.tcUrl }, 'rtmp connect');
        return;
      case 'publish':
        this.startPublish(event.streamId, event.streamName, event.query);
        return;
      case 'play':
        this.startPlay(event.streamId, event.streamName);
        return;
      case 'pause':
        this.reader?.pause(event.paused);
        this.options.socket.write(this.session.pauseReply(this.playStreamId, event.paused));
        return;
      case 'media':
        this.onMedia(event.message);
        return;
      case 'unpublish':
        if (this.source) {
          log.info({ stream: this.streamName }, 'rtmp unpublish');
          this.options.registry.unpublish(this.source);
          this.source = undefined;
        }
        return;
      case 'close-stream':
        this.reader?.close();
        this.reader = undefined;
        return;
      case 'error':
        log.warn({ code: event.error.code, err: event.error.message }, 'rtmp protocol error');
        this.close(`protocol error ${event.error.code}`);
        return;
      default:
        return;
    }
  }

  private startPublish(streamId: number, streamName: string, query: string): void {
    const log = this.options.logger;
    const key = { vhost: this.options.vhost, app: this.app, stream: streamName };
    this.streamName = streamName;
    try {
      this.source = this.options.registry.publish(key, {
        cid: this.cid,
        protocol: 'rtmp',
        ip: this.ip,
        query,
        tcUrl: this.tcUrl,
        disconnect: (reason) => this.close(reason),
      });
    } catch (error) {
      if (!(error instanceof HubError)) throw error;
      const code = error.code === 'STREAM_BUSY' ? 'NetStream.Publish.BadName' : 'NetStream.Publish.Rejected';
      log.warn({ stream: `/${this.app}/${streamName}`, code: error.code }, `publish refused: ${error.message}`);
      this.options.socket.write(this.session.rejectPublish(streamId, code, error.message));
      this.options.socket.end();
      return;
    }
    this.role = 'publish';
    this.options.socket.setTimeout(this.options.publishIdleTimeoutMs);
    this.options.socket.write(this.session.acceptPublish(streamId));
    log.info({ stream: `/${this.app}/${streamName}` }, 'rtmp publish started');
  }

  private startPlay(streamId: number, streamName: string): void {
    const log = this.options.logger;
    this.streamName = streamName;
    const source = this.options.registry.find({ vhost: this.options.vhost, app: this.app, stream: streamName });
    if (!source) {
      log.info({ stream: `/${this.app}/${streamName}` }, 'play refused: stream not found');
      this.options.socket.write(
        this.session.rejectPlay(
          streamId,
          'NetStream.Play.StreamNotFound',
          `stream /${this.app}/${streamName} is not published`,
        ),
      );
      this.options.socket.end();
      return;
    }
    this.role = 'play';
    this.playStreamId = streamId;
    this.options.socket.setTimeout(0);
    this.options.socket.write(this.session.acceptPlay(streamId));
    const socket = this.options.socket;
    this.reader = source.addReader(
      this.options.chunkFormat(streamId),
      { cid: this.cid, protocol: 'rtmp', ip: this.ip },
      {
        backlog: () => socket.writableLength,
        write: (bytes) => socket.write(bytes),
        end: () => {
          this.reader = undefined;
          socket.end(this.session.playEnded(streamId));
        },
        destroy: (reason) => this.close(reason),
      },
    );
    log.info({ stream: `/${this.app}/${streamName}` }, 'rtmp play started');
  }

  private onMedia(message: RtmpMessage): void {
    const source = this.source;
    if (!source) return;
    const { typeId } = message;
    if (typeId !== FLV_TAG_AUDIO && typeId !== FLV_TAG_VIDEO && typeId !== FLV_TAG_SCRIPT) return;
    let packet: ReturnType<typeof flvBodyToPacket>;
    try {
      packet = flvBodyToPacket(typeId, message.timestamp, message.payload);
    } catch (error) {
      this.options.onBadPacket(this.cid, error as Error);
      return;
    }
    if (!packet) return;
    // RTMP players get the publisher's own tag body back: no re-encoding for the common case.
    const seed = typeId === FLV_TAG_SCRIPT ? undefined : { formatId: flvBodyFormat.id, bytes: message.payload };
    source.push(packet, seed);
  }
}
