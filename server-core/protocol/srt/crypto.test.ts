import { createCipheriv } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CAPTURED_HANDSHAKES, ENCRYPTED_PASSPHRASE, ENCRYPTED_SEK } from './captured-handshakes.fixture.js';
import { ExtensionType, findExtension } from './handshake.js';
import { decodeKeyMaterial, encodeKeyMaterial, KmCipher } from './key-material.js';
import { parsePacket } from './packet.js';
import { ctrIv, PayloadCipher } from './payload-cipher.js';
import { SrtError } from './srt-error.js';
import { deriveKek, unwrapStreamKeys, wrapStreamKeys } from './stream-keys.js';

const hex = (s: string) => Buffer.from(s, 'hex');

function capturedKm() {
  const p = parsePacket(hex(CAPTURED_HANDSHAKES.ffmpegEncrypted.conclusion));
  if (p.type !== 'handshake') throw new Error('not a handshake');
  return findExtension(p.handshake, ExtensionType.KMREQ)!.body;
}

describe('key material (section 3.2.2) from ffmpeg', () => {
  it('decodes and re-encodes the captured KMREQ', () => {
    const body = capturedKm();
    const km = decodeKeyMaterial(body);
    expect(km).toMatchObject({ keyFlags: 1, keki: 0, cipher: KmCipher.AES_CTR, se: 2, keyLength: 16 });
    expect(km.salt.toString('hex')).toBe('2af037ad27d182e724ea0f4165fbb74e');
    expect(encodeKeyMaterial(km)).toEqual(body);
  });

  it('unwraps the stream key with the passphrase ffmpeg used', () => {
    const keys = unwrapStreamKeys(decodeKeyMaterial(capturedKm()), ENCRYPTED_PASSPHRASE);
    expect(keys.even?.toString('hex')).toBe(ENCRYPTED_SEK);
    expect(keys.odd).toBeUndefined();
  });

  it('detects a wrong passphrase', () => {
    expect(() => unwrapStreamKeys(decodeKeyMaterial(capturedKm()), 'not-the-secret')).toThrow(SrtError);
  });

  it('refuses malformed key material with SrtError only', () => {
    const body = capturedKm();
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 255 }), (cut, at, v) => {
        const b = Buffer.from(body.subarray(0, cut % (body.length + 1)));
        if (b.length > 0) b[at % b.length] = v;
        try {
          unwrapStreamKeys(decodeKeyMaterial(b), ENCRYPTED_PASSPHRASE);
        } catch (error) {
          expect(error).toBeInstanceOf(SrtError);
        }
      }),
    );
  });
});

describe('stream keys (section 6.1)', () => {
  it('derives the KEK with PBKDF2-HMAC-SHA1 over the last 8 salt bytes', () => {
    const salt = hex('2af037ad27d182e724ea0f4165fbb74e');
    expect(deriveKek('tally-secret-123', salt, 16)).toEqual(deriveKek('tally-secret-123', salt.subarray(8), 16));
  });

  it('wraps and unwraps even and odd keys of every length', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(16, 24, 32),
        fc.uint8Array({ minLength: 64, maxLength: 64 }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        (n, k, s) => {
          const key = Buffer.from(k);
          const keys = { salt: Buffer.from(s), keyLength: n, even: key.subarray(0, n), odd: key.subarray(32, 32 + n) };
          const km = decodeKeyMaterial(encodeKeyMaterial(wrapStreamKeys(keys, 'passphrase-xyz')));
          expect(km.keyFlags).toBe(3);
          expect(unwrapStreamKeys(km, 'passphrase-xyz')).toEqual(keys);
        },
      ),
      { numRuns: 10 },
    );
  });
});

describe('payload cipher (section 6.2)', () => {
  const salt = hex('2af037ad27d182e724ea0f4165fbb74e');

  it('builds the counter block from salt XOR sequence number', () => {
    expect(ctrIv(salt, 0x01020304).toString('hex')).toBe('2af037ad27d182e724ea0e4366ffb74e'.slice(0, 28) + '0000');
  });

  it('is AES-CTR with that counter, and its own inverse', () => {
    const key = hex(ENCRYPTED_SEK);
    const cipher = new PayloadCipher({ salt, keyLength: 16, even: key });
    const plain = Buffer.alloc(1316, 0x47);
    const enc = cipher.apply(plain, 77, 1);
    const c = createCipheriv('aes-128-ctr', key, ctrIv(salt, 77));
    expect(enc).toEqual(Buffer.concat([c.update(plain), c.final()]));
    expect(cipher.apply(enc, 77, 1)).toEqual(plain);
    expect(cipher.apply(plain, 77, 0)).toBe(plain);
    expect(() => cipher.apply(plain, 77, 2)).toThrow(SrtError);
  });

  it('round-trips with 192- and 256-bit keys and switches to an odd key', () => {
    for (const n of [24, 32]) {
      const cipher = new PayloadCipher({ salt, keyLength: n, even: Buffer.alloc(n, 1) });
      cipher.update({ salt, keyLength: n, odd: Buffer.alloc(n, 2) });
      const data = Buffer.from('hello srt');
      expect(cipher.apply(cipher.apply(data, 5, 2), 5, 2)).toEqual(data);
      expect(cipher.apply(data, 5, 1)).not.toEqual(cipher.apply(data, 5, 2));
    }
  });
});
