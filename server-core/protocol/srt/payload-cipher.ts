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

interface SaltedKey {
  key: Buffer;
  salt: Buffer;
}

/**
 * The stream keys of one connection. A sender's key refresh (section 6.1.6) announces a new key of the other
 * parity ahead of the switch, then retires the old one; packets name their key with KK, so both stay usable
 * until replaced. Each key keeps the salt it came with.
 */
export class PayloadCipher {
  private even?: SaltedKey;
  private odd?: SaltedKey;

  constructor(keys: StreamKeys) {
    this.update(keys);
  }

  /** Installs the keys a KM message brought; a parity it does not carry keeps its key. */
  update(keys: StreamKeys): void {
    if (keys.even) this.even = { key: keys.even, salt: keys.salt };
    if (keys.odd) this.odd = { key: keys.odd, salt: keys.salt };
  }

  /** Encrypts or decrypts a payload; KK = 0 passes it through. Throws SRT_CRYPTO when that key is not known. */
  apply(payload: Buffer, seq: number, keyFlag: KeyFlag): Buffer {
    if (keyFlag === KeyFlag.NONE) return payload;
    const k = keyFlag === KeyFlag.EVEN ? this.even : this.odd;
    if (!k) throw new SrtError('SRT_CRYPTO', `no ${keyFlag === KeyFlag.EVEN ? 'even' : 'odd'} stream key`);
    const c = createCipheriv(`aes-${k.key.length * 8}-ctr`, k.key, ctrIv(k.salt, seq));
    return Buffer.concat([c.update(payload), c.final()]);
  }

  /** The key flag a sender uses: even when there is an even key (a sender of ours never refreshes). */
  get sendKeyFlag(): KeyFlag {
    return this.even ? KeyFlag.EVEN : KeyFlag.ODD;
  }
}
