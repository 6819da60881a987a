import type { AmfObject, AmfValue } from '../../codec/amf/index.js';
import { ChunkReader, DEFAULT_CHUNK_SIZE } from './chunk-reader.js';
import { encodeMessageChunks, encodeMessages } from './chunk-writer.js';
import { command, decodeCommand } from './commands.js';
import {
  acknowledgement,
  parseUserControl,
  pingResponse,
  readControlValue,
  setBufferLength,
  setChunkSize,
} from './control-messages.js';
import { RtmpClientHandshake } from './handshake.js';
import { MSG, RtmpError, type RtmpMessage } from './message.js';
import { parseRtmpUrl, type RtmpUrl } from './rtmp-url.js';

export { parseRtmpUrl, type RtmpUrl } from './rtmp-url.js';

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
  /** Our outgoing chunk size, announced before connect. Default 4096. */
  chunkSize?: number;
  /** Use the digest handshake (as Flash Player and ffmpeg do). Default false. */
  complexHandshake?: boolean;
}

/** Chunk stream ids for what we send (as ffmpeg picks them). */
const CSID_CONTROL = 2;
const CSID_COMMAND = 3;
const CSID_AUDIO = 4;
const CSID_STREAM_COMMAND = 8;
const CSID_VIDEO = 6;
const CSID_DATA = 5;
/** The buffer a player asks for (Set Buffer Length, 7.1.7), as Flash players do. */
const PLAY_BUFFER_MS = 3000;
const DEFAULT_WINDOW = 2_500_000;

/** Data messages servers send on a play stream that carry no media. */
const NON_MEDIA_DATA = new Set(['|RtmpSampleAccess', 'onStatus']);

/**
 * The client side of RTMP as a pure state machine, for the project's own tests, benchmark readers and
 * forwarders: handshake, connect, createStream, then publish or play (RTMP spec 1.0 7.2).
 */
export class RtmpClientSession {
  readonly target: RtmpUrl;
  private readonly handshake: RtmpClientHandshake;
  private readonly reader = new ChunkReader();
  private readonly outChunkSize: number;
  private handshakeDone = false;
  private failed = false;
  private streamId = 0;
  private transaction = 1;
  private readonly pending = new Map<number, 'connect' | 'createStream'>();
  private received = 0;
  private lastAck = 0;
  private peerWindow = DEFAULT_WINDOW;

  constructor(private readonly options: RtmpClientOptions) {
    this.target = parseRtmpUrl(options.url);
    this.outChunkSize = options.chunkSize ?? 4096;
    if (!Number.isInteger(this.outChunkSize) || this.outChunkSize < 1 || this.outChunkSize > 0x7fffffff) {
      throw new RtmpError('RTMP_BAD_CHUNK_SIZE', `chunk size ${options.chunkSize}`);
    }
    this.handshake = new RtmpClientHandshake({ complex: options.complexHandshake });
  }

  /** C0+C1, to write as soon as the socket connects. */
  start(nowMs: number): Buffer {
    return this.handshake.start(nowMs);
  }

  push(bytes: Buffer, _nowMs: number): RtmpClientEvent[] {
    const events: RtmpClientEvent[] = [];
    if (this.failed) return events;
    try {
      this.received += bytes.length;
      let data = bytes;
      if (!this.handshakeDone) {
        const step = this.handshake.push(bytes);
        if (!step.done) return events;
        this.handshakeDone = true;
        events.push({ type: 'send', bytes: Buffer.concat([...step.send, this.connectBytes()]) });
        data = step.rest;
      }
      for (const message of this.reader.push(data)) this.onMessage(message, events);
      if (this.received - this.lastAck >= this.peerWindow) {
        this.lastAck = this.received;
        events.push(this.send(acknowledgement(this.received), CSID_CONTROL));
      }
    } catch (error) {
      this.failed = true;
      const rtmpError = error instanceof RtmpError ? error : new RtmpError('RTMP_BAD_STATE', String(error));
      events.push({ type: 'error', error: rtmpError });
    }
    return events;
  }

  /** One media message while publishing: typeId 8 audio, 9 video, 18 data; payload is the FLV tag body. */
  sendMedia(typeId: 8 | 9 | 18, timestamp: number, payload: Buffer): Buffer {
    const csid = typeId === MSG.AUDIO ? CSID_AUDIO : typeId === MSG.VIDEO ? CSID_VIDEO : CSID_DATA;
    return encodeMessageChunks({ typeId, streamId: this.streamId, timestamp, payload }, this.outChunkSize, csid);
  }

