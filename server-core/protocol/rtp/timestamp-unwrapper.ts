/**
 * Extends 32-bit RTP timestamps (RFC 3550 5.1, random start, wraps at 2^32: 13.3 h at 90 kHz, 24.8 h at
 * 48 kHz) into a monotonic-when-in-order number line. A timestamp is taken as the nearest value to the last
 * one, so reordered or B-frame timestamps a little behind map backwards instead of a cycle ahead.
 * The first timestamp maps to itself (0..2^32-1); results stay exact far beyond 2^53 / 2^32 cycles.
 */
export const TIMESTAMP_MODULO = 0x1_0000_0000;
const HALF = 0x8000_0000;

/** Signed distance a - b of two 32-bit timestamps, in [-2^31, 2^31). */
export function timestampDiff(a: number, b: number): number {
  const d = (a - b) >>> 0;
  return d >= HALF ? d - TIMESTAMP_MODULO : d;
}

export class TimestampUnwrapper {
  private last: number | undefined;

  unwrap(timestamp: number): number {
    const t = timestamp >>> 0;
    if (this.last === undefined) {
      this.last = t;
      return t;
    }
    const lastWrapped = ((this.last % TIMESTAMP_MODULO) + TIMESTAMP_MODULO) % TIMESTAMP_MODULO;
    this.last = this.last + timestampDiff(t, lastWrapped);
    return this.last;
  }
}
