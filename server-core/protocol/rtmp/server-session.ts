import { AmfEcmaArray, type AmfObject, type AmfValue } from '../../codec/amf/index.js';
import { ChunkReader, DEFAULT_CHUNK_SIZE, DEFAULT_MAX_MESSAGE_SIZE, MAX_ACCEPTED_CHUNK_SIZE } from './chunk-reader.js';
import { encodeMessageChunks } from './chunk-writer.js';
import { decodeCommand, type RtmpCommand } from './commands.js';
import {
  acknowledgement,
  parseUserControl,
  pingResponse,
  readControlValue,
  setChunkSize,
  setPeerBandwidth,
  windowAckSize,
} from './control-messages.js';
import { RtmpServerHandshake } from './handshake.js';
import { MSG, RtmpError, type RtmpMessage } from './message.js';
import {
  CSID_CONTROL,
  commandError,
  commandResult,
  connectSuccess,
  pauseNotify,
  playEnded,
  playStart,
  publishStart,
  type Reply,
  streamError,
  unpublishSuccess,
} from './server-replies.js';
import { splitQuery } from './split-query.js';

/** What the session asks of its listener. */
export type RtmpServerEvent =
  | { type: 'send'; bytes: Buffer }
  | { type: 'connect'; app: string; tcUrl: string; connectQuery: string; commandObject: AmfObject }
  | { type: 'publish'; streamId: number; streamName: string; query: string; publishType: string }
  | { type: 'play'; streamId: number; streamName: string; query: string; start: number }
  | { type: 'pause'; streamId: number; paused: boolean; positionMs: number }
  | { type: 'unpublish'; streamId: number }
  | { type: 'close-stream'; streamId: number }
  | { type: 'media'; message: RtmpMessage }
  | { type: 'error'; error: RtmpError };

export interface RtmpServerSessionOptions {
  /** Our outgoing chunk size, announced right after connect. Default 4096. */
  chunkSize?: number;
  /** The acknowledgement window we ask the peer for. Default 2500000. */
  windowAckSize?: number;
  /** Largest message once publishing (a keyframe can be megabytes). */
  maxMessageSize?: number;
  /**
   * Largest message before a publish is accepted: commands are small, so a client that has not been admitted
   * cannot make us hold megabytes of an unfinished message.
   */
  preAdmissionMaxMessageSize?: number;
}

/** Commands (connect, publish, play...) fit easily; OBS's connect object is under 1 KB. */
export const DEFAULT_PRE_ADMISSION_MAX_MESSAGE_SIZE = 64 * 1024;

export const DEFAULT_OUT_CHUNK_SIZE = 4096;
export const DEFAULT_WINDOW_ACK_SIZE = 2_500_000;
/** NetStreams one connection may create (OBS and ffmpeg use one). */
export const MAX_STREAMS_PER_CONNECTION = 16;

type StreamState = 'idle' | 'publish-pending' | 'publishing' | 'play-pending' | 'playing';
interface NetStream {
  state: StreamState;
  name: string;
}

/**
 * The server side of one RTMP connection as a pure state machine: bytes in, events out (bytes to send, connect,
 * publish, play, media...). The listener decides whether a publish or play is allowed and calls the accept and
 * reject methods, which return the bytes to write. Protocol violations come out as one 'error' event, after
 * which the session ignores further input.
 */
export class RtmpServerSession {
  private readonly handshake = new RtmpServerHandshake();
  private readonly reader: ChunkReader;
  private readonly configuredChunkSize: number;
  private readonly windowSize: number;
  /** 128 until our Set Chunk Size has gone out with the connect reply. */
  private chunkSize = DEFAULT_CHUNK_SIZE;
  private handshakeDone = false;
  private connected = false;
  private failed = false;
  /** Bytes received, handshake included (5.4.3 counts every byte). */
  private received = 0;
  private lastAck = 0;
  /** The window the peer asked us to acknowledge at (5.4.4), if it said. */
  private peerWindow?: number;
  private nextStreamId = 1;
  private readonly streams = new Map<number, NetStream>();
  private readonly maxMessageSize: number;

