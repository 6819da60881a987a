import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimestampUnwrapper, timestampDiff } from './timestamp-unwrapper.js';

describe('32-bit RTP timestamp unwrapping', () => {
  it('wraps forward and steps back over the wrap', () => {
    const u = new TimestampUnwrapper();
    expect(u.unwrap(0xffff_ff00)).toBe(0xffff_ff00);
    expect(u.unwrap(0x100)).toBe(0x1_0000_0100);
    expect(u.unwrap(0xffff_fff0)).toBe(0xffff_fff0);
    expect(timestampDiff(0, 0xffffffff)).toBe(1);
    expect(timestampDiff(0x8000_0000, 0)).toBe(-0x8000_0000);
  });

  it('follows any walk with steps below 2^31', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.array(fc.integer({ min: -90_000, max: 2 ** 31 - 1 }), { maxLength: 200 }),
        (start, steps) => {
          const u = new TimestampUnwrapper();
          let truth = start;
          expect(u.unwrap(start)).toBe(start);
          for (const step of steps) {
            truth += step;
            expect(u.unwrap(((truth % 2 ** 32) + 2 ** 32) % 2 ** 32)).toBe(truth);
          }
        },
      ),
    );
  });
});
