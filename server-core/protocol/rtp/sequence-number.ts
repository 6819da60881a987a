/**
 * 16-bit RTP sequence number arithmetic (RFC 3550 5.1, A.1): numbers wrap at 2^16, and "a is after b" means
 * the forward distance from b to a is less than half the space (RFC 1982 serial number arithmetic).
 */
export const SEQUENCE_MODULO = 0x10000;
const HALF = 0x8000;

/** a + n, wrapped to 16 bits (n may be negative). */
export function seqAdd(a: number, n: number): number {
  return (((a + n) % SEQUENCE_MODULO) + SEQUENCE_MODULO) % SEQUENCE_MODULO;
}

/** Signed distance a - b in [-32768, 32767]: positive when a comes after b. */
export function seqDiff(a: number, b: number): number {
  const d = (a - b) & 0xffff;
  return d >= HALF ? d - SEQUENCE_MODULO : d;
}

/** a comes strictly after b. */
export function seqIsNewer(a: number, b: number): boolean {
  return seqDiff(a, b) > 0;
}

/**
 * Extends 16-bit sequence numbers to a monotonic counter (cycles * 2^16 + seq), as the receiver's
 * "extended highest sequence number" of RFC 3550 6.4.1. Reordered (older) numbers map below the highest one.
 * The first number seen starts at cycle 0 (an old packet just before it may map below zero).
 */
export class SequenceUnwrapper {
  private highest: number | undefined;

  unwrap(seq: number): number {
    const s = seq & 0xffff;
    if (this.highest === undefined) {
      this.highest = s;
      return s;
    }
    const extended = this.highest + seqDiff(s, this.highest & 0xffff);
    if (extended > this.highest) this.highest = extended;
    return extended;
  }

  /** Highest extended number seen, if any. */
  get highestExtended(): number | undefined {
    return this.highest;
  }
}
