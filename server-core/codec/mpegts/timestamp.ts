import { TIMESTAMP_WRAP } from './constants.js';

/** A 90 kHz time (any finite number, possibly negative or fractional) as its 33-bit wire value. */
export function wrapTimestamp(ticks: number): number {
  return ((Math.round(ticks) % TIMESTAMP_WRAP) + TIMESTAMP_WRAP) % TIMESTAMP_WRAP;
}

/**
 * PTS / DTS field of a PES header (2.4.3.7), 5 bytes:
 *   prefix u4 | ts[32..30] u3 | marker 1 | ts[29..15] u15 | marker 1 | ts[14..0] u15 | marker 1
 */
export function writePesTimestamp(out: Buffer, at: number, prefix: number, ticks: number): void {
  const ts = wrapTimestamp(ticks);
  const high = Math.floor(ts / 2 ** 30);
  const low = ts % 2 ** 30;
  out[at] = (prefix << 4) | (high << 1) | 1;
  out.writeUInt16BE(((low >>> 15) << 1) | 1, at + 1);
  out.writeUInt16BE(((low & 0x7fff) << 1) | 1, at + 3);
}

/** Reads the 33-bit value of a PTS / DTS field; marker bits are not checked (encoders get them wrong). */
export function readPesTimestamp(buf: Buffer, at: number): number {
  const high = (buf[at] >> 1) & 0x07;
  const mid = buf.readUInt16BE(at + 1) >>> 1;
  const low = buf.readUInt16BE(at + 3) >>> 1;
  return high * 2 ** 30 + mid * 2 ** 15 + low;
}
