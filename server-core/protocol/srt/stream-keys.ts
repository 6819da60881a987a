import { pbkdf2Sync } from 'node:crypto';
import type { KeyMaterial } from './key-material.js';
import { KM_SE_SRT, KmCipher } from './key-material.js';
import { aesKeyUnwrap, aesKeyWrap } from './key-wrap.js';
import { SrtError } from './srt-error.js';

/**
 * Stream encryption keys (draft-sharabayko-srt-01 section 6.1): the key-encrypting key is
 * PBKDF2-HMAC-SHA1(passphrase, last 8 bytes of the KM salt, 2048 iterations, key length); the stream keys
 * (SEK, even and/or odd) travel wrapped with it (RFC 3394).
 */
export const PBKDF2_ITERATIONS = 2048;
export const PBKDF2_SALT_BYTES = 8;
/** libsrt's passphrase bounds (SRTO_PASSPHRASE). */
export const MIN_PASSPHRASE_LENGTH = 10;
export const MAX_PASSPHRASE_LENGTH = 79;

export interface StreamKeys {
  salt: Buffer;
  keyLength: number;
  even?: Buffer;
  odd?: Buffer;
}

export function deriveKek(passphrase: string, salt: Buffer, keyLength: number): Buffer {
  return pbkdf2Sync(passphrase, salt.subarray(salt.length - PBKDF2_SALT_BYTES), PBKDF2_ITERATIONS, keyLength, 'sha1');
}

/** Throws SRT_CRYPTO when the passphrase is wrong (the unwrap integrity check fails) or the cipher is not CTR. */
export function unwrapStreamKeys(km: KeyMaterial, passphrase: string): StreamKeys {
  if (km.cipher !== KmCipher.AES_CTR) throw new SrtError('SRT_CRYPTO', `KM cipher ${km.cipher}, only AES-CTR`);
  const keys = aesKeyUnwrap(deriveKek(passphrase, km.salt, km.keyLength), km.wrappedKeys);
  const out: StreamKeys = { salt: km.salt, keyLength: km.keyLength };
  if (km.keyFlags === 3) {
    out.even = keys.subarray(0, km.keyLength);
    out.odd = keys.subarray(km.keyLength);
  } else if (km.keyFlags === 1) out.even = keys;
  else out.odd = keys;
  return out;
}

export function wrapStreamKeys(keys: StreamKeys, passphrase: string): KeyMaterial {
  const parts = [keys.even, keys.odd].filter((k): k is Buffer => k !== undefined);
  if (parts.length === 0) throw new SrtError('SRT_CRYPTO', 'no stream key to wrap');
  const keyFlags = ((keys.even ? 1 : 0) | (keys.odd ? 2 : 0)) as 1 | 2 | 3;
  return {
    keyFlags,
    keki: 0,
    cipher: KmCipher.AES_CTR,
    auth: 0,
    se: KM_SE_SRT,
    salt: keys.salt,
    keyLength: keys.keyLength,
    wrappedKeys: aesKeyWrap(deriveKek(passphrase, keys.salt, keys.keyLength), Buffer.concat(parts)),
  };
}
