import { createCipheriv } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aesKeyUnwrap, aesKeyWrap } from './key-wrap.js';
import { SrtError } from './srt-error.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const KEK256 = hex('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F');

/** RFC 3394 section 4 test vectors. */
const VECTORS = [
  {
    name: '4.1 128-bit data, 128-bit KEK',
    kek: hex('000102030405060708090A0B0C0D0E0F'),
    key: hex('00112233445566778899AABBCCDDEEFF'),
    wrapped: hex('1FA68B0A8112B447 AEF34BD8FB5A7B82 9D3E862371D2CFE5'),
  },
  {
    name: '4.2 128-bit data, 192-bit KEK',
    kek: hex('000102030405060708090A0B0C0D0E0F1011121314151617'),
    key: hex('00112233445566778899AABBCCDDEEFF'),
    wrapped: hex('96778B25AE6CA435 F92B5B97C050AED2 468AB8A17AD84E5D'),
  },
  {
    name: '4.3 128-bit data, 256-bit KEK',
    kek: KEK256,
    key: hex('00112233445566778899AABBCCDDEEFF'),
    wrapped: hex('64E8C3F9CE0F5BA2 63E9777905818A2A 93C8191E7D6E8AE7'),
  },
  {
    name: '4.4 192-bit data, 192-bit KEK',
    kek: hex('000102030405060708090A0B0C0D0E0F1011121314151617'),
    key: hex('00112233445566778899AABBCCDDEEFF0001020304050607'),
    wrapped: hex('031D33264E15D332 68F24EC260743EDC E1C6C7DDEE725A93 6BA814915C6762D2'),
  },
  {
    name: '4.5 192-bit data, 256-bit KEK',
    kek: KEK256,
    key: hex('00112233445566778899AABBCCDDEEFF0001020304050607'),
    wrapped: hex('A8F9BC1612C68B3F F6E6F4FBE30E71E4 769C8B80A32CB895 8CD5D17D6B254DA1'),
  },
  {
    name: '4.6 256-bit data, 256-bit KEK',
    kek: KEK256,
    key: hex('00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F'),
    wrapped: hex('28C9F404C4B810F4 CBCCB35CFB87F826 3F5786E2D80ED326 CBC7F0E71A99F43B FB988B9B7A02DD21'),
  },
];

describe('AES key wrap over ECB (RFC 3394)', () => {
  for (const v of VECTORS) {
    it(`section ${v.name}`, () => {
      expect(aesKeyWrap(v.kek, v.key)).toEqual(v.wrapped);
      expect(aesKeyUnwrap(v.kek, v.wrapped)).toEqual(v.key);
    });
  }

  it('detects a wrong key by the integrity check', () => {
    const v = VECTORS[0];
    const wrong = Buffer.from(v.kek);
    wrong[0] ^= 1;
    expect(() => aesKeyUnwrap(wrong, v.wrapped)).toThrow(SrtError);
    expect(() => aesKeyUnwrap(v.kek, v.wrapped.subarray(0, 16))).toThrow(SrtError);
    expect(() => aesKeyUnwrap(Buffer.alloc(15), v.wrapped)).toThrow(SrtError);
  });

  it('agrees with the platform id-aes128-wrap where it exists, and round-trips', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.constantFrom(16, 24, 32).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
        (k, p) => {
          const kek = Buffer.from(k);
          const plain = Buffer.from(p);
          const wrapped = aesKeyWrap(kek, plain);
          const c = createCipheriv('id-aes128-wrap', kek, hex('a6a6a6a6a6a6a6a6'));
          expect(wrapped).toEqual(Buffer.concat([c.update(plain), c.final()]));
          expect(aesKeyUnwrap(kek, wrapped)).toEqual(plain);
        },
      ),
      { numRuns: 50 },
    );
  });
});
