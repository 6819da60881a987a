import { RtmpError, type RtmpMessage } from './message.js';

const EXTENDED = 0xffffff;
export const MIN_CSID = 2;
export const MAX_CSID = 65_599;
/** A message length is a 24-bit field. */
export const MAX_MESSAGE_LENGTH = 0xffffff;

/**
 * Encodes one message as chunks (RTMP spec 1.0 section 5.3; layout drawn in chunk-reader.ts): a fmt 0 chunk with
 * the absolute timestamp, then fmt 3 continuation chunks, repeating the extended timestamp when there is one (as
 * ffmpeg, OBS and SRS do). Pure and self-contained: it depends on no earlier message, so the bytes can be shared
 * by every reader with the same chunk size. Throws RtmpError on a csid, chunk size or length RTMP cannot carry.
 */
export function encodeMessageChunks(msg: RtmpMessage, chunkSize: number, csid: number): Buffer {
  if (!Number.isInteger(csid) || csid < MIN_CSID || csid > MAX_CSID) {
    throw new RtmpError('RTMP_BAD_CHUNK', `chunk stream id ${csid} (allowed ${MIN_CSID}-${MAX_CSID})`);
  }
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > 0x7fffffff) {
    throw new RtmpError('RTMP_BAD_CHUNK_SIZE', `chunk size ${chunkSize}`);
  }
  const length = msg.payload.length;
  if (length > MAX_MESSAGE_LENGTH) throw new RtmpError('RTMP_MESSAGE_TOO_LARGE', `message of ${length} bytes`);
  const timestamp = msg.timestamp >>> 0;
  const extended = timestamp >= EXTENDED;
  const basicSize = csid < 64 ? 1 : csid < 320 ? 2 : 3;
  const extraSize = extended ? 4 : 0;
  const chunks = Math.max(1, Math.ceil(length / chunkSize));
  const out = Buffer.allocUnsafe(basicSize + 11 + extraSize + length + (chunks - 1) * (basicSize + extraSize));
  let pos = writeBasicHeader(out, 0, 0, csid);
  out.writeUIntBE(extended ? EXTENDED : timestamp, pos, 3);
  out.writeUIntBE(length, pos + 3, 3);
  out[pos + 6] = msg.typeId & 0xff;
  out.writeUInt32LE(msg.streamId >>> 0, pos + 7);
  pos += 11;
  for (let offset = 0; ; ) {
    if (extended) pos = out.writeUInt32BE(timestamp, pos);
    const end = Math.min(length, offset + chunkSize);
    pos += msg.payload.copy(out, pos, offset, end);
    offset = end;
    if (offset >= length) break;
    pos = writeBasicHeader(out, pos, 3, csid);
  }
  return out;
}

/** Basic header: 1 byte for csid 2-63, 2 bytes for 64-319, 3 bytes (little-endian rest) for 320-65599. */
function writeBasicHeader(out: Buffer, pos: number, fmt: number, csid: number): number {
  if (csid < 64) {
    out[pos] = (fmt << 6) | csid;
    return pos + 1;
  }
  const rest = csid - 64;
  if (csid < 320) {
    out[pos] = fmt << 6;
    out[pos + 1] = rest;
    return pos + 2;
  }
  out[pos] = (fmt << 6) | 1;
  out[pos + 1] = rest & 0xff;
  out[pos + 2] = rest >> 8;
  return pos + 3;
}

/** Chunk-encodes several messages on one chunk stream (control and command messages). */
export function encodeMessages(messages: readonly RtmpMessage[], chunkSize: number, csid: number): Buffer {
  return Buffer.concat(messages.map((m) => encodeMessageChunks(m, chunkSize, csid)));
}
