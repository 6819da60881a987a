import { readPesTimestamp, writePesTimestamp } from './timestamp.js';
import { TsError } from './ts-error.js';

/** stream_id values (Table 2-22) our muxer writes. */
export const PES_STREAM_ID = {
  /** private_stream_1: Opus (and other codecs identified by descriptors). */
  PRIVATE_1: 0xbd,
  /** First MPEG audio stream (AAC, MP3). */
  AUDIO: 0xc0,
  /** First video stream (H.264, HEVC). */
  VIDEO: 0xe0,
} as const;

/** Fixed part: start code, stream_id, PES_packet_length. */
const PES_PREFIX_SIZE = 6;
/** Fixed part plus the two flag bytes and PES_header_data_length. */
const PES_OPTIONAL_HEADER_START = 9;
const TIMESTAMP_SIZE = 5;
const MAX_PES_PACKET_LENGTH = 0xffff;
/** Table 2-22 stream_ids whose packets have no optional PES header (2.4.3.6). */
const WITHOUT_OPTIONAL_HEADER = new Set([0xbc, 0xbe, 0xbf, 0xf0, 0xf1, 0xf2, 0xf8, 0xff]);

export interface PesHeaderInput {
  streamId: number;
  /** Bytes of elementary stream data that follow the header. */
  payloadLength: number;
  /** 90 kHz. */
  pts: number;
  /** 90 kHz; omitted on the wire when equal to pts. */
  dts?: number;
  /** Write PES_packet_length 0 even when the length fits (only allowed for video). */
  unbounded?: boolean;
}

export interface PesHeader {
  streamId: number;
  /** PES_packet_length: bytes after this field, 0 for an unbounded video PES. */
  packetLength: number;
  /** 33-bit 90 kHz values. */
  pts?: number;
  dts?: number;
  /** Offset of the payload from the start code. */
  headerLength: number;
}

const isVideoStreamId = (streamId: number) => (streamId & 0xf0) === 0xe0;

/**
 * PES packet header (ISO/IEC 13818-1 2.4.3.6), the form with PTS and optional DTS:
 *
 *   00 00 01 | stream_id u8 | PES_packet_length u16 | '10' scrambling u2 priority 1 data_alignment 1 copyright 1
 *   original 1 | PTS_DTS_flags u2 ESCR 1 ES_rate 1 trick 1 copy_info 1 CRC 1 extension 1 |
 *   PES_header_data_length u8 | PTS (5 bytes) | [DTS (5 bytes)]
 *
 * PES_packet_length is 0 (unbounded) for a video PES too long for 16 bits; any other stream must fit.
 */
export function writePesHeader(input: PesHeaderInput): Buffer {
  const withDts = input.dts !== undefined && Math.round(input.dts) !== Math.round(input.pts);
  const headerDataLength = withDts ? 2 * TIMESTAMP_SIZE : TIMESTAMP_SIZE;
  const h = Buffer.alloc(PES_OPTIONAL_HEADER_START + headerDataLength);
  h[2] = 0x01;
  h[3] = input.streamId;
  const packetLength = PES_OPTIONAL_HEADER_START - PES_PREFIX_SIZE + headerDataLength + input.payloadLength;
  if (packetLength > MAX_PES_PACKET_LENGTH || input.unbounded) {
    if (!isVideoStreamId(input.streamId)) {
      throw new TsError(
        'TS_TOO_LARGE',
        `PES of ${input.payloadLength} bytes on stream 0x${input.streamId.toString(16)}`,
      );
    }
    h.writeUInt16BE(0, 4);
  } else {
    h.writeUInt16BE(packetLength, 4);
  }
  h[6] = 0x84; // '10', data_alignment_indicator: every PES starts an access unit
  h[7] = withDts ? 0xc0 : 0x80;
  h[8] = headerDataLength;
  writePesTimestamp(h, 9, withDts ? 0x3 : 0x2, input.pts);
  if (withDts) writePesTimestamp(h, 9 + TIMESTAMP_SIZE, 0x1, input.dts!);
  return h;
}

/** Parses the header at buf[0]; buf holds at least the whole header (the payload may still be arriving). */
export function parsePesHeader(buf: Buffer): PesHeader {
  if (buf.length < PES_PREFIX_SIZE) throw new TsError('TS_TRUNCATED', `PES header of ${buf.length} bytes`);
  if (buf[0] !== 0 || buf[1] !== 0 || buf[2] !== 1) throw new TsError('TS_INVALID', 'no PES start code');
  const streamId = buf[3];
  const packetLength = buf.readUInt16BE(4);
  if (WITHOUT_OPTIONAL_HEADER.has(streamId)) return { streamId, packetLength, headerLength: PES_PREFIX_SIZE };
  if (buf.length < PES_OPTIONAL_HEADER_START) throw new TsError('TS_TRUNCATED', `PES header of ${buf.length} bytes`);
  if ((buf[6] & 0xc0) !== 0x80) throw new TsError('TS_INVALID', 'PES header without the MPEG-2 10 marker');
  const headerLength = PES_OPTIONAL_HEADER_START + buf[8];
  if (headerLength > buf.length) throw new TsError('TS_TRUNCATED', `PES header of ${headerLength} bytes overruns`);
  if (packetLength !== 0 && headerLength > PES_PREFIX_SIZE + packetLength) {
    throw new TsError('TS_INVALID', `PES header of ${headerLength} bytes in a packet of ${packetLength}`);
  }
  const flags = buf[7] >> 6;
  const header: PesHeader = { streamId, packetLength, headerLength };
  if (flags & 0x2) {
    const needed = flags === 0x3 ? 2 * TIMESTAMP_SIZE : TIMESTAMP_SIZE;
    if (buf[8] < needed) throw new TsError('TS_INVALID', `PTS_DTS_flags ${flags} with ${buf[8]} header bytes`);
    header.pts = readPesTimestamp(buf, PES_OPTIONAL_HEADER_START);
    if (flags === 0x3) header.dts = readPesTimestamp(buf, PES_OPTIONAL_HEADER_START + TIMESTAMP_SIZE);
  }
  return header;
}

/** A whole PES packet: its header and payload (a subarray, cut at PES_packet_length when bounded). */
export function parsePes(buf: Buffer): PesHeader & { payload: Buffer } {
  const header = parsePesHeader(buf);
  let end = buf.length;
  if (header.packetLength !== 0) {
    end = PES_PREFIX_SIZE + header.packetLength;
    if (end > buf.length) throw new TsError('TS_TRUNCATED', `PES of ${end} bytes, ${buf.length} received`);
  }
  return { ...header, payload: buf.subarray(header.headerLength, end) };
}
