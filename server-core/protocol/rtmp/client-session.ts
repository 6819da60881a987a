import type { AmfObject } from '../../codec/amf/index.js';
import { ChunkReader } from './chunk-reader.js';
import { encodeMessageChunks, encodeMessages } from './chunk-writer.js';
import { command, decodeCommand } from './commands.js';
import { acknowledgement, setBufferLength, setChunkSize } from './control-messages.js';
import { RtmpClientHandshake } from './handshake.js';
import { MSG, RtmpError, type RtmpMessage } from './message.js';
import { splitQuery } from './server-session.js';

export type RtmpClientEvent =
  | { type: 'send'; bytes: Buffer }
  | { type: 'ready'; streamId: number }
  | { type: 'media'; message: RtmpMessage }
  | { type: 'status'; level: string; code: string; description: string }
  | { type: 'error'; error: RtmpError };

export interface RtmpClientOptions {
  /** rtmp://host[:port]/app[/...]/stream[?query] */
  url: string;
  mode: 'publish' | 'play';
  chunkSize?: number;
}

export interface RtmpUrl {
  host: string;
  port: number;
  app: string;
  /** Stream name with its query, as sent in publish/play. */
  stream: string;
  tcUrl: string;
}

/** Splits an RTMP URL the way ffmpeg does: the last path segment is the stream, the rest the app. */
export function parseRtmpUrl(url: string): RtmpUrl {
  const match = /^rtmp:\/\/([^/:]+)(?::(\d+))?\/(.+)$/.exec(url);
  if (!match) throw new RtmpError('RTMP_BAD_COMMAND', `not an rtmp:// URL: ${url}`);
  const [, host, port, path] = match;
  const { name: pathPart, query } = splitQuery(path);
  const slash = pathPart.lastIndexOf('/');
  if (slash <= 0) throw new RtmpError('RTMP_BAD_COMMAND', `RTMP URL needs /app/stream: ${url}`);
  const app = pathPart.slice(0, slash);
  const stream = pathPart.slice(slash + 1) + (query ? `?${query}` : '');
  const portNumber = port ? Number(port) : 1935;
  return { host, port: portNumber, app, stream, tcUrl: `rtmp://${host}:${portNumber}/${app}` };
}

const CSID_CONTROL = 2;
const CSID_COMMAND = 3;
const CSID_AUDIO = 4;
const CSID_VIDEO = 6;
const CSID_DATA = 5;

/**
 * The client side of RTMP as a pure state machine, for the project's own tests, benchmark readers and forwarders:
 * handshake, connect, createStream, then publish or play.
 */
export class RtmpClientSession {
  readonly target: RtmpUrl;
  private readonly handshake = new RtmpClientHandshake();
  private readonly reader = new ChunkReader();
  private readonly outChunkSize: number;
  private handshakeDone = false;
  private streamId = 0;
  private transaction = 1;
  private pending = new Map<number, string>();
  private received = 0;
  private lastAck = 0;
  private peerWindow = 2_500_000;

  constructor(private readonly options: RtmpClientOptions) {
    this.target = parseRtmpUrl(options.url);
    this.outChunkSize = options.chunkSize ?? 4096;
  }

  start(_nowMs: number): Buffer {
    return this.handshake.start();
  }

  push(bytes: Buffer, _nowMs: number): RtmpClientEvent[] {
    const events: RtmpClientEvent[] = [];
    try {
      let data = bytes;
      if (!this.handshakeDone) {
        const step = this.handshake.push(bytes);
        if (!step.done) return events;
        this.handshakeDone = true;
        events.push({ type: 'send', bytes: Buffer.concat([...step.send, this.connectBytes()]) });
        data = step.rest;
      }
      this.received += data.length;
      for (const message of this.reader.push(data)) this.onMessage(message, events);
      if (this.received - this.lastAck >= this.peerWindow) {
        this.lastAck = this.received;
        events.push({
          type: 'send',
          bytes: encodeMessageChunks(acknowledgement(this.received), this.outChunkSize, CSID_CONTROL),
        });
      }
    } catch (error) {
      events.push({
        type: 'error',
        error: error instanceof RtmpError ? error : new RtmpError('RTMP_BAD_STATE', (error as Error).message),
      });
    }
    return events;
  }

  /** One media message while publishing: typeId 8 audio, 9 video, 18 data; payload is the FLV tag body. */
  sendMedia(typeId: 8 | 9 | 18, timestamp: number, payload: Buffer): Buffer {
    const csid = typeId === 8 ? CSID_AUDIO : typeId === 9 ? CSID_VIDEO : CSID_DATA;
    return encodeMessageChunks({ typeId, streamId: this.streamId, timestamp, payload }, this.outChunkSize, csid);
  }

