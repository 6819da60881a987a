import { createCipheriv } from 'node:crypto';
import { KeyFlag } from './data-packet.js';
import { SrtError } from './srt-error.js';
import type { StreamKeys } from './stream-keys.js';

/**
 * Payload encryption (draft-sharabayko-srt-01 section 6.2): AES-CTR over the data packet payload with the
 * stream key the packet's KK flag names. The 128-bit counter block, as libsrt builds it:
 *   bytes 0..13: salt[0..13] XOR (packet sequence number, big-endian, at bytes 10..13)
 *   bytes 14..15: block counter, from 0
 * CTR is its own inverse: the same call encrypts and decrypts.
 */
export function ctrIv(salt: Buffer, seq: number): Buffer {
  const iv = Buffer.alloc(16);
  salt.copy(iv, 0, 0, Math.min(14, salt.length));
  iv.writeUInt32BE((iv.readUInt32BE(10) ^ seq) >>> 0, 10);
  return iv;
}

export class PayloadCipher {
  constructor(private keys: StreamKeys) {}

  /** Installs new keys (a key refresh brings a new even or odd key). */
  update(keys: StreamKeys): void {
    this.keys = { ...this.keys, ...keys, even: keys.even ?? this.keys.even, odd: keys.odd ?? this.keys.odd };
  }

  /** Encrypts or decrypts a payload; KK = 0 passes it through. Throws SRT_CRYPTO when that key is not known. */
  apply(payload: Buffer, seq: number, keyFlag: KeyFlag): Buffer {
    if (keyFlag === KeyFlag.NONE) return payload;
    const key = keyFlag === KeyFlag.EVEN ? this.keys.even : this.keys.odd;
    if (!key) throw new SrtError('SRT_CRYPTO', `no ${keyFlag === KeyFlag.EVEN ? 'even' : 'odd'} stream key`);
    const c = createCipheriv(`aes-${key.length * 8}-ctr`, key, ctrIv(this.keys.salt, seq));
    return Buffer.concat([c.update(payload), c.final()]);
  }

  /** The key flag a sender uses: even when there is an even key. */
  get sendKeyFlag(): KeyFlag {
    return this.keys.even ? KeyFlag.EVEN : KeyFlag.ODD;
  }
}
