import { checkUint32, RTCP_HEADER_SIZE, RTCP_MAX_COUNT, RTCP_SDES, writeRtcpHeader } from './rtcp-header.js';
import { RtpError } from './rtp-error.js';

/** SDES item types (RFC 3550 6.5). */
export const SDES_END = 0;
export const SDES_CNAME = 1;
export const SDES_NAME = 2;
export const SDES_TOOL = 6;
export const SDES_PRIV = 8;

export interface RtcpSdesItem {
  type: number;
  /** UTF-8 text, at most 255 bytes. */
  text: string;
}

export interface RtcpSdesChunk {
  ssrc: number;
  items: RtcpSdesItem[];
}

export interface RtcpSourceDescription {
  type: 'sdes';
  chunks: RtcpSdesChunk[];
}

const MAX_ITEM_LENGTH = 255;

/**
 * SDES (RFC 3550 6.5), count = chunks. Each chunk, 32-bit aligned:
 *   | SSRC u32 | { type u8 | length u8 | text } ... | 0 (END) | zero pad to a 4-byte boundary |
 */
export function readSdes(body: Buffer, count: number): RtcpSourceDescription {
  const chunks: RtcpSdesChunk[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (body.length - at < 4) throw new RtpError('RTCP_TRUNCATED', `SDES chunk ${i}`);
    const ssrc = body.readUInt32BE(at);
    at += 4;
    const items: RtcpSdesItem[] = [];
    for (;;) {
      if (at >= body.length) throw new RtpError('RTCP_TRUNCATED', 'SDES chunk without END');
      const type = body[at];
      if (type === SDES_END) {
        at++;
        break;
      }
      if (body.length - at < 2) throw new RtpError('RTCP_TRUNCATED', 'SDES item header');
      const length = body[at + 1];
      if (body.length - at - 2 < length) throw new RtpError('RTCP_TRUNCATED', `SDES item of ${length} bytes`);
      items.push({ type, text: body.toString('utf8', at + 2, at + 2 + length) });
      at += 2 + length;
    }
    at = Math.ceil(at / 4) * 4;
    chunks.push({ ssrc, items });
  }
  return { type: 'sdes', chunks };
}

function chunkSize(chunk: RtcpSdesChunk): number {
  let size = 4;
  for (const item of chunk.items) size += 2 + Buffer.byteLength(item.text, 'utf8');
  return Math.ceil((size + 1) / 4) * 4;
}

export function sdesSize(sdes: RtcpSourceDescription): number {
  if (sdes.chunks.length > RTCP_MAX_COUNT) throw new RtpError('RTP_BAD_ARGUMENT', `${sdes.chunks.length} SDES chunks`);
  let size = RTCP_HEADER_SIZE;
  for (const chunk of sdes.chunks) {
    checkUint32(chunk.ssrc, 'SDES SSRC');
    for (const item of chunk.items) {
      if (!Number.isInteger(item.type) || item.type < 1 || item.type > 255) {
        throw new RtpError('RTP_BAD_ARGUMENT', `SDES item type ${item.type}`);
      }
      if (Buffer.byteLength(item.text, 'utf8') > MAX_ITEM_LENGTH)
        throw new RtpError('RTP_BAD_ARGUMENT', 'SDES item over 255 bytes');
    }
    size += chunkSize(chunk);
  }
  return size;
}

export function writeSdes(out: Buffer, at: number, sdes: RtcpSourceDescription): number {
  const size = sdesSize(sdes);
  writeRtcpHeader(out, at, sdes.chunks.length, RTCP_SDES, size);
  let p = at + RTCP_HEADER_SIZE;
  for (const chunk of sdes.chunks) {
    const start = p;
    out.writeUInt32BE(chunk.ssrc, p);
    p += 4;
    for (const item of chunk.items) {
      out[p] = item.type;
      const n = out.write(item.text, p + 2, 'utf8');
      out[p + 1] = n;
      p += 2 + n;
    }
    const end = start + chunkSize(chunk);
    out.fill(0, p, end);
    p = end;
  }
  return size;
}

/** The CNAME a source describes itself with, if the packet carries one. */
export function sdesCname(sdes: RtcpSourceDescription, ssrc: number): string | undefined {
  return sdes.chunks.find((c) => c.ssrc === ssrc)?.items.find((i) => i.type === SDES_CNAME)?.text;
}
