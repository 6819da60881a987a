import type { AmfObject } from '../../codec/amf/index.js';
import { ChunkReader } from './chunk-reader.js';
import { encodeMessages } from './chunk-writer.js';
import { command, dataMessage, decodeCommand, onStatus, type RtmpCommand } from './commands.js';
import {
  acknowledgement,
  setChunkSize,
  setPeerBandwidth,
  streamBegin,
  streamEof,
  windowAckSize,
} from './control-messages.js';
import { RtmpServerHandshake } from './handshake.js';
import { MSG, RtmpError, type RtmpMessage } from './message.js';

/** What the session asks of its listener. */
export type RtmpServerEvent =
  | { type: 'send'; bytes: Buffer }
  | { type: 'connect'; app: string; tcUrl: string; connectQuery: string; commandObject: AmfObject }
  | { type: 'publish'; streamId: number; streamName: string; query: string; publishType: string }
  | { type: 'play'; streamId: number; streamName: string; query: string; start: number }
  | { type: 'pause'; paused: boolean; positionMs: number }
  | { type: 'unpublish'; streamId: number }
  | { type: 'close-stream'; streamId: number }
  | { type: 'media'; message: RtmpMessage }
  | { type: 'error'; error: RtmpError };

export interface RtmpServerSessionOptions {
  /** Our outgoing chunk size (announced after connect). */
  chunkSize?: number;
  windowAckSize?: number;
  maxMessageSize?: number;
}

/** Chunk stream ids for what we send: protocol control, commands, stream status. */
const CSID_CONTROL = 2;
const CSID_COMMAND = 3;
const CSID_STREAM = 5;
const MAX_STREAMS_PER_CONNECTION = 16;

/**
 * The server side of one RTMP connection as a pure state machine: bytes in, events out (bytes to send, connect,
 * publish, play, media...). The listener decides whether a publish or play is allowed and calls the accept and reject methods.
 */
export class RtmpServerSession {
  readonly outChunkSize: number;
  private readonly handshake = new RtmpServerHandshake();
  private readonly reader: ChunkReader;
  private readonly windowSize: number;
  private handshakeDone = false;
  private received = 0;
  private lastAck = 0;
  private nextStreamId = 1;
  private readonly streams = new Map<number, 'idle' | 'publishing' | 'playing'>();
  private failed = false;

  constructor(options: RtmpServerSessionOptions = {}) {
    this.outChunkSize = options.chunkSize ?? 4096;
    this.windowSize = options.windowAckSize ?? 2_500_000;
    this.reader = new ChunkReader({ maxMessageSize: options.maxMessageSize });
  }

  push(bytes: Buffer, _nowMs: number): RtmpServerEvent[] {
    const events: RtmpServerEvent[] = [];
    if (this.failed) return events;
    try {
      let data = bytes;
      if (!this.handshakeDone) {
        const step = this.handshake.push(bytes);
        if (step.send.length > 0) events.push({ type: 'send', bytes: Buffer.concat(step.send) });
        if (!step.done) return events;
        this.handshakeDone = true;
        data = step.rest;
      }
      this.received += data.length;
      for (const message of this.reader.push(data)) this.onMessage(message, events);
      if (this.received - this.lastAck >= this.windowSize) {
        this.lastAck = this.received;
        events.push(this.send([acknowledgement(this.received)], CSID_CONTROL));
      }
    } catch (error) {
      this.failed = true;
      const rtmpError = error instanceof RtmpError ? error : new RtmpError('RTMP_BAD_STATE', (error as Error).message);
      events.push({ type: 'error', error: rtmpError });
    }
    return events;
  }

  acceptPublish(streamId: number): Buffer {
    this.streams.set(streamId, 'publishing');
    return this.bytes(
      [onStatus(streamId, 'status', 'NetStream.Publish.Start', 'Started publishing stream.')],
      CSID_STREAM,
    );
  }

  rejectPublish(streamId: number, code: string, description: string): Buffer {
    return this.bytes([onStatus(streamId, 'error', code, description)], CSID_STREAM);
  }

