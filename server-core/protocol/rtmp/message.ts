/** RTMP message type ids (Adobe RTMP spec 1.0, sections 5.4, 7.1). */
export const MSG = {
  SET_CHUNK_SIZE: 1,
  ABORT: 2,
  ACK: 3,
  USER_CONTROL: 4,
  WINDOW_ACK_SIZE: 5,
  SET_PEER_BANDWIDTH: 6,
  AUDIO: 8,
  VIDEO: 9,
  DATA_AMF3: 15,
  COMMAND_AMF3: 17,
  DATA_AMF0: 18,
  COMMAND_AMF0: 20,
} as const;

export interface RtmpMessage {
  typeId: number;
  /** Message stream id (0 for control and NetConnection commands). */
  streamId: number;
  /** Milliseconds, 32-bit, wrapping. */
  timestamp: number;
  payload: Buffer;
}

export type RtmpErrorCode =
  | 'RTMP_BAD_VERSION'
  | 'RTMP_BAD_HANDSHAKE'
  | 'RTMP_BAD_CHUNK'
  | 'RTMP_MESSAGE_TOO_LARGE'
  | 'RTMP_TOO_MANY_CHUNK_STREAMS'
  | 'RTMP_BAD_CHUNK_SIZE'
  | 'RTMP_BAD_CONTROL'
  | 'RTMP_BAD_COMMAND'
  | 'RTMP_BAD_STATE'
  | 'RTMP_BAD_URL';

export class RtmpError extends Error {
  constructor(
    readonly code: RtmpErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RtmpError';
  }
}
