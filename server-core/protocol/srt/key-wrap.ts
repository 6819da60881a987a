import { createCipheriv, createDecipheriv, timingSafeEqual } from 'node:crypto';
import { SrtError } from './srt-error.js';

/**
 * AES Key Wrap (RFC 3394 section 2.2), which SRT uses to carry stream keys in key material
 * (draft-sharabayko-srt-01 section 6.1.4). Written over raw AES-ECB block operations because BoringSSL (in
 * Electron) may not offer the id-aes*-wrap ciphers. Wrapped = A (8 bytes) | R1..Rn (8 bytes each).
 */
const DEFAULT_IV = Buffer.from('a6a6a6a6a6a6a6a6', 'hex');
const ROUNDS = 6;

function ecb(key: Buffer): string {
  if (key.length !== 16 && key.length !== 24 && key.length !== 32) {
    throw new SrtError('SRT_CRYPTO', `AES key of ${key.length} bytes`);
  }
  return `aes-${key.length * 8}-ecb`;
}

export function aesKeyWrap(kek: Buffer, plain: Buffer): Buffer {
  if (plain.length < 16 || plain.length % 8 !== 0) throw new SrtError('SRT_CRYPTO', `key of ${plain.length} bytes`);
  const cipher = createCipheriv(ecb(kek), kek, null).setAutoPadding(false);
  const n = plain.length / 8;
  const a = Buffer.from(DEFAULT_IV);
  const r = Buffer.from(plain);
  const block = Buffer.alloc(16);
  for (let j = 0; j < ROUNDS; j++) {
    for (let i = 0; i < n; i++) {
      a.copy(block, 0);
      r.copy(block, 8, i * 8, i * 8 + 8);
      const b = cipher.update(block);
      b.copy(a, 0, 0, 8);
      xorCounter(a, n * j + i + 1);
      b.copy(r, i * 8, 8, 16);
    }
  }
  return Buffer.concat([a, r]);
}

/** Throws SRT_CRYPTO when the integrity check fails: the usual sign of a wrong passphrase. */
export function aesKeyUnwrap(kek: Buffer, wrapped: Buffer): Buffer {
  if (wrapped.length < 24 || wrapped.length % 8 !== 0) {
    throw new SrtError('SRT_CRYPTO', `wrapped key of ${wrapped.length} bytes`);
  }
  const decipher = createDecipheriv(ecb(kek), kek, null).setAutoPadding(false);
  const n = wrapped.length / 8 - 1;
  const a = Buffer.from(wrapped.subarray(0, 8));
  const r = Buffer.from(wrapped.subarray(8));
  const block = Buffer.alloc(16);
  for (let j = ROUNDS - 1; j >= 0; j--) {
    for (let i = n - 1; i >= 0; i--) {
      xorCounter(a, n * j + i + 1);
      a.copy(block, 0);
      r.copy(block, 8, i * 8, i * 8 + 8);
      const b = decipher.update(block);
      b.copy(a, 0, 0, 8);
      b.copy(r, i * 8, 8, 16);
    }
  }
  if (!timingSafeEqual(a, DEFAULT_IV)) throw new SrtError('SRT_CRYPTO', 'key unwrap integrity check failed');
  return r;
}

/** A ^= t, t as a 64-bit big-endian number (t < 2^32 here). */
function xorCounter(a: Buffer, t: number): void {
  a.writeUInt32BE((a.readUInt32BE(4) ^ t) >>> 0, 4);
}