  /** Ends the publish or play politely. */
  close(): Buffer {
    const messages: RtmpMessage[] = [];
    if (this.options.mode === 'publish') {
      messages.push(command('FCUnpublish', this.transaction++, null, [this.target.stream]));
    }
    messages.push(command('deleteStream', this.transaction++, null, [this.streamId]));
    return encodeMessages(messages, this.outChunkSize, CSID_COMMAND);
  }

  private connectBytes(): Buffer {
    const id = this.transaction++;
    this.pending.set(id, 'connect');
    const object: AmfObject = {
      app: this.target.app,
      flashVer: this.options.mode === 'publish' ? 'FMLE/3.0 (compatible; Tally)' : 'LNX 9,0,124,2',
      tcUrl: this.target.tcUrl,
      fpad: false,
      capabilities: 15,
      audioCodecs: 4071,
      videoCodecs: 252,
      videoFunction: 1,
    };
    if (this.options.mode === 'publish') object.type = 'nonprivate';
    return Buffer.concat([
      encodeMessageChunks(setChunkSize(this.outChunkSize), 128, CSID_CONTROL),
      encodeMessageChunks(command('connect', id, object), this.outChunkSize, CSID_COMMAND),
    ]);
  }

  private onMessage(message: RtmpMessage, events: RtmpClientEvent[]): void {
    switch (message.typeId) {
      case MSG.AUDIO:
      case MSG.VIDEO:
      case MSG.DATA_AMF0:
        if (message.streamId !== 0) events.push({ type: 'media', message });
        else this.maybeCommandData(message, events);
        return;
      case MSG.WINDOW_ACK_SIZE:
        if (message.payload.length >= 4) this.peerWindow = message.payload.readUInt32BE(0) || this.peerWindow;
        return;
      case MSG.COMMAND_AMF0:
      case MSG.COMMAND_AMF3:
        this.onCommand(message, events);
        return;
      default:
        return;
    }
  }

  private maybeCommandData(_message: RtmpMessage, _events: RtmpClientEvent[]): void {
    // Data messages on stream 0 (|RtmpSampleAccess on some servers) carry nothing a client needs.
  }

  private onCommand(message: RtmpMessage, events: RtmpClientEvent[]): void {
    const cmd = decodeCommand(message);
    if (cmd.name === '_result' || cmd.name === '_error') {
      const what = this.pending.get(cmd.transactionId);
      this.pending.delete(cmd.transactionId);
      if (cmd.name === '_error') {
        const info = (cmd.args[0] ?? {}) as AmfObject;
        events.push({
          type: 'status',
          level: 'error',
          code: String(info.code ?? '_error'),
          description: String(info.description ?? what ?? ''),
        });
        return;
      }
      if (what === 'connect') this.afterConnect(events);
      else if (what === 'createStream') this.afterCreateStream(cmd.args[0], events);
      return;
    }
    if (cmd.name === 'onStatus') {
      const info = (cmd.args[0] ?? {}) as AmfObject;
      const status = {
        type: 'status' as const,
        level: String(info.level ?? ''),
        code: String(info.code ?? ''),
        description: String(info.description ?? ''),
      };
      events.push(status);
      if (status.code === 'NetStream.Publish.Start' || status.code === 'NetStream.Play.Start') {
        events.push({ type: 'ready', streamId: this.streamId });
      }
    }
  }

  private afterConnect(events: RtmpClientEvent[]): void {
    const messages: RtmpMessage[] = [];
    if (this.options.mode === 'publish') {
      messages.push(command('releaseStream', this.transaction++, null, [this.target.stream]));
      messages.push(command('FCPublish', this.transaction++, null, [this.target.stream]));
    }
    const id = this.transaction++;
    this.pending.set(id, 'createStream');
    messages.push(command('createStream', id, null));
    events.push({ type: 'send', bytes: encodeMessages(messages, this.outChunkSize, CSID_COMMAND) });
  }

  private afterCreateStream(result: unknown, events: RtmpClientEvent[]): void {
    this.streamId = typeof result === 'number' ? result : 1;
    const id = this.transaction++;
    if (this.options.mode === 'publish') {
      const publish = command('publish', id, null, [this.target.stream, 'live'], this.streamId);
      events.push({ type: 'send', bytes: encodeMessageChunks(publish, this.outChunkSize, CSID_DATA) });
    } else {
      const play = command('play', id, null, [this.target.stream, -2], this.streamId);
      events.push({
        type: 'send',
        bytes: Buffer.concat([
          encodeMessageChunks(play, this.outChunkSize, CSID_DATA),
          encodeMessageChunks(setBufferLength(this.streamId, 3000), this.outChunkSize, CSID_CONTROL),
        ]),
      });
    }
  }
}
