import { MAX_PSI_SECTION_SIZE } from './constants.js';
import { crc32Mpeg } from './crc32-mpeg.js';
import { TsError } from './ts-error.js';

/**
 * A PSI section in the long form PAT and PMT use (ISO/IEC 13818-1 2.4.4.3 / 2.4.4.8):
 *
 *   table_id u8 | section_syntax_indicator 1 | '0' | reserved 2 | section_length u12 |
 *   table_id_extension u16 | reserved 2 | version_number u5 | current_next_indicator 1 |
 *   section_number u8 | last_section_number u8 | body | CRC_32 u32
 *
 * section_length counts the bytes after it, CRC included. The CRC (Annex A) covers table_id..body.
 */
export interface PsiSection {
  tableId: number;
  /** transport_stream_id for a PAT, program_number for a PMT. */
  tableIdExtension: number;
  version: number;
  currentNext: boolean;
  sectionNumber: number;
  lastSectionNumber: number;
  /** Subarray between last_section_number and the CRC. */
  body: Buffer;
}

export interface PsiSectionInput {
  tableId: number;
  tableIdExtension: number;
  /** 0..31; wraps. */
  version?: number;
  body: Buffer;
}

/** table_id and the 16 bits holding section_length. */
const SECTION_PREFIX_SIZE = 3;
/** table_id_extension, version byte, section_number, last_section_number. */
const LONG_HEADER_SIZE = 5;
const CRC_SIZE = 4;
const MAX_SECTION_LENGTH = MAX_PSI_SECTION_SIZE - SECTION_PREFIX_SIZE;

/** Total bytes of the section starting at buf[0] (from its first 3 bytes), or undefined when fewer are known. */
export function psiSectionSize(buf: Buffer): number | undefined {
  if (buf.length < SECTION_PREFIX_SIZE) return undefined;
  return SECTION_PREFIX_SIZE + (buf.readUInt16BE(1) & 0x0fff);
}

export function writePsiSection(input: PsiSectionInput): Buffer {
  const sectionLength = LONG_HEADER_SIZE + input.body.length + CRC_SIZE;
  if (sectionLength > MAX_SECTION_LENGTH) throw new TsError('TS_TOO_LARGE', `PSI section_length ${sectionLength}`);
  const out = Buffer.alloc(SECTION_PREFIX_SIZE + sectionLength);
  out[0] = input.tableId;
  out.writeUInt16BE(0xb000 | sectionLength, 1); // syntax 1, '0', reserved '11'
  out.writeUInt16BE(input.tableIdExtension & 0xffff, 3);
  out[5] = 0xc0 | (((input.version ?? 0) & 0x1f) << 1) | 0x01; // reserved '11', current_next 1
  out[6] = 0; // section_number
  out[7] = 0; // last_section_number
  input.body.copy(out, SECTION_PREFIX_SIZE + LONG_HEADER_SIZE);
  const crcAt = out.length - CRC_SIZE;
  out.writeUInt32BE(crc32Mpeg(out.subarray(0, crcAt)), crcAt);
  return out;
}

/** Parses and CRC-checks the section at buf[0]; bytes after it (stuffing, more sections) are ignored. */
export function parsePsiSection(buf: Buffer): PsiSection {
  const size = psiSectionSize(buf);
  if (size === undefined) throw new TsError('TS_TRUNCATED', `PSI section of ${buf.length} bytes`);
  if ((buf[1] & 0x80) === 0) throw new TsError('TS_INVALID', 'PSI section without section_syntax_indicator');
  const sectionLength = size - SECTION_PREFIX_SIZE;
  if (sectionLength > MAX_SECTION_LENGTH) throw new TsError('TS_TOO_LARGE', `PSI section_length ${sectionLength}`);
  if (sectionLength < LONG_HEADER_SIZE + CRC_SIZE) {
    throw new TsError('TS_INVALID', `PSI section_length ${sectionLength}`);
  }
  if (size > buf.length) throw new TsError('TS_TRUNCATED', `PSI section of ${size} bytes, ${buf.length} present`);
  const section = buf.subarray(0, size);
  if (crc32Mpeg(section) !== 0) throw new TsError('TS_CRC', `PSI table 0x${buf[0].toString(16)} CRC mismatch`);
  return {
    tableId: section[0],
    tableIdExtension: section.readUInt16BE(3),
    version: (section[5] >> 1) & 0x1f,
    currentNext: (section[5] & 0x01) !== 0,
    sectionNumber: section[6],
    lastSectionNumber: section[7],
    body: section.subarray(SECTION_PREFIX_SIZE + LONG_HEADER_SIZE, size - CRC_SIZE),
  };
}
