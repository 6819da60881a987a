import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LossSet } from './loss-set.js';
import { SEQ_MAX, seqAdd } from './seq.js';

describe('LossSet', () => {
  it('behaves like a set of numbers, across the wrap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: SEQ_MAX }),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 4 })), { maxLength: 10 }),
        fc.array(fc.integer({ min: 0, max: 80 }), { maxLength: 20 }),
        fc.integer({ min: 0, max: 80 }),
        (origin, gaps, removals, cut) => {
          const set = new LossSet();
          const model = new Set<number>();
          let at = 0;
          for (const [skip, len] of gaps) {
            at += skip;
            set.append(seqAdd(origin, at), seqAdd(origin, at + len));
            for (let i = 0; i <= len; i++) model.add(at + i);
            at += len + 1;
          }
          for (const r of removals) {
            expect(set.remove(seqAdd(origin, r))).toBe(model.delete(r));
          }
          set.removeBefore(seqAdd(origin, cut));
          for (const m of [...model]) if (m < cut) model.delete(m);
          expect(set.size).toBe(model.size);
          for (let i = 0; i < 90; i++) expect(set.has(seqAdd(origin, i))).toBe(model.has(i));
          expect(set.first).toBe(model.size ? seqAdd(origin, Math.min(...model)) : undefined);
        },
      ),
    );
  });

  it('removes a range from the middle', () => {
    const set = new LossSet();
    set.append(10, 20);
    set.removeRange(12, 14);
    expect(set.list()).toEqual([
      { from: 10, to: 11 },
      { from: 15, to: 20 },
    ]);
  });
});
