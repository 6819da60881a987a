import { readPesTimestamp, writePesTimestamp } from '../mpegts/timestamp.js';
import { LENGTH_PREFIX_SIZE, MAX_PES_PACKET_LENGTH, STREAM_ID } from './constants.js';
import { PsError } from './ps-error.js';

/**
 * PES packet in a program stream (ISO/IEC 13818-1 2.4.3.6, Table 2-21):
 *
 *   00 00 01 | stream_id u8 | PES_packet_length u16 | '10' scrambling u2 priority 1 data_alignment 1
 *   copyright 1 original 1 | PTS_DTS_flags u2 ESCR 1 ES_rate 1 trick 1 copy_info 1 CRC 1 extension 1 |
 *   PES_header_data_length u8 | [PTS 5 bytes] [DTS 5 bytes] other fields, stuffing | payload
 *
 * padding_stream, private_stream_2 and the directory/map ids have no optional header (the payload follows
 * the length). An MPEG-1 packet (no '10' marker) is read for its payload with stuffing and PTS skipped.
 */
export interface PsPes {
  streamId: number;
  /** 33-bit 90 kHz values. */
  pts?: number;
  dts?: number;
  dataAlignment: boolean;
  payload: Buffer;
}

const OPTIONAL_HEADER_START = 9;
const TIMESTAMP_SIZE = 5;

const hasOptionalHeader = (id: number) =>
  id !== STREAM_ID.PROGRAM_STREAM_MAP &&
  id !== STREAM_ID.PADDING &&
  id !== STREAM_ID.PRIVATE_STREAM_2 &&
  !(id >= 0xf0 && id <= 0xf2) &&
  id !== 0xf8 &&
  id !== STREAM_ID.PROGRAM_STREAM_DIRECTORY;

/** Parses a whole PES packet, buf[at..at+size): size is 6 + PES_packet_length, or the span found for length 0. */
export function parsePsPes(buf: Buffer, at: number, size: number): PsPes {
  if (size < LENGTH_PREFIX_SIZE || buf.length - at < size) throw new PsError('PS_TRUNCATED', 'PES packet truncated');
  if (buf[at] !== 0 || buf[at + 1] !== 0 || buf[at + 2] !== 1) throw new PsError('PS_INVALID', 'no PES start code');
  const streamId = buf[at + 3];
  const end = at + size;
  if (!hasOptionalHeader(streamId)) {
    return { streamId, dataAlignment: false, payload: buf.subarray(at + LENGTH_PREFIX_SIZE, end) };
  }
  if (size < OPTIONAL_HEADER_START) {
    if (size === LENGTH_PREFIX_SIZE) return { streamId, dataAlignment: false, payload: buf.subarray(end, end) };
    return parseMpeg1Pes(buf, at, size);
  }
  if ((buf[at + 6] & 0xc0) !== 0x80) return parseMpeg1Pes(buf, at, size);
  const headerEnd = at + OPTIONAL_HEADER_START + buf[at + 8];
  if (headerEnd > end) throw new PsError('PS_INVALID', `PES header of ${headerEnd - at} bytes in ${size}`);
  const flags = buf[at + 7] >> 6;
  const pes: PsPes = { streamId, dataAlignment: (buf[at + 6] & 0x04) !== 0, payload: buf.subarray(headerEnd, end) };
  if (flags & 0x2) {
    const needed = flags === 0x3 ? 2 * TIMESTAMP_SIZE : TIMESTAMP_SIZE;
    if (buf[at + 8] < needed) throw new PsError('PS_INVALID', `PTS_DTS_flags ${flags} with ${buf[at + 8]} bytes`);
    pes.pts = readPesTimestamp(buf, at + OPTIONAL_HEADER_START);
    pes.dts = flags === 0x3 ? readPesTimestamp(buf, at + OPTIONAL_HEADER_START + TIMESTAMP_SIZE) : pes.pts;
  }
  return pes;
}