  constructor(options: RtmpServerSessionOptions = {}) {
    this.configuredChunkSize = options.chunkSize ?? DEFAULT_OUT_CHUNK_SIZE;
    if (
      !Number.isInteger(this.configuredChunkSize) ||
      this.configuredChunkSize < DEFAULT_CHUNK_SIZE ||
      this.configuredChunkSize > MAX_ACCEPTED_CHUNK_SIZE
    ) {
      throw new RtmpError(
        'RTMP_BAD_CHUNK_SIZE',
        `chunk size ${options.chunkSize} (allowed 128-${MAX_ACCEPTED_CHUNK_SIZE})`,
      );
    }
    this.windowSize = options.windowAckSize ?? DEFAULT_WINDOW_ACK_SIZE;
    this.maxMessageSize = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
    this.reader = new ChunkReader({
      maxMessageSize: Math.min(
        this.maxMessageSize,
        options.preAdmissionMaxMessageSize ?? DEFAULT_PRE_ADMISSION_MAX_MESSAGE_SIZE,
      ),
    });
  }

  /** Bytes held for input not yet complete (the handshake's own buffer is fixed-size). */
  get bufferedBytes(): number {
    return this.reader.bufferedBytes;
  }

  /** Whether the NetStream still waits for the listener's answer to its publish or play. */
  isPending(streamId: number, kind: 'publish' | 'play'): boolean {
    return this.streams.get(streamId)?.state === `${kind}-pending`;
  }

  /** The chunk size of what this session sends right now (128 before connect, ours after). */
  get outChunkSize(): number {
    return this.chunkSize;
  }

  push(bytes: Buffer, _nowMs: number): RtmpServerEvent[] {
    const events: RtmpServerEvent[] = [];
    if (this.failed) return events;
    try {
      this.received += bytes.length;
      let data = bytes;
      if (!this.handshakeDone) {
        const step = this.handshake.push(bytes);
        if (step.send.length > 0) events.push({ type: 'send', bytes: Buffer.concat(step.send) });
        if (!step.done) return events;
        this.handshakeDone = true;
        data = step.rest;
      }
      for (const message of this.reader.push(data)) this.onMessage(message, events);
      const window = this.peerWindow ?? this.windowSize;
      if (this.received - this.lastAck >= window) {
        this.lastAck = this.received;
        events.push(this.send([{ csid: CSID_CONTROL, message: acknowledgement(this.received) }]));
      }
    } catch (error) {
      this.failed = true;
      const rtmpError = error instanceof RtmpError ? error : new RtmpError('RTMP_BAD_STATE', String(error));
      events.push({ type: 'error', error: rtmpError });
    }
    return events;
  }

  acceptPublish(streamId: number): Buffer {
    this.reader.setMaxMessageSize(this.maxMessageSize);
    return this.bytes(publishStart(streamId, this.setState(streamId, 'publishing')));
  }

  rejectPublish(streamId: number, code: string, description: string): Buffer {
    this.setState(streamId, 'idle');
    return this.bytes(streamError(streamId, code, description));
  }

  acceptPlay(streamId: number): Buffer {
    return this.bytes(playStart(streamId, this.setState(streamId, 'playing')));
  }

  rejectPlay(streamId: number, code: string, description: string): Buffer {
    this.setState(streamId, 'idle');
    return this.bytes(streamError(streamId, code, description));
  }

  /** The stream a player watches ended (its publisher left). */
  playEnded(streamId: number): Buffer {
    return this.bytes(playEnded(streamId, this.setState(streamId, 'idle')));
  }

  pauseReply(streamId: number, paused: boolean): Buffer {
    return this.bytes(pauseNotify(streamId, paused));
  }

  /** Sets a NetStream's state (the listener may answer after the client deleted it: then nothing is kept). */
  private setState(streamId: number, state: StreamState): string {
    const stream = this.streams.get(streamId);
    if (stream) stream.state = state;
    return stream?.name ?? '';
  }

  private onMessage(message: RtmpMessage, events: RtmpServerEvent[]): void {
    switch (message.typeId) {
      case MSG.AUDIO:
      case MSG.VIDEO:
      case MSG.DATA_AMF0:
        events.push({ type: 'media', message });
        return;
      case MSG.DATA_AMF3: {
        // A format byte 0x00, then AMF0: hand it on as an AMF0 data message.
        const payload = message.payload[0] === 0x00 ? message.payload.subarray(1) : message.payload;
        events.push({ type: 'media', message: { ...message, typeId: MSG.DATA_AMF0, payload } });
        return;
      }
      case MSG.COMMAND_AMF0:
      case MSG.COMMAND_AMF3:
        this.onCommand(decodeCommand(message), message.streamId, events);
        return;
      case MSG.WINDOW_ACK_SIZE: {
        const size = readControlValue(message);
        if (size > 0) this.peerWindow = size;
        return;
      }
      case MSG.USER_CONTROL: {
        const event = parseUserControl(message.payload);
        if (event.type === 'ping-request') {
          events.push(this.send([{ csid: CSID_CONTROL, message: pingResponse(event.timestamp) }]));
        }
        return;
      }
      default:
        // Set Chunk Size and Abort were applied by the reader; Ack and Set Peer Bandwidth need nothing from a
        // server; aggregate and shared-object messages are not supported and skipped.
        return;
    }
  }

