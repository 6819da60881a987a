import { MSG, RtmpError, type RtmpMessage } from './message.js';

/**
 * Protocol control messages (RTMP spec 1.0 5.4) and user control messages (7.1.7), all on message stream 0:
 *   Set Chunk Size / Acknowledgement / Window Acknowledgement Size: u32
 *   Set Peer Bandwidth: window u32 | limit type u8 (0 hard, 1 soft, 2 dynamic)
 *   User Control: event type u16 | event data (u32 stream id, or u32 timestamp; Set Buffer Length adds u32 ms)
 */
const u32 = (value: number) => {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(value >>> 0, 0);
  return b;
};

const control = (typeId: number, payload: Buffer): RtmpMessage => ({ typeId, streamId: 0, timestamp: 0, payload });

export const setChunkSize = (size: number) => control(MSG.SET_CHUNK_SIZE, u32(size & 0x7fffffff));
export const abortMessage = (csid: number) => control(MSG.ABORT, u32(csid));
export const windowAckSize = (size: number) => control(MSG.WINDOW_ACK_SIZE, u32(size));
/** `sequence` is the number of bytes received so far (wrapping at 2^32). */
export const acknowledgement = (sequence: number) => control(MSG.ACK, u32(sequence));

export const PEER_BANDWIDTH_LIMIT = { HARD: 0, SOFT: 1, DYNAMIC: 2 } as const;

export function setPeerBandwidth(size: number, limitType: number = PEER_BANDWIDTH_LIMIT.DYNAMIC): RtmpMessage {
  const b = Buffer.allocUnsafe(5);
  b.writeUInt32BE(size >>> 0, 0);
  b[4] = limitType;
  return control(MSG.SET_PEER_BANDWIDTH, b);
}

/** The u32 that Set Chunk Size, Abort, Acknowledgement and Window Acknowledgement Size carry. */
export function readControlValue(message: RtmpMessage): number {
  if (message.payload.length < 4) {
    throw new RtmpError('RTMP_BAD_CONTROL', `control message type ${message.typeId} shorter than 4 bytes`);
  }
  return message.payload.readUInt32BE(0);
}

export const USER_CONTROL = {
  STREAM_BEGIN: 0,
  STREAM_EOF: 1,
  STREAM_DRY: 2,
  SET_BUFFER_LENGTH: 3,
  STREAM_IS_RECORDED: 4,
  PING_REQUEST: 6,
  PING_RESPONSE: 7,
} as const;

function userControl(event: number, ...values: number[]): RtmpMessage {
  const b = Buffer.allocUnsafe(2 + values.length * 4);
  b.writeUInt16BE(event, 0);
  values.forEach((v, i) => {
    b.writeUInt32BE(v >>> 0, 2 + i * 4);
  });
  return control(MSG.USER_CONTROL, b);
}

export const streamBegin = (streamId: number) => userControl(USER_CONTROL.STREAM_BEGIN, streamId);
export const streamEof = (streamId: number) => userControl(USER_CONTROL.STREAM_EOF, streamId);
export const streamDry = (streamId: number) => userControl(USER_CONTROL.STREAM_DRY, streamId);
export const streamIsRecorded = (streamId: number) => userControl(USER_CONTROL.STREAM_IS_RECORDED, streamId);
export const pingRequest = (timestamp: number) => userControl(USER_CONTROL.PING_REQUEST, timestamp);
export const pingResponse = (timestamp: number) => userControl(USER_CONTROL.PING_RESPONSE, timestamp);
export const setBufferLength = (streamId: number, ms: number) =>
  userControl(USER_CONTROL.SET_BUFFER_LENGTH, streamId, ms);

export type UserControlEvent =
  | { type: 'stream-begin' | 'stream-eof' | 'stream-dry' | 'stream-is-recorded'; streamId: number }
  | { type: 'set-buffer-length'; streamId: number; bufferMs: number }
  | { type: 'ping-request' | 'ping-response'; timestamp: number }
  /** An event type this code does not know (7.1.7 leaves room for more); its data is kept as is. */
  | { type: 'unknown'; event: number; data: Buffer };

const STREAM_EVENTS = {
  [USER_CONTROL.STREAM_BEGIN]: 'stream-begin',
  [USER_CONTROL.STREAM_EOF]: 'stream-eof',
  [USER_CONTROL.STREAM_DRY]: 'stream-dry',
  [USER_CONTROL.STREAM_IS_RECORDED]: 'stream-is-recorded',
} as const;

/** Parses a User Control message payload (7.1.7). Throws RtmpError when it is too short for its event. */
export function parseUserControl(payload: Buffer): UserControlEvent {
  if (payload.length < 2) throw new RtmpError('RTMP_BAD_CONTROL', 'user control message without an event type');
  const event = payload.readUInt16BE(0);
  const need = event === USER_CONTROL.SET_BUFFER_LENGTH ? 10 : event <= USER_CONTROL.PING_RESPONSE ? 6 : 2;
  if (payload.length < need) throw new RtmpError('RTMP_BAD_CONTROL', `user control event ${event} too short`);
  switch (event) {
    case USER_CONTROL.STREAM_BEGIN:
    case USER_CONTROL.STREAM_EOF:
    case USER_CONTROL.STREAM_DRY:
    case USER_CONTROL.STREAM_IS_RECORDED:
      return { type: STREAM_EVENTS[event], streamId: payload.readUInt32BE(2) };
    case USER_CONTROL.SET_BUFFER_LENGTH:
      return { type: 'set-buffer-length', streamId: payload.readUInt32BE(2), bufferMs: payload.readUInt32BE(6) };
    case USER_CONTROL.PING_REQUEST:
      return { type: 'ping-request', timestamp: payload.readUInt32BE(2) };
    case USER_CONTROL.PING_RESPONSE:
      return { type: 'ping-response', timestamp: payload.readUInt32BE(2) };
    default:
      return { type: 'unknown', event, data: payload.subarray(2) };
  }
}