  acceptPlay(streamId: number): Buffer {
    this.streams.set(streamId, 'playing');
    return Buffer.concat([
      this.bytes([streamBegin(streamId)], CSID_CONTROL),
      this.bytes(
        [
          onStatus(streamId, 'status', 'NetStream.Play.Reset', 'Playing and resetting stream.'),
          onStatus(streamId, 'status', 'NetStream.Play.Start', 'Started playing stream.'),
          { ...dataMessage(streamId, ['|RtmpSampleAccess', true, true]) },
          { ...dataMessage(streamId, ['onStatus', { code: 'NetStream.Data.Start' }]) },
        ],
        CSID_STREAM,
      ),
    ]);
  }

  rejectPlay(streamId: number, code: string, description: string): Buffer {
    return this.bytes([onStatus(streamId, 'error', code, description)], CSID_STREAM);
  }

  /** The stream ended (publisher left): end-of-stream notices, after which the listener closes. */
  playEnded(streamId: number): Buffer {
    return Buffer.concat([
      this.bytes([streamEof(streamId)], CSID_CONTROL),
      this.bytes(
        [
          onStatus(streamId, 'status', 'NetStream.Play.UnpublishNotify', 'The stream is no longer published.'),
          onStatus(streamId, 'status', 'NetStream.Play.Stop', 'Stopped playing stream.'),
        ],
        CSID_STREAM,
      ),
    ]);
  }

  pauseReply(streamId: number, paused: boolean): Buffer {
    const code = paused ? 'NetStream.Pause.Notify' : 'NetStream.Unpause.Notify';
    return this.bytes(
      [onStatus(streamId, 'status', code, paused ? 'Paused stream.' : 'Unpaused stream.')],
      CSID_STREAM,
    );
  }

  private onMessage(message: RtmpMessage, events: RtmpServerEvent[]): void {
    switch (message.typeId) {
      case MSG.AUDIO:
      case MSG.VIDEO:
      case MSG.DATA_AMF0:
        events.push({ type: 'media', message });
        return;
      case MSG.DATA_AMF3:
        events.push({
          type: 'media',
          message: { ...message, typeId: MSG.DATA_AMF0, payload: message.payload.subarray(1) },
        });
        return;
      case MSG.COMMAND_AMF0:
      case MSG.COMMAND_AMF3:
        this.onCommand(decodeCommand(message), message.streamId, events);
        return;
      default:
        // Set chunk size and abort were applied by the reader; acks, window sizes and user control need nothing.
        return;
    }
  }

