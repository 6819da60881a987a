import { MSG, type RtmpMessage } from './message.js';

/** Protocol control (RTMP spec 1.0 5.4) and user control (7.1.7) messages, all on message stream 0. */
const u32 = (value: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value >>> 0, 0);
  return b;
};

const control = (typeId: number, payload: Buffer): RtmpMessage => ({ typeId, streamId: 0, timestamp: 0, payload });

export const setChunkSize = (size: number) => control(MSG.SET_CHUNK_SIZE, u32(size & 0x7fffffff));
export const windowAckSize = (size: number) => control(MSG.WINDOW_ACK_SIZE, u32(size));
export const acknowledgement = (sequence: number) => control(MSG.ACK, u32(sequence));

/** Limit type 2 = dynamic (5.4.5). */
export function setPeerBandwidth(size: number, limitType = 2): RtmpMessage {
  const b = Buffer.alloc(5);
  b.writeUInt32BE(size >>> 0, 0);
  b[4] = limitType;
  return control(MSG.SET_PEER_BANDWIDTH, b);
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
  const b = Buffer.alloc(2 + values.length * 4);
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
export const pingRequest = (time: number) => userControl(USER_CONTROL.PING_REQUEST, time);
export const pingResponse = (time: number) => userControl(USER_CONTROL.PING_RESPONSE, time);
export const setBufferLength = (streamId: number, ms: number) =>
  userControl(USER_CONTROL.SET_BUFFER_LENGTH, streamId, ms);

export interface UserControlEvent {
  event: number;
  value: number;
  extra?: number;
}

export function parseUserControl(payload: Buffer): UserControlEvent | undefined {
  if (payload.length < 6) return undefined;
  return {
    event: payload.readUInt16BE(0),
    value: payload.readUInt32BE(2),
    extra: payload.length >= 10 ? payload.readUInt32BE(6) : undefined,
  };
}
