import { MPEG1_PACK_HEADER_SIZE, PACK_HEADER_SIZE, PACK_START_CODE } from './constants.js';
import { PsError } from './ps-error.js';

/**
 * Pack header (ISO/IEC 13818-1 2.5.3.3, Table 2-38), MPEG-2 form:
 *
 *   00 00 01 BA | '01' SCR_base[32..30] u3 marker | SCR_base[29..15] u15 marker | SCR_base[14..0] u15 marker
 *   SCR_ext u9 marker | program_mux_rate u22 marker marker | reserved u5 pack_stuffing_length u3 | 0xFF * stuffing
 *
 * The 6 SCR bytes hold 2+3+1+15+1+15+1+9+1 = 48 bits. program_mux_rate counts 50 bytes/s units.
 * The MPEG-1 form (ISO/IEC 11172-1), '0010' SCR[32..30] marker ..., 12 bytes, is read for its SCR only.
 */
export interface PackHeader {
  /** 33-bit 90 kHz system clock reference base. */
  scrBase: number;
  /** 27 MHz extension, 0..299 (0 for MPEG-1). */
  scrExtension: number;
  /** Units of 50 bytes per second. */
  muxRate: number;
  /** Whole header size including stuffing. */
  size: number;
  mpeg1: boolean;
}

export interface PackHeaderInput {
  scrBase: number;
  scrExtension?: number;
  muxRate: number;
  /** 0..7 stuffing bytes. */
  stuffing?: number;
}

const TIMESTAMP_WRAP = 2 ** 33;

/** Header size as far as the first 14 bytes tell (MPEG-2 stuffing included), or a PsError. */
export function packHeaderSize(buf: Buffer, at = 0): number {
  if (buf.length - at < 5) throw new PsError('PS_TRUNCATED', 'pack header shorter than 5 bytes');
  const marker = buf[at + 4];
  if ((marker & 0xc0) === 0x40) {
    if (buf.length - at < PACK_HEADER_SIZE) throw new PsError('PS_TRUNCATED', 'pack header shorter than 14 bytes');
    return PACK_HEADER_SIZE + (buf[at + 13] & 0x07);
  }
  if ((marker & 0xf0) === 0x20) return MPEG1_PACK_HEADER_SIZE;
  throw new PsError('PS_INVALID', `pack header marker byte 0x${marker.toString(16)}`);
}

export function parsePackHeader(buf: Buffer, at = 0): PackHeader {
  if (
    buf.length - at < 4 ||
    buf[at] !== 0 ||
    buf[at + 1] !== 0 ||
    buf[at + 2] !== 1 ||
    buf[at + 3] !== PACK_START_CODE
  ) {
    throw new PsError('PS_INVALID', 'no pack start code');
  }
  const size = packHeaderSize(buf, at);
  if (buf.length - at < size) throw new PsError('PS_TRUNCATED', `pack header of ${size} bytes`);
  const b = (i: number) => buf[at + 4 + i];
  if ((b(0) & 0xc0) === 0x40) {
    const scrBase =
      ((b(0) >> 3) & 0x07) * 2 ** 30 +
      (((b(0) & 0x03) << 13) | (b(1) << 5) | (b(2) >> 3)) * 2 ** 15 +
      (((b(2) & 0x03) << 13) | (b(3) << 5) | (b(4) >> 3));
    const scrExtension = ((b(4) & 0x03) << 7) | (b(5) >> 1);
    const muxRate = (b(6) << 14) | (b(7) << 6) | (b(8) >> 2);
    return { scrBase, scrExtension, muxRate, size, mpeg1: false };
  }
  // MPEG-1: '0010' SCR[32..30] marker | SCR[29..15] marker | SCR[14..0] marker | marker mux_rate u22 marker
  const scrBase = ((b(0) >> 1) & 0x07) * 2 ** 30 + ((b(1) << 7) | (b(2) >> 1)) * 2 ** 15 + ((b(3) << 7) | (b(4) >> 1));
  const muxRate = ((b(5) & 0x7f) << 15) | (b(6) << 7) | (b(7) >> 1);
  return { scrBase, scrExtension: 0, muxRate, size, mpeg1: true };
}

export function writePackHeader(input: PackHeaderInput): Buffer {
  const stuffing = input.stuffing ?? 0;
  if (!Number.isInteger(stuffing) || stuffing < 0 || stuffing > 7) {
    throw new PsError('PS_BAD_INPUT', `pack_stuffing_length ${stuffing}`);
  }
  const scr = ((Math.round(input.scrBase) % TIMESTAMP_WRAP) + TIMESTAMP_WRAP) % TIMESTAMP_WRAP;
  const ext = (input.scrExtension ?? 0) & 0x1ff;
  const rate = input.muxRate & 0x3fffff;
  const high = Math.floor(scr / 2 ** 30);
  const mid = Math.floor(scr / 2 ** 15) % 2 ** 15;
  const low = scr % 2 ** 15;
  const out = Buffer.alloc(PACK_HEADER_SIZE + stuffing, 0xff);
  out[0] = 0;
  out[1] = 0;
  out[2] = 1;
  out[3] = PACK_START_CODE;
  out[4] = 0x40 | (high << 3) | 0x04 | (mid >> 13);
  out[5] = (mid >> 5) & 0xff;
  out[6] = ((mid & 0x1f) << 3) | 0x04 | (low >> 13);
  out[7] = (low >> 5) & 0xff;
  out[8] = ((low & 0x1f) << 3) | 0x04 | (ext >> 7);
  out[9] = ((ext & 0x7f) << 1) | 0x01;
  out[10] = rate >> 14;
  out[11] = (rate >> 6) & 0xff;
  out[12] = ((rate & 0x3f) << 2) | 0x03;
  out[13] = 0xf8 | stuffing;
  return out;
}