/** ISO/IEC 11172-1 2.4.3.3: stuffing 0xFF*, optional STD buffer '01' (2 bytes), then '0010' PTS / '0011' PTS DTS / 0x0F. */
function parseMpeg1Pes(buf: Buffer, at: number, size: number): PsPes {
  const end = at + size;
  let p = at + LENGTH_PREFIX_SIZE;
  while (p < end && buf[p] === 0xff) p++;
  if (p < end && (buf[p] & 0xc0) === 0x40) p += 2;
  if (p >= end) throw new PsError('PS_TRUNCATED', 'MPEG-1 PES header truncated');
  const streamId = buf[at + 3];
  const marker = buf[p] >> 4;
  if (marker === 0x2 || marker === 0x3) {
    const len = marker === 0x3 ? 2 * TIMESTAMP_SIZE : TIMESTAMP_SIZE;
    if (p + len > end) throw new PsError('PS_TRUNCATED', 'MPEG-1 PES timestamps truncated');
    const pts = readPesTimestamp(buf, p);
    const dts = marker === 0x3 ? readPesTimestamp(buf, p + TIMESTAMP_SIZE) : pts;
    return { streamId, pts, dts, dataAlignment: false, payload: buf.subarray(p + len, end) };
  }
  if (buf[p] !== 0x0f) throw new PsError('PS_INVALID', `MPEG-1 PES header byte 0x${buf[p].toString(16)}`);
  return { streamId, dataAlignment: false, payload: buf.subarray(p + 1, end) };
}

export interface PsPesInput {
  streamId: number;
  /** 90 kHz; when omitted the packet carries no timestamps (a continuation of an access unit). */
  pts?: number;
  /** 90 kHz; written only when it differs from pts. */
  dts?: number;
  payload: Buffer;
  /** data_alignment_indicator: the payload starts an access unit. */
  dataAlignment?: boolean;
}

/** Bytes of optional header a packet with these timestamps needs (its PES_header_data_length). */
export function pesHeaderDataLength(pts: number | undefined, dts: number | undefined): number {
  if (pts === undefined) return 0;
  return dts !== undefined && Math.round(dts) !== Math.round(pts) ? 2 * TIMESTAMP_SIZE : TIMESTAMP_SIZE;
}

/** Largest payload one PES packet with this header can carry. */
export function maxPesPayload(headerDataLength: number): number {
  return MAX_PES_PACKET_LENGTH - (OPTIONAL_HEADER_START - LENGTH_PREFIX_SIZE) - headerDataLength;
}

export function writePsPes(input: PsPesInput): Buffer {
  const headerDataLength = pesHeaderDataLength(input.pts, input.dts);
  if (input.payload.length > maxPesPayload(headerDataLength)) {
    throw new PsError('PS_TOO_LARGE', `PES payload of ${input.payload.length} bytes`);
  }
  const headerEnd = OPTIONAL_HEADER_START + headerDataLength;
  const out = Buffer.allocUnsafe(headerEnd + input.payload.length);
  out[0] = 0;
  out[1] = 0;
  out[2] = 1;
  out[3] = input.streamId;
  out.writeUInt16BE(out.length - LENGTH_PREFIX_SIZE, 4);
  out[6] = 0x80 | (input.dataAlignment ? 0x04 : 0);
  out[7] = headerDataLength === 0 ? 0x00 : headerDataLength === TIMESTAMP_SIZE ? 0x80 : 0xc0;
  out[8] = headerDataLength;
  if (input.pts !== undefined) {
    writePesTimestamp(out, OPTIONAL_HEADER_START, headerDataLength === TIMESTAMP_SIZE ? 0x2 : 0x3, input.pts);
    if (headerDataLength > TIMESTAMP_SIZE) writePesTimestamp(out, OPTIONAL_HEADER_START + 5, 0x1, input.dts!);
  }
  input.payload.copy(out, headerEnd);
  return out;
}
