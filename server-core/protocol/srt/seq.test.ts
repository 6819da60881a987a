import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  msgNoInc,
  SEQ_MAX,
  seqAdd,
  seqCompare,
  seqDec,
  seqInc,
  seqLength,
  seqOffset,
  TIMESTAMP_MODULO,
  unwrapTimestamp,
} from './seq.js';

const seq = fc.integer({ min: 0, max: SEQ_MAX });
const near = fc.integer({ min: -0x3fffffff, max: 0x3fffffff });

describe('31-bit sequence numbers', () => {
  it('wraps at 2^31', () => {
    expect(seqInc(SEQ_MAX)).toBe(0);
    expect(seqDec(0)).toBe(SEQ_MAX);
    expect(seqAdd(SEQ_MAX, 3)).toBe(2);
    expect(seqAdd(1, -3)).toBe(SEQ_MAX - 1);
    expect(seqOffset(SEQ_MAX, 1)).toBe(2);
    expect(seqOffset(1, SEQ_MAX)).toBe(-2);
    expect(seqCompare(0, SEQ_MAX)).toBeGreaterThan(0);
    expect(seqLength(SEQ_MAX - 1, 1)).toBe(4);
  });

  it('offset inverts add near the wrap', () => {
    fc.assert(
      fc.property(seq, near, (s, n) => {
        const t = seqAdd(s, n);
        expect(t).toBeGreaterThanOrEqual(0);
        expect(t).toBeLessThanOrEqual(SEQ_MAX);
        expect(seqOffset(s, t)).toBe(n);
        expect(Math.sign(seqCompare(t, s))).toBe(Math.sign(n));
      }),
    );
  });

  it('inc and dec agree with add', () => {
    fc.assert(
      fc.property(seq, (s) => {
        expect(seqInc(s)).toBe(seqAdd(s, 1));
        expect(seqDec(s)).toBe(seqAdd(s, -1));
      }),
    );
  });

  it('message numbers wrap to 1', () => {
    expect(msgNoInc(0x3ffffff)).toBe(1);
    expect(msgNoInc(5)).toBe(6);
  });

  it('unwraps 32-bit timestamps across the wrap', () => {
    expect(unwrapTimestamp(10, TIMESTAMP_MODULO - 20)).toBe(TIMESTAMP_MODULO + 10);
    expect(unwrapTimestamp(TIMESTAMP_MODULO - 20, TIMESTAMP_MODULO + 10)).toBe(TIMESTAMP_MODULO - 20);
    expect(unwrapTimestamp(500, 400)).toBe(500);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: -(2 ** 30), max: 2 ** 30 }), (ref, d) => {
        const real = ref + d;
        fc.pre(real >= 0);
        expect(unwrapTimestamp(real % TIMESTAMP_MODULO, ref)).toBe(real);
      }),
    );
  });
});
