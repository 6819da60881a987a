import { wrapTimestamp } from './timestamp.js';
import { TsError } from './ts-error.js';

/**
 * Adaptation field (ISO/IEC 13818-1 2.4.3.4, semantics 2.4.3.5):
 *
 *   adaptation_field_length u8 | [discontinuity 1 | random_access 1 | es_priority 1 | PCR_flag 1 | OPCR_flag 1 |
 *   splicing_point 1 | private_data 1 | extension 1] | [PCR: base u33 | reserved 6 | extension u9] | ... | 0xFF*
 *
 * A length of 0 is one byte of stuffing and carries no flags. PCR = base * 300 + extension at 27 MHz; we write
 * and report the 90 kHz base (extension 0 on write).
 */
export interface AdaptationField {
  discontinuity: boolean;
  randomAccess: boolean;
  /** program_clock_reference_base, 90 kHz. */
  pcr?: number;
  /** program_clock_reference_extension, 27 MHz remainder (0..299). */
  pcrExtension?: number;
}

export interface AdaptationFieldInput {
  discontinuity?: boolean;
  randomAccess?: boolean;
  /** 90 kHz; wrapped to 33 bits. */
  pcr?: number;
}

const FLAG_DISCONTINUITY = 0x80;
const FLAG_RANDOM_ACCESS = 0x40;
const FLAG_PCR = 0x10;
const PCR_SIZE = 6;
/** Length byte + flags byte. */
const FLAGS_FIELD_SIZE = 2;

/** Bytes the field needs before stuffing, its length byte included; 0 when nothing needs one. */
export function adaptationFieldSize(input: AdaptationFieldInput): number {
  if (input.pcr === undefined && !input.randomAccess && !input.discontinuity) return 0;
  return FLAGS_FIELD_SIZE + (input.pcr !== undefined ? PCR_SIZE : 0);
}

/** Writes a field of exactly `size` bytes at out[at] (size >= adaptationFieldSize(input), >= 1), 0xFF-stuffed. */
export function writeAdaptationField(out: Buffer, at: number, size: number, input: AdaptationFieldInput): void {
  out[at] = size - 1;
  if (size === 1) return;
  const flags =
    (input.discontinuity ? FLAG_DISCONTINUITY : 0) |
    (input.randomAccess ? FLAG_RANDOM_ACCESS : 0) |
    (input.pcr !== undefined ? FLAG_PCR : 0);
  out[at + 1] = flags;
  let pos = at + FLAGS_FIELD_SIZE;
  if (input.pcr !== undefined) {
    const base = wrapTimestamp(input.pcr);
    out.writeUInt32BE(Math.floor(base / 2), pos);
    out[pos + 4] = ((base & 1) << 7) | 0x7e; // 6 reserved bits set, extension bit 8 = 0
    out[pos + 5] = 0;
    pos += PCR_SIZE;
  }
  out.fill(0xff, pos, at + size);
}

/** Parses the field starting at buf[0] (its length byte); buf may run past the field. */
export function parseAdaptationField(buf: Buffer): AdaptationField {
  if (buf.length < 1) throw new TsError('TS_TRUNCATED', 'empty adaptation field');
  const length = buf[0];
  if (1 + length > buf.length) throw new TsError('TS_TRUNCATED', `adaptation field of ${length} bytes overruns`);
  if (length === 0) return { discontinuity: false, randomAccess: false };
  const flags = buf[1];
  const field: AdaptationField = {
    discontinuity: (flags & FLAG_DISCONTINUITY) !== 0,
    randomAccess: (flags & FLAG_RANDOM_ACCESS) !== 0,
  };
  if (flags & FLAG_PCR) {
    if (length < 1 + PCR_SIZE) throw new TsError('TS_INVALID', `PCR_flag in an adaptation field of ${length} bytes`);
    field.pcr = buf.readUInt32BE(2) * 2 + (buf[6] >> 7);
    field.pcrExtension = ((buf[6] & 1) << 8) | buf[7];
  }
  return field;
}
