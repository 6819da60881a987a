import { TIMESTAMP_WRAP } from './constants.js';

/** PES stream ids (2.4.3.7). */
export const PES_STREAM_ID = { VIDEO: 0xe0, AUDIO: 0xc0, PRIVATE_1: 0xbd } as const;

/**
 * PES header (2.4.3.6): 00 00 01 | stream_id | PES_packet_length u16 (0 = unbounded, video only) |
 * '10' flags | PTS_DTS_flags u2 + others | header_data_length | PTS (5 bytes) | [DTS (5 bytes)].
 */
export function writePesHeader(streamId: number, payloadLength: number, pts: number, dts?: number): Buffer {
  const withDts = dts !== undefined && dts !== pts;
  const headerDataLength = withDts ? 10 : 5;
  const h = Buffer.alloc(9 + headerDataLength);
  h[2] = 1;
  h[3] = streamId;
  const pesLength = 3 + headerDataLength + payloadLength;
  h.writeUInt16BE(streamId === PES_STREAM_ID.VIDEO || pesLength > 0xffff ? 0 : pesLength, 4);
  h[6] = 0x80;
  h[7] = withDts ? 0xc0 : 0x80;
  h[8] = headerDataLength;
  writeTimestamp(h, 9, withDts ? 0x3 : 0x2, pts);
  if (withDts) writeTimestamp(h, 14, 0x1, dts);
  return h;
}

/** A 33-bit timestamp in 5 bytes: prefix u4 | ts[32..30] | 1 | ts[29..15] | 1 | ts[14..0] | 1. */
function writeTimestamp(b: Buffer, pos: number, prefix: number, value: number): void {
  const ts = ((Math.round(value) % TIMESTAMP_WRAP) + TIMESTAMP_WRAP) % TIMESTAMP_WRAP;
  const high = Math.floor(ts / 2 ** 30);
  const low = ts % 2 ** 30;
  b[pos] = (prefix << 4) | (high << 1) | 1;
  b[pos + 1] = low >> 22;
  b[pos + 2] = (((low >> 15) & 0x7f) << 1) | 1;
  b[pos + 3] = (low >> 7) & 0xff;
  b[pos + 4] = ((low & 0x7f) << 1) | 1;
}

export function readTimestamp(b: Buffer, pos: number): number {
  const high = (b[pos] >> 1) & 0x07;
  const mid = (b.readUInt16BE(pos + 1) >> 1) & 0x7fff;
  const low = (b.readUInt16BE(pos + 3) >> 1) & 0x7fff;
  return high * 2 ** 30 + mid * 2 ** 15 + low;
}

export interface ParsedPes {
  streamId: number;
  pts?: number;
  dts?: number;
  payload: Buffer;
}

/** Parses a whole PES packet; undefined when it is not one. */
export function parsePes(b: Buffer): ParsedPes | undefined {
  if (b.length < 9 || b[0] !== 0 || b[1] !== 0 || b[2] !== 1) return undefined;
  const streamId = b[3];
  const flags = b[7] >> 6;
  const headerLength = b[8];
  if (9 + headerLength > b.length) return undefined;
  let pts: number | undefined;
  let dts: number | undefined;
  if (flags & 0x2 && headerLength >= 5) pts = readTimestamp(b, 9);
  if (flags === 0x3 && headerLength >= 10) dts = readTimestamp(b, 14);
  return { streamId, pts, dts: dts ?? pts, payload: b.subarray(9 + headerLength) };
}
