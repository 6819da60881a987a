import { SrtError } from './srt-error.js';

/**
 * Stream ID extension (draft-sharabayko-srt-01 section 3.2.1.3): UTF-8 text padded with zeros to whole 32-bit
 * words, each word written little-endian, so "#!::r=live" travels as `3a3a2123 696c3d72 0000 6576`.
 */
export const MAX_STREAM_ID_BYTES = 512;

export function decodeStreamIdExtension(body: Buffer): string {
  if (body.length % 4 !== 0) throw new SrtError('SRT_TRUNCATED', `stream id of ${body.length} bytes`);
  if (body.length > MAX_STREAM_ID_BYTES) {
    throw new SrtError('SRT_TOO_LARGE', `stream id of ${body.length} bytes, limit ${MAX_STREAM_ID_BYTES}`);
  }
  const text = swapWords(body);
  let end = text.length;
  while (end > 0 && text[end - 1] === 0) end--;
  return text.subarray(0, end).toString('utf8');
}

export function encodeStreamIdExtension(streamId: string): Buffer {
  const raw = Buffer.from(streamId, 'utf8');
  if (raw.length > MAX_STREAM_ID_BYTES) {
    throw new SrtError('SRT_TOO_LARGE', `stream id of ${raw.length} bytes, limit ${MAX_STREAM_ID_BYTES}`);
  }
  const padded = Buffer.alloc((raw.length + 3) & ~3);
  raw.copy(padded);
  return swapWords(padded);
}

function swapWords(buf: Buffer): Buffer {
  const out = Buffer.allocUnsafe(buf.length);
  for (let i = 0; i < buf.length; i += 4) out.writeUInt32LE(buf.readUInt32BE(i), i);
  return out;
}
