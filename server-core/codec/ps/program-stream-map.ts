import { crc32Mpeg } from '../mpegts/crc32-mpeg.js';
import { LENGTH_PREFIX_SIZE, MAX_PSM_LENGTH, STREAM_ID } from './constants.js';
import { PsError } from './ps-error.js';

/**
 * Program stream map (ISO/IEC 13818-1 2.5.4, Table 2-41):
 *
 *   00 00 01 BC | program_stream_map_length u16 | current_next_indicator 1 single_extension_stream_flag 1
 *   reserved 1 program_stream_map_version u5 | reserved u7 marker 1 | program_stream_info_length u16 |
 *   descriptors | elementary_stream_map_length u16 |
 *   { stream_type u8 | elementary_stream_id u8 | elementary_stream_info_length u16 | descriptors }* | CRC_32
 *
 * CRC_32 (Annex A) covers everything from the start code up to itself.
 */
export interface PsmStream {
  streamType: number;
  streamId: number;
  /** Raw descriptor bytes of the entry. */
  info: Buffer;
}

export interface ProgramStreamMap {
  version: number;
  currentNext: boolean;
  /** Raw program_stream_info descriptors. */
  info: Buffer;
  streams: PsmStream[];
}

export interface ParsePsmOptions {
  /** Reject a map whose CRC_32 does not match (default true). Some cameras write a wrong or zero CRC. */
  checkCrc?: boolean;
}

const CRC_SIZE = 4;
/** Fields between program_stream_map_length and the descriptors, plus the two length fields. */
const FIXED_PART = 2 + 2 + 2 + CRC_SIZE;

export function parseProgramStreamMap(
  buf: Buffer,
  at = 0,
  options: ParsePsmOptions = {},
): ProgramStreamMap & { size: number } {
  if (buf.length - at < LENGTH_PREFIX_SIZE) throw new PsError('PS_TRUNCATED', 'PSM shorter than 6 bytes');
  if (buf[at] !== 0 || buf[at + 1] !== 0 || buf[at + 2] !== 1 || buf[at + 3] !== STREAM_ID.PROGRAM_STREAM_MAP) {
    throw new PsError('PS_INVALID', 'no PSM start code');
  }
  const length = buf.readUInt16BE(at + 4);
  if (length > MAX_PSM_LENGTH) throw new PsError('PS_TOO_LARGE', `program_stream_map_length ${length}`);
  if (length < FIXED_PART) throw new PsError('PS_INVALID', `program_stream_map_length ${length}`);
  const size = LENGTH_PREFIX_SIZE + length;
  if (buf.length - at < size) throw new PsError('PS_TRUNCATED', `PSM of ${size} bytes`);
  const end = at + size - CRC_SIZE;
  if (options.checkCrc ?? true) {
    const crc = crc32Mpeg(buf.subarray(at, end));
    if (crc !== buf.readUInt32BE(end)) throw new PsError('PS_CRC', 'PSM CRC_32 mismatch');
  }
  let p = at + LENGTH_PREFIX_SIZE;
  const currentNext = (buf[p] & 0x80) !== 0;
  const version = buf[p] & 0x1f;
  p += 2;
  const infoLength = buf.readUInt16BE(p);
  p += 2;
  if (p + infoLength + 2 > end) throw new PsError('PS_INVALID', `program_stream_info_length ${infoLength}`);
  const info = buf.subarray(p, p + infoLength);
  p += infoLength;
  const mapLength = buf.readUInt16BE(p);
  p += 2;
  if (p + mapLength > end) throw new PsError('PS_INVALID', `elementary_stream_map_length ${mapLength}`);
  const mapEnd = p + mapLength;
  const streams: PsmStream[] = [];
  while (p + 4 <= mapEnd) {
    const esInfoLength = buf.readUInt16BE(p + 2);
    if (p + 4 + esInfoLength > mapEnd) {
      throw new PsError('PS_INVALID', `elementary_stream_info_length ${esInfoLength}`);
    }
    streams.push({ streamType: buf[p], streamId: buf[p + 1], info: buf.subarray(p + 4, p + 4 + esInfoLength) });
    p += 4 + esInfoLength;
  }
  return { version, currentNext, info, streams, size };
}

export interface PsmInput {
  version?: number;
  info?: Buffer;
  streams: readonly { streamType: number; streamId: number; info?: Buffer }[];
}

export function writeProgramStreamMap(input: PsmInput): Buffer {
  const info = input.info ?? Buffer.alloc(0);
  let mapLength = 0;
  for (const s of input.streams) mapLength += 4 + (s.info?.length ?? 0);
  const length = FIXED_PART + info.length + mapLength;
  if (length > MAX_PSM_LENGTH) throw new PsError('PS_TOO_LARGE', `PSM of ${length} bytes`);
  const out = Buffer.alloc(LENGTH_PREFIX_SIZE + length);
  out[2] = 1;
  out[3] = STREAM_ID.PROGRAM_STREAM_MAP;
  out.writeUInt16BE(length, 4);
  out[6] = 0x80 | 0x20 | ((input.version ?? 0) & 0x1f); // current_next 1, reserved 1
  out[7] = 0xff; // reserved, marker
  let p = 8;
  out.writeUInt16BE(info.length, p);
  p += 2;
  info.copy(out, p);
  p += info.length;
  out.writeUInt16BE(mapLength, p);
  p += 2;
  for (const s of input.streams) {
    const esInfo = s.info ?? Buffer.alloc(0);
    out[p] = s.streamType;
    out[p + 1] = s.streamId;
    out.writeUInt16BE(esInfo.length, p + 2);
    esInfo.copy(out, p + 4);
    p += 4 + esInfo.length;
  }
  out.writeUInt32BE(crc32Mpeg(out.subarray(0, p)), p);
  return out;
}
