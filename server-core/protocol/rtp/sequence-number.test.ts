import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SequenceUnwrapper, seqAdd, seqDiff, seqIsNewer } from './sequence-number.js';

describe('16-bit sequence arithmetic', () => {
  it('wraps', () => {
    expect(seqAdd(0xffff, 1)).toBe(0);
    expect(seqAdd(0, -1)).toBe(0xffff);
    expect(seqDiff(0, 0xffff)).toBe(1);
    expect(seqDiff(0xffff, 0)).toBe(-1);
    expect(seqDiff(0x8000, 0)).toBe(-0x8000);
    expect(seqIsNewer(2, 0xfff0)).toBe(true);
    expect(seqIsNewer(0xfff0, 2)).toBe(false);
    expect(seqIsNewer(5, 5)).toBe(false);
  });

  it('seqDiff inverts seqAdd for distances under half the space', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: -0x8000, max: 0x7fff }), (a, n) => {
        expect(seqDiff(seqAdd(a, n), a)).toBe(n);
      }),
    );
  });

  it('unwraps across many cycles, with reordering', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        fc.array(fc.integer({ min: -100, max: 1000 }), { minLength: 1, maxLength: 500 }),
        (start, steps) => {
          const u = new SequenceUnwrapper();
          let truth = start;
          expect(u.unwrap(start)).toBe(start);
          let highest = start;
          for (const step of steps) {
            truth += step;
            expect(u.unwrap(truth & 0xffff)).toBe(truth);
            highest = Math.max(highest, truth);
            expect(u.highestExtended).toBe(highest);
          }
        },
      ),
    );
  });
});
