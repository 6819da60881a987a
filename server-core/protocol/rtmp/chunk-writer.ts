import type { RtmpMessage } from './message.js';

const EXTENDED = 0xffffff;

/**
 * Encodes one message as chunks (RTMP spec 1.0 section 5.3): a fmt 0 chunk with the absolute timestamp, then fmt 3
 * continuation chunks (repeating the extended timestamp when there is one). Self-contained: it depends on no
 * earlier message, so the bytes can be shared by every reader with the same chunk size.
 */
export function encodeMessageChunks(msg: RtmpMessage, chunkSize: number, csid: number): Buffer {
  const timestamp = msg.timestamp >>> 0;
  const extended = timestamp >= EXTENDED;
  const basic = basicHeader(0, csid);
  const continuation = basicHeader(3, csid);
  const extraSize = extended ? 4 : 0;
  const length = msg.payload.length;
  const chunks = Math.max(1, Math.ceil(length / chunkSize));
  const total = basic.length + 11 + extraSize + length + (chunks - 1) * (continuation.length + extraSize);
  const out = Buffer.allocUnsafe(total);
  let pos = basic.copy(out, 0);
  out.writeUIntBE(extended ? EXTENDED : timestamp, pos, 3);
  out.writeUIntBE(length, pos + 3, 3);
  out[pos + 6] = msg.typeId;
  out.writeUInt32LE(msg.streamId >>> 0, pos + 7);
  pos += 11;
  if (extended) pos = out.writeUInt32BE(timestamp, pos);
  for (let offset = 0; offset < length || offset === 0; ) {
    if (offset > 0) {
      pos += continuation.copy(out, pos);
      if (extended) pos = out.writeUInt32BE(timestamp, pos);
    }
    const end = Math.min(length, offset + chunkSize);
    pos += msg.payload.copy(out, pos, offset, end);
    offset = end;
    if (length === 0) break;
  }
  return out;
}

/** Basic header: 1 byte for csid 2-63, 2 bytes for 64-319, 3 bytes for 320-65599. */
function basicHeader(fmt: number, csid: number): Buffer {
  if (csid < 64) return Buffer.from([(fmt << 6) | csid]);
  if (csid < 320) return Buffer.from([fmt << 6, csid - 64]);
  const rest = csid - 64;
  return Buffer.from([(fmt << 6) | 1, rest & 0xff, rest >> 8]);
}

/** Chunk-encodes several messages on one chunk stream (control and command messages). */
export function encodeMessages(messages: readonly RtmpMessage[], chunkSize: number, csid: number): Buffer {
  return Buffer.concat(messages.map((m) => encodeMessageChunks(m, chunkSize, csid)));
}