  /** Ends the publish or play politely (FCUnpublish, deleteStream). */
  close(): Buffer {
    const messages: RtmpMessage[] = [];
    if (this.options.mode === 'publish') {
      messages.push(command('FCUnpublish', this.transaction++, null, [this.target.stream]));
    }
    if (this.streamId > 0) messages.push(command('deleteStream', this.transaction++, null, [this.streamId]));
    return encodeMessages(messages, this.outChunkSize, CSID_COMMAND);
  }

  private send(message: RtmpMessage, csid: number): RtmpClientEvent {
    return { type: 'send', bytes: encodeMessageChunks(message, this.outChunkSize, csid) };
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
      // Set Chunk Size itself still travels at the default size.
      encodeMessageChunks(setChunkSize(this.outChunkSize), DEFAULT_CHUNK_SIZE, CSID_CONTROL),
      encodeMessageChunks(command('connect', id, object), this.outChunkSize, CSID_COMMAND),
    ]);
  }

  private onMessage(message: RtmpMessage, events: RtmpClientEvent[]): void {
    switch (message.typeId) {
      case MSG.AUDIO:
      case MSG.VIDEO:
        if (message.streamId !== 0) events.push({ type: 'media', message });
        return;
      case MSG.DATA_AMF0:
      case MSG.DATA_AMF3: {
        const payload =
          message.typeId === MSG.DATA_AMF3 && message.payload[0] === 0 ? message.payload.subarray(1) : message.payload;
        if (message.streamId !== 0 && !NON_MEDIA_DATA.has(dataName(payload))) {
          events.push({ type: 'media', message: { ...message, typeId: MSG.DATA_AMF0, payload } });
        }
        return;
      }
      case MSG.WINDOW_ACK_SIZE: {
        const size = readControlValue(message);
        if (size > 0) this.peerWindow = size;
        return;
      }
      case MSG.USER_CONTROL: {
        const event = parseUserControl(message.payload);
        if (event.type === 'ping-request') events.push(this.send(pingResponse(event.timestamp), CSID_CONTROL));
        return;
      }
      case MSG.COMMAND_AMF0:
      case MSG.COMMAND_AMF3:
        this.onCommand(message, events);
        return;
      default:
        return;
    }
  }

  private onCommand(message: RtmpMessage, events: RtmpClientEvent[]): void {
    const cmd = decodeCommand(message);
    if (cmd.name === '_result' || cmd.name === '_error') {
      const what = this.pending.get(cmd.transactionId);
      this.pending.delete(cmd.transactionId);
      if (cmd.name === '_error') {
        const info = infoObject(cmd.args[0]);
        events.push({
          type: 'status',
          level: 'error',
          code: String(info.code ?? '_error'),
          description: String(info.description ?? what ?? ''),
        });
        if (what) this.failed = true;
        return;
      }
      if (what === 'connect') this.afterConnect(events);
      else if (what === 'createStream') this.afterCreateStream(cmd.args[0], events);
      return;
    }
    if (cmd.name === 'onStatus') {
      const info = infoObject(cmd.args[0]);
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

  private afterCreateStream(result: AmfValue, events: RtmpClientEvent[]): void {
    this.streamId = typeof result === 'number' && Number.isInteger(result) && result > 0 ? result : 1;
    if (this.options.mode === 'publish') {
      const publish = command('publish', 0, null, [this.target.stream, 'live'], this.streamId);
      events.push(this.send(publish, CSID_STREAM_COMMAND));
      return;
    }
    const play = command('play', 0, null, [this.target.stream, -2], this.streamId);
    events.push({
      type: 'send',
      bytes: Buffer.concat([
        encodeMessageChunks(play, this.outChunkSize, CSID_STREAM_COMMAND),
        encodeMessageChunks(setBufferLength(this.streamId, PLAY_BUFFER_MS), this.outChunkSize, CSID_CONTROL),
      ]),
    });
  }
}

function infoObject(value: AmfValue): AmfObject {
  return value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)
    ? (value as AmfObject)
    : {};
}

/** The name a data message starts with (AMF0 string: 0x02 | u16 length | UTF-8), or '' when it has none. */
function dataName(payload: Buffer): string {
  if (payload.length < 3 || payload[0] !== 0x02) return '';
  const length = payload.readUInt16BE(1);
  return payload.toString('utf8', 3, Math.min(payload.length, 3 + length));
}