  private onCommand(cmd: RtmpCommand, msgStreamId: number, events: RtmpServerEvent[]): void {
    if (cmd.name === 'connect') {
      this.onConnect(cmd, events);
      return;
    }
    if (!this.connected) throw new RtmpError('RTMP_BAD_STATE', `${cmd.name} before connect`);
    const firstArg = typeof cmd.args[0] === 'string' ? cmd.args[0] : '';
    switch (cmd.name) {
      case 'releaseStream':
      case 'FCPublish':
        if (cmd.transactionId > 0) events.push(this.send(commandResult(cmd.transactionId, undefined)));
        return;
      case 'createStream':
        this.onCreateStream(cmd, events);
        return;
      case 'publish': {
        const { name, query } = splitQuery(firstArg);
        const publishType = typeof cmd.args[1] === 'string' ? cmd.args[1] : 'live';
        if (this.refuseSecondStream(msgStreamId, 'NetStream.Publish.BadName', events)) return;
        this.openStream(msgStreamId, 'publish-pending', name);
        events.push({ type: 'publish', streamId: msgStreamId, streamName: name, query, publishType });
        return;
      }
      case 'play': {
        if (cmd.args[0] === false) {
          this.closeStream(msgStreamId, events); // play(false) stops playing (7.2.2.1)
          return;
        }
        const { name, query } = splitQuery(firstArg);
        const start = typeof cmd.args[1] === 'number' ? cmd.args[1] : -2;
        if (this.refuseSecondStream(msgStreamId, 'NetStream.Play.Failed', events)) return;
        this.openStream(msgStreamId, 'play-pending', name);
        events.push({ type: 'play', streamId: msgStreamId, streamName: name, query, start });
        return;
      }
      case 'pause': {
        const positionMs = typeof cmd.args[1] === 'number' ? cmd.args[1] : 0;
        events.push({ type: 'pause', streamId: msgStreamId, paused: cmd.args[0] === true, positionMs });
        return;
      }
      case 'FCUnpublish':
        this.onFCUnpublish(cmd, splitQuery(firstArg).name, msgStreamId, events);
        return;
      case 'deleteStream': {
        const id = typeof cmd.args[0] === 'number' ? cmd.args[0] : msgStreamId;
        this.closeStream(id, events);
        this.streams.delete(id);
        return;
      }
      case 'closeStream':
        this.closeStream(msgStreamId, events);
        return;
      case 'getStreamLength':
        if (cmd.transactionId > 0) events.push(this.send(commandResult(cmd.transactionId, 0)));
        return;
      case 'receiveAudio':
      case 'receiveVideo':
      case 'play2':
      case '_result':
      case '_error':
      case 'onBWDone':
      case '_checkbw':
        return;
      default:
        if (cmd.transactionId > 0) {
          events.push(
            this.send(commandError(cmd.transactionId, 'NetConnection.Call.Failed', `unknown command ${cmd.name}`)),
          );
        }
    }
  }

  private onConnect(cmd: RtmpCommand, events: RtmpServerEvent[]): void {
    if (this.connected) throw new RtmpError('RTMP_BAD_STATE', 'second connect on one connection');
    this.connected = true;
    const object = asObject(cmd.commandObject);
    const rawApp = typeof object.app === 'string' ? object.app : '';
    const { name: app, query: appQuery } = splitQuery(rawApp.replace(/^\/+|\/+$/g, ''));
    const tcUrl = typeof object.tcUrl === 'string' ? object.tcUrl : '';
    const tcQuery = splitQuery(tcUrl).query;
    const objectEncoding = typeof object.objectEncoding === 'number' ? object.objectEncoding : 0;
    // The control messages go out at the old chunk size; everything after them at ours.
    events.push(
      this.send([
        { csid: CSID_CONTROL, message: windowAckSize(this.windowSize) },
        { csid: CSID_CONTROL, message: setPeerBandwidth(this.windowSize) },
        { csid: CSID_CONTROL, message: setChunkSize(this.configuredChunkSize) },
      ]),
    );
    this.chunkSize = this.configuredChunkSize;
    events.push(this.send(connectSuccess(cmd.transactionId, objectEncoding)));
    events.push({ type: 'connect', app, tcUrl, connectQuery: appQuery || tcQuery, commandObject: object });
  }

