/**
 * 31-bit packet sequence numbers (draft-sharabayko-srt-01 section 3.1: "Packet Sequence Number: 31 bits") and
 * the arithmetic that survives their wrap from 0x7FFFFFFF to 0. Two numbers are compared by the shorter way
 * round the circle, so a distance is meaningful while the two are less than 2^30 apart.
 */
export const SEQ_MAX = 0x7fffffff;
const SEQ_MODULO = 0x80000000;
const SEQ_HALF = 0x40000000;

/** `seq + n` (n may be negative), wrapped into 31 bits. */
export function seqAdd(seq: number, n: number): number {
  const v = (seq + n) % SEQ_MODULO;
  return v < 0 ? v + SEQ_MODULO : v;
}

export function seqInc(seq: number): number {
  return seq === SEQ_MAX ? 0 : seq + 1;
}

export function seqDec(seq: number): number {
  return seq === 0 ? SEQ_MAX : seq - 1;
}

/** Signed distance from `from` to `to`: positive when `to` comes after `from`. */
export function seqOffset(from: number, to: number): number {
  const d = (to - from + SEQ_MODULO) % SEQ_MODULO;
  return d >= SEQ_HALF ? d - SEQ_MODULO : d;
}

/** Negative, zero or positive as `a` comes before, equals or comes after `b`. */
export function seqCompare(a: number, b: number): number {
  return seqOffset(b, a);
}

/** How many numbers `from..to` holds, both ends included (1 when equal). */
export function seqLength(from: number, to: number): number {
  return seqOffset(from, to) + 1;
}

/** 26-bit message numbers (section 3.1) wrap to 1: libsrt never sends message number 0. */
export const MSGNO_MAX = 0x3ffffff;

export function msgNoInc(msgNo: number): number {
  return msgNo >= MSGNO_MAX ? 1 : msgNo + 1;
}

/** 32-bit microsecond timestamps (section 3) wrap about every 71.6 minutes. */
export const TIMESTAMP_MODULO = 0x1_0000_0000;

/**
 * Puts a wrapped 32-bit timestamp on the unbounded line, choosing the value nearest to `reference` (an earlier
 * unwrapped timestamp of the same stream).
 */
export function unwrapTimestamp(ts: number, reference: number): number {
  const base = reference - (reference % TIMESTAMP_MODULO);
  let best = base + ts;
  for (const candidate of [best - TIMESTAMP_MODULO, best + TIMESTAMP_MODULO]) {
    if (candidate >= 0 && Math.abs(candidate - reference) < Math.abs(best - reference)) best = candidate;
  }
  return best;
}
