import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BitstreamError } from '../bits/bitstream-error.js';
import { joinLengthPrefixed, splitLengthPrefixed } from './length-prefixed.js';

describe('length-prefixed NAL units', () => {
  it('splits 4-byte and 2-byte lengths as subarrays', () => {
    const buf = Buffer.from([0, 0, 0, 2, 0x09, 0xf0, 0, 0, 0, 1, 0x65]);
    const nals = splitLengthPrefixed(buf);
    expect(nals.map((n) => n.toString('hex'))).toEqual(['09f0', '65']);
    expect(nals[0].buffer).toBe(buf.buffer);
    expect(splitLengthPrefixed(Buffer.from([0, 1, 0x65, 0, 0]), 2)).toEqual([Buffer.from([0x65])]);
  });

  it('throws BitstreamError on a bad length', () => {
    expect(() => splitLengthPrefixed(Buffer.from([0, 0, 0, 9, 1]))).toThrowError(
      expect.objectContaining({ code: 'BITSTREAM_TRUNCATED' }),
    );
    expect(() => splitLengthPrefixed(Buffer.from([0, 0]))).toThrowError(BitstreamError);
    expect(() => splitLengthPrefixed(Buffer.from([0]), 5)).toThrowError(BitstreamError);
    expect(() => joinLengthPrefixed([Buffer.alloc(256)], 1)).toThrowError(
      expect.objectContaining({ code: 'BITSTREAM_TOO_LARGE' }),
    );
  });

  it('round-trips split(join(nals)) for every length size', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 2, 3, 4),
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { maxLength: 8 }),
        (size, arrays) => {
          const nals = arrays.map((a) => Buffer.from(a)).filter((n) => n.length < 2 ** (8 * size));
          expect(splitLengthPrefixed(joinLengthPrefixed(nals, size), size)).toEqual(nals);
        },
      ),
    );
  });

  it('random bytes throw only BitstreamError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.constantFrom(1, 2, 4), (a, size) => {
        try {
          splitLengthPrefixed(Buffer.from(a), size);
        } catch (err) {
          expect(err).toBeInstanceOf(BitstreamError);
        }
      }),
    );
  });
});
