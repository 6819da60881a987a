import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimestampCorrector } from './timestamp-corrector.js';

describe('TimestampCorrector', () => {
  it('starts the stream at 0 and keeps normal steps', () => {
    const c = new TimestampCorrector('full');
    expect(c.correct(1, 5000, 5066).dts).toBe(0);
    expect(c.correct(2, 5010, 5010).dts).toBe(10);
    expect(c.correct(1, 5033, 5100)).toEqual({ dts: 33, pts: 100 });
  });

  it('smooths a forward jump to one nominal step', () => {
    const c = new TimestampCorrector('full');
    c.correct(1, 0, 0);
    c.correct(1, 33, 33);
    expect(c.correct(1, 90_000, 90_000).dts).toBe(43);
    expect(c.correct(1, 90_033, 90_033).dts).toBe(76);
  });

  it('never lets a track go backwards or below zero', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ track: fc.constantFrom(1, 2), dts: fc.integer({ min: -1e6, max: 1e7 }) }), {
          maxLength: 200,
        }),
        fc.constantFrom('full' as const, 'zero' as const, 'off' as const),
        (packets, mode) => {
          const c = new TimestampCorrector(mode);
          const last = new Map<number, number>();
          for (const p of packets) {
            const out = c.correct(p.track, p.dts, p.dts).dts;
            if (mode !== 'off') expect(out).toBeGreaterThanOrEqual(0);
            expect(out).toBeGreaterThanOrEqual(last.get(p.track) ?? Number.NEGATIVE_INFINITY);
            last.set(p.track, out);
          }
        },
      ),
    );
  });
});

describe('TimestampCorrector across a publisher blip', () => {
  for (const mode of ['full', 'zero', 'off'] as const) {
    it(`continues after the last output plus the gap (${mode})`, () => {
      const c = new TimestampCorrector(mode);
      c.correct(1, 1000, 1000);
      const last = c.correct(1, 5000, 5040).dts;
      c.resume(2000);
      // The new publisher starts its own clock at 0: players see time go on, never back.
      const first = c.correct(1, 0, 40);
      expect(first.dts).toBe(last + 2000);
      expect(first.pts).toBe(last + 2040);
      expect(c.correct(2, 20, 20).dts).toBe(last + 2020);
      expect(c.correct(1, 33, 33).dts).toBe(last + 2033);
    });
  }
});
