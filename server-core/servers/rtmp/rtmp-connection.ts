import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { Admission, ClientContext } from '../../defs/admission.js';
import { pushRtmpMedia } from '../../formats/rtmp/to-source.js';
import type { Reader } from '../../hub/reader.js';
import type { StreamSource } from '../../hub/stream-source.js';
import type { WireFormat } from '../../hub/wire-format.js';
import type { RtmpMessage } from '../../protocol/rtmp/message.js';
import { type RtmpServerEvent, RtmpServerSession } from '../../protocol/rtmp/server-session.js';
import type { PlaySession, PublishSession, SessionPath } from '../session/session-path.js';
import type { ByteBudget } from './byte-budget.js';

export interface RtmpConnectionOptions {
  cid: string;
  socket: Socket;
  /** Publishes and plays go through the one session path (admission, registry, departures, log lines). */
  sessions: SessionPath;
  vhost: string;
  chunkSize: number;
  /** Deadline from accept to a started publish or play (not an idle timer: trickling bytes does not extend it). */
  handshakeTimeoutMs: number;
  publishIdleTimeoutMs: number;
  /** Largest message before admission, and once publishing. */
  preAdmissionMaxMessageBytes: number;
  maxMessageBytes: number;
  /** Shared by every connection not yet admitted: bytes they may hold together. */
  preAdmissionBudget: ByteBudget;
  logger: Logger;
  admission: Admission;
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
  private connectQuery = '';
  private deadline?: NodeJS.Timeout;
  /** Bytes this connection holds against the pre-admission budget. */
  private budgetShare = 0;
  /** The connect admission, reported again when the connection closes. */
  private admittedConnect?: ClientContext;
  private publishSession?: PublishSession;
  private playSession?: PlaySession;

  constructor(private readonly options: RtmpConnectionOptions) {
    this.cid = options.cid;
    this.ip = options.socket.remoteAddress ?? '';
    this.session = new RtmpServerSession({
      chunkSize: options.chunkSize,
      maxMessageSize: options.maxMessageBytes,
      preAdmissionMaxMessageSize: options.preAdmissionMaxMessageBytes,
    });
    const socket = options.socket;
    socket.setNoDelay(true);
    this.deadline = setTimeout(
      () => this.close(`no publish or play within ${options.handshakeTimeoutMs} ms`),
      options.handshakeTimeoutMs,
    );
    socket.on('data', (bytes: Buffer) => this.onData(bytes));
    socket.on('timeout', () => this.close('idle publisher'));
    socket.on('error', (error) => this.options.logger.debug({ err: error.message }, 'socket error'));
    socket.on('close', () => this.close('peer closed'));
  }

