import { createCipheriv, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AesCmKeystream } from './aes-cm-keystream.js';

describe('AesCmKeystream', () => {
  it('equals AES-128-CTR at any offset and length', () => {
    const key = randomBytes(16);
    const ks = new AesCmKeystream(key);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 7 }), fc.uint8Array({ maxLength: 3000 }), (offset, bytes) => {
        const iv = randomBytes(16);
        iv[14] = 0;
        iv[15] = 0;
        const expected = createCipheriv('aes-128-ctr', key, iv).update(bytes);
        const backing = Buffer.alloc(offset + bytes.length);
        Buffer.from(bytes).copy(backing, offset);
        ks.xorInto(iv, backing, offset, offset + bytes.length);
        expect(backing.subarray(offset).equals(expected)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('AesCmKeystream.xorMany', () => {
  it('equals AES-128-CTR of each segment with its own IV', () => {
    const key = randomBytes(16);
    const ks = new AesCmKeystream(key);
    fc.assert(
      fc.property(
        fc.array(fc.record({ offset: fc.integer({ min: 0, max: 5 }), bytes: fc.uint8Array({ maxLength: 1500 }) }), {
          maxLength: 12,
        }),
        (pieces) => {
          const segments = pieces.map(({ offset, bytes }) => {
            const iv = randomBytes(16);
            iv[14] = 0;
            iv[15] = 0;
            const data = Buffer.alloc(offset + bytes.length + 3);
            Buffer.from(bytes).copy(data, offset);
            return { iv, data, start: offset, end: offset + bytes.length, bytes };
          });
          ks.xorMany(segments);
          for (const s of segments) {
            const expected = createCipheriv('aes-128-ctr', key, s.iv).update(s.bytes);
            expect(s.data.subarray(s.start, s.end).equals(expected)).toBe(true);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('AesCmKeystream.xorMany over more than one cipher call', () => {
  it('keeps each segment right when the segments need more blocks than one call makes', () => {
    const key = randomBytes(16);
    const ks = new AesCmKeystream(key);
    // A GOP's worth for one viewer: 400 packets of 1200 bytes is 30,000 blocks.
    const segments = Array.from({ length: 400 }, () => {
      const iv = randomBytes(16);
      iv[14] = 0;
      iv[15] = 0;
      const bytes = randomBytes(1200);
      return { iv, data: Buffer.from(bytes), start: 0, end: 1200, bytes };
    });
    ks.xorMany(segments);
    for (const s of segments)
      expect(s.data.equals(createCipheriv('aes-128-ctr', key, s.iv).update(s.bytes))).toBe(true);
  });
});