  private onCreateStream(cmd: RtmpCommand, events: RtmpServerEvent[]): void {
    if (this.streams.size >= MAX_STREAMS_PER_CONNECTION) {
      const description = `at most ${MAX_STREAMS_PER_CONNECTION} streams per connection`;
      events.push(this.send(commandError(cmd.transactionId, 'NetConnection.Call.Failed', description)));
      return;
    }
    const id = this.nextStreamId++;
    this.streams.set(id, { state: 'idle', name: '' });
    events.push(this.send(commandResult(cmd.transactionId, id)));
  }

  /** publish/play on a NetStream; some old encoders skip createStream, so an unknown non-zero id is taken. */
  private openStream(streamId: number, state: StreamState, name: string): void {
    if (streamId === 0) throw new RtmpError('RTMP_BAD_COMMAND', 'publish or play on the NetConnection (stream 0)');
    let stream = this.streams.get(streamId);
    if (!stream) {
      if (this.streams.size >= MAX_STREAMS_PER_CONNECTION) {
        throw new RtmpError('RTMP_BAD_STATE', 'too many streams on one connection');
      }
      stream = { state: 'idle', name: '' };
      this.streams.set(streamId, stream);
      this.nextStreamId = Math.max(this.nextStreamId, streamId + 1);
    }
    if (stream.state !== 'idle') {
      throw new RtmpError('RTMP_BAD_STATE', `stream ${streamId} is already ${stream.state.replace('-pending', '')}ing`);
    }
    stream.state = state;
    stream.name = name;
  }

  /**
   * One publish or play per connection (as SRS): a second one gets an error status on its NetStream and changes
   * nothing, so no half-registered publisher or reader is left behind.
   */
  private refuseSecondStream(streamId: number, code: string, events: RtmpServerEvent[]): boolean {
    const busy = [...this.streams.values()].find((s) => s.state !== 'idle');
    if (!busy) return false;
    const doing = busy.state.startsWith('publish') ? 'publishing' : 'playing';
    const description = `this connection is already ${doing} ${busy.name}: one publish or play per connection`;
    events.push({ type: 'send', bytes: this.bytes(streamError(streamId, code, description)) });
    return true;
  }

  /** FCUnpublish names the stream (and is sent on stream 0): find the publishing NetStream by that name. */
  private onFCUnpublish(cmd: RtmpCommand, name: string, msgStreamId: number, events: RtmpServerEvent[]): void {
    let id = 0;
    for (const [streamId, stream] of this.streams) {
      const publishing = stream.state === 'publishing' || stream.state === 'publish-pending';
      if (publishing && (stream.name === name || streamId === msgStreamId)) id = streamId;
    }
    if (id > 0) {
      this.setState(id, 'idle');
      events.push({ type: 'unpublish', streamId: id });
    }
    events.push(this.send(unpublishSuccess(cmd.transactionId, id, name)));
  }

  /** closeStream / deleteStream / play(false): ends what the NetStream was doing. */
  private closeStream(streamId: number, events: RtmpServerEvent[]): void {
    const stream = this.streams.get(streamId);
    if (!stream) return;
    if (stream.state === 'publishing' || stream.state === 'publish-pending') {
      events.push({ type: 'unpublish', streamId });
    } else if (stream.state === 'playing' || stream.state === 'play-pending') {
      events.push({ type: 'close-stream', streamId });
    }
    stream.state = 'idle';
  }

  private bytes(replies: Reply[]): Buffer {
    return Buffer.concat(replies.map((r) => encodeMessageChunks(r.message, this.chunkSize, r.csid)));
  }

  private send(replies: Reply[]): RtmpServerEvent {
    return { type: 'send', bytes: this.bytes(replies) };
  }
}

function asObject(value: AmfValue): AmfObject {
  if (value instanceof AmfEcmaArray) return value.entries;
  if (value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)) return value;
  return {};
}
