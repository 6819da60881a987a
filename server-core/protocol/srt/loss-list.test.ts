import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seqRange } from './arbitraries.fixture.js';
import { decodeLossList, encodeLossList, lossCount, rangesOf } from './loss-list.js';
import { SEQ_MAX } from './seq.js';
import { SrtError } from './srt-error.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('NAK loss list coding (section 3.2.5, Appendix A)', () => {
  it('codes singles in one word and ranges in two', () => {
    const bytes = encodeLossList([
      { from: 3, to: 3 },
      { from: 10, to: 12 },
    ]);
    expect(bytes).toEqual(hex('00000003 8000000a 0000000c'));
  });

  it('codes a range across the wrap', () => {
    const ranges = [{ from: SEQ_MAX - 1, to: 1 }];
    expect(encodeLossList(ranges)).toEqual(hex('fffffffe 00000001'));
    expect(decodeLossList(encodeLossList(ranges))).toEqual(ranges);
    expect(lossCount(ranges)).toBe(4);
  });

  it('round-trips', () => {
    fc.assert(
      fc.property(fc.array(seqRange), (r) => {
        expect(decodeLossList(encodeLossList(r))).toEqual(r);
      }),
    );
  });

  it('refuses a dangling range start, a double start and reversed ranges', () => {
    for (const bad of ['80000005', '80000005 80000006', '8000000a 00000005', '000000']) {
      expect(() => decodeLossList(hex(bad))).toThrow(SrtError);
    }
  });

  it('collapses consecutive numbers into ranges, across the wrap', () => {
    expect(rangesOf([1, 2, 3, 7, SEQ_MAX, 0, 1 + 8])).toEqual([
      { from: 1, to: 3 },
      { from: 7, to: 7 },
      { from: SEQ_MAX, to: 0 },
      { from: 9, to: 9 },
    ]);
  });
});