  private onCommand(cmd: RtmpCommand, msgStreamId: number, events: RtmpServerEvent[]): void {
    const streamName = typeof cmd.args[0] === 'string' ? cmd.args[0] : '';
    switch (cmd.name) {
      case 'connect':
        this.onConnect(cmd, events);
        return;
      case 'createStream': {
        if (this.streams.size >= MAX_STREAMS_PER_CONNECTION) {
          throw new RtmpError('RTMP_BAD_STATE', 'too many streams on one connection');
        }
        const id = this.nextStreamId++;
        this.streams.set(id, 'idle');
        events.push(this.send([command('_result', cmd.transactionId, null, [id])], CSID_COMMAND));
        return;
      }
      case 'releaseStream':
        events.push(this.send([command('_result', cmd.transactionId, null, [undefined])], CSID_COMMAND));
        return;
      case 'FCPublish':
        events.push(
          this.send(
            [command('onFCPublish', 0, null, [{ code: 'NetStream.Publish.Start', description: streamName }])],
            CSID_COMMAND,
          ),
        );
        return;
      case 'publish': {
        const { name, query } = splitQuery(streamName);
        const publishType = typeof cmd.args[1] === 'string' ? cmd.args[1] : 'live';
        events.push({ type: 'publish', streamId: msgStreamId, streamName: name, query, publishType });
        return;
      }
      case 'play': {
        const { name, query } = splitQuery(streamName);
        const start = typeof cmd.args[1] === 'number' ? cmd.args[1] : -2;
        events.push({ type: 'play', streamId: msgStreamId, streamName: name, query, start });
        return;
      }
      case 'pause': {
        const paused = cmd.args[0] === true;
        const positionMs = typeof cmd.args[1] === 'number' ? cmd.args[1] : 0;
        events.push({ type: 'pause', paused, positionMs });
        return;
      }
      case 'FCUnpublish':
        events.push({ type: 'unpublish', streamId: msgStreamId });
        events.push(
          this.send(
            [command('onFCUnpublish', 0, null, [{ code: 'NetStream.Unpublish.Success', description: streamName }])],
            CSID_COMMAND,
          ),
        );
        return;
      case 'deleteStream':
      case 'closeStream': {
        const id = cmd.name === 'deleteStream' && typeof cmd.args[0] === 'number' ? cmd.args[0] : msgStreamId;
        const state = this.streams.get(id);
        if (state === 'publishing') events.push({ type: 'unpublish', streamId: id });
        else if (state === 'playing') events.push({ type: 'close-stream', streamId: id });
        if (cmd.name === 'deleteStream') this.streams.delete(id);
        else this.streams.set(id, 'idle');
        return;
      }
      case 'getStreamLength':
        events.push(this.send([command('_result', cmd.transactionId, null, [0])], CSID_COMMAND));
        return;
      case 'receiveAudio':
      case 'receiveVideo':
      case '_result':
      case '_error':
      case 'onBWDone':
      case '_checkbw':
        return;
      default:
        if (cmd.transactionId > 0) {
          events.push(
            this.send(
              [
                command('_error', cmd.transactionId, null, [
                  { level: 'error', code: 'NetConnection.Call.Failed', description: `unknown command ${cmd.name}` },
                ]),
              ],
              CSID_COMMAND,
            ),
          );
        }
    }
  }

  private onConnect(cmd: RtmpCommand, events: RtmpServerEvent[]): void {
    const object = (cmd.commandObject && typeof cmd.commandObject === 'object' ? cmd.commandObject : {}) as AmfObject;
    const rawApp = typeof object.app === 'string' ? object.app : '';
    const { name: app, query: appQuery } = splitQuery(rawApp.replace(/^\/+|\/+$/g, ''));
    const tcUrl = typeof object.tcUrl === 'string' ? object.tcUrl : '';
    const tcQuery = tcUrl.includes('?') ? tcUrl.slice(tcUrl.indexOf('?') + 1) : '';
    const objectEncoding = typeof object.objectEncoding === 'number' ? object.objectEncoding : 0;
    events.push(
      this.send(
        [windowAckSize(this.windowSize), setPeerBandwidth(this.windowSize), setChunkSize(this.outChunkSize)],
        CSID_CONTROL,
      ),
    );
    events.push(
      this.send(
        [
          command('_result', cmd.transactionId, { fmsVer: 'FMS/3,5,3,888', capabilities: 127, mode: 1 }, [
            {
              level: 'status',
              code: 'NetConnection.Connect.Success',
              description: 'Connection succeeded.',
              objectEncoding,
            },
          ]),
          command('onBWDone', 0, null, [8192]),
        ],
        CSID_COMMAND,
      ),
    );
    events.push({ type: 'connect', app, tcUrl, connectQuery: appQuery || tcQuery, commandObject: object });
  }

  private bytes(messages: RtmpMessage[], csid: number): Buffer {
    return encodeMessages(messages, this.outChunkSize, csid);
  }

  private send(messages: RtmpMessage[], csid: number): RtmpServerEvent {
    return { type: 'send', bytes: this.bytes(messages, csid) };
  }
}

/** `livestream?secret=x` -> name `livestream`, query `secret=x`. */
export function splitQuery(value: string): { name: string; query: string } {
  const q = value.indexOf('?');
  return q < 0 ? { name: value, query: '' } : { name: value.slice(0, q), query: value.slice(q + 1) };
}