  /** Closes the connection (idempotent), ending its publish or play. */
  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.admittedAsClient();
    this.options.logger.info({ reason, role: this.role, stream: this.streamName }, 'rtmp connection closed');
    this.endPublish();
    this.endPlay();
    if (this.admittedConnect) this.options.admission.departed('close', this.admittedConnect);
    this.admittedConnect = undefined;
    this.options.socket.destroy();
  }

  private endPublish(): void {
    this.publishSession?.end();
    this.publishSession = undefined;
    this.source = undefined;
  }

  private endPlay(): void {
    this.playSession?.end();
    this.playSession = undefined;
    this.reader = undefined;
  }

  private clientContext(stream: string, param: string): ClientContext {
    return {
      cid: this.cid,
      ip: this.ip,
      protocol: 'rtmp',
      vhost: this.options.vhost,
      app: this.app,
      stream,
      param: param || this.connectQuery,
      tcUrl: this.tcUrl,
    };
  }

  /** Runs an async step; a failure closes this connection, never the server. */
  private guard(step: Promise<void>): void {
    step.catch((error: Error) => {
      this.options.logger.error({ err: error.message }, 'rtmp connection failed');
      this.close(`internal error: ${error.message}`);
    });
  }

  private onData(bytes: Buffer): void {
    if (this.closed) return;
    const events = this.session.push(bytes, this.options.now());
    for (const event of events) {
      if (this.closed) return;
      this.handle(event);
    }
    if (this.deadline && !this.closed) this.chargeBudget();
  }

  /** Until admitted, what this connection buffers counts against a budget shared with every other such one. */
  private chargeBudget(): void {
    const held = this.session.bufferedBytes;
    const budget = this.options.preAdmissionBudget;
    if (!budget.take(held - this.budgetShare)) {
      budget.release(this.budgetShare);
      this.budgetShare = 0;
      this.close('too many bytes buffered by connections that have not published or played yet');
      return;
    }
    this.budgetShare = held;
  }

  /** Publishing or playing (or gone): the deadline and the pre-admission budget no longer apply. */
  private admittedAsClient(): void {
    if (this.deadline) clearTimeout(this.deadline);
    this.deadline = undefined;
    this.options.preAdmissionBudget.release(this.budgetShare);
    this.budgetShare = 0;
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
        this.connectQuery = event.connectQuery ?? '';
        log.info({ app: event.app, tcUrl: event.tcUrl }, 'rtmp connect');
        this.guard(this.admitConnect());
        return;
      case 'publish':
        this.guard(this.startPublish(event.streamId, event.streamName, event.query));
        return;
      case 'play':
        this.guard(this.startPlay(event.streamId, event.streamName, event.query));
        return;
      case 'pause':
        this.reader?.pause(event.paused);
        this.options.socket.write(this.session.pauseReply(this.playStreamId, event.paused));
        return;
      case 'media':
        this.onMedia(event.message);
        return;
      case 'unpublish':
        if (this.source) log.info({ stream: this.streamName }, 'rtmp unpublish');
        this.endPublish();
        return;
      case 'close-stream':
        this.endPlay();
        return;
      case 'error':
        log.warn({ code: event.error.code, err: event.error.message }, 'rtmp protocol error');
        this.close(`protocol error ${event.error.code}`);
        return;
      default:
        return;
    }
  }

  private async admitConnect(): Promise<void> {
    const client = this.clientContext('', '');
    const verdict = await this.options.admission.check('connect', client);
    if (this.closed) return;
    if (!verdict.allowed) {
      this.options.logger.warn({ reason: verdict.reason }, 'connect refused');
      this.close(`connect refused: ${verdict.reason}`);
      return;
    }
    this.admittedConnect = client;
  }

  private async startPublish(streamId: number, streamName: string, query: string): Promise<void> {
    this.streamName = streamName;
    const opened = await this.options.sessions.publish({
      client: this.clientContext(streamName, query),
      log: this.options.logger,
      disconnect: (reason) => this.close(reason),
      // Closed, or the client unpublished while the hooks were asked: nothing to start.
      stillWanted: () => !this.closed && this.session.isPending(streamId, 'publish'),
    });
    if (!opened.ok) {
      if (opened.code === 'gone') return;
      const code = opened.code === 'busy' ? 'NetStream.Publish.BadName' : 'NetStream.Publish.Rejected';
      this.options.socket.write(this.session.rejectPublish(streamId, code, opened.reason));
      this.options.socket.end();
      return;
    }
    this.publishSession = opened;
    this.source = opened.source;
    this.role = 'publish';
    this.admittedAsClient();
    this.options.socket.setTimeout(this.options.publishIdleTimeoutMs);
    this.options.socket.write(this.session.acceptPublish(streamId));
  }

  private async startPlay(streamId: number, streamName: string, query: string): Promise<void> {
    this.streamName = streamName;
    const socket = this.options.socket;
    const opened = await this.options.sessions.play({
      client: this.clientContext(streamName, query),
      log: this.options.logger,
      stillWanted: () => !this.closed && this.session.isPending(streamId, 'play'),
      format: () => this.options.chunkFormat(streamId),
      // onStatus Play.Start goes out before the first media message.
      beforeStart: () => socket.write(this.session.acceptPlay(streamId)),
      sink: {
        backlog: () => socket.writableLength,
        write: (bytes) => socket.write(bytes),
        end: () => {
          this.endPlay();
          socket.end(this.session.playEnded(streamId));
        },
        destroy: (reason) => this.close(reason),
      },
    });
    if (!opened.ok) {
      if (opened.code === 'gone') return;
      const code = opened.code === 'not-found' ? 'NetStream.Play.StreamNotFound' : 'NetStream.Play.Failed';
      socket.write(this.session.rejectPlay(streamId, code, opened.reason));
      socket.end();
      return;
    }
    this.playSession = opened;
    this.reader = opened.reader;
    this.role = 'play';
    this.admittedAsClient();
    this.playStreamId = streamId;
    socket.setTimeout(0);
  }

  private onMedia(message: RtmpMessage): void {
    const source = this.source;
    if (source) pushRtmpMedia(source, message, (error) => this.options.onBadPacket(this.cid, error));
  }
}
