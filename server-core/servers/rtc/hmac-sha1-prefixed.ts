import { createHmac, hash } from 'node:crypto';
import { SHA1_IV, sha1Compress } from './sha1-block.js';

/** SHA-1's block: the HMAC key pads are one block each (RFC 2104). */
export const HMAC_PREFIX = 64;

/**
 * HMAC-SHA1 (RFC 2104) for a message the caller lays out HMAC_PREFIX bytes into its buffer: the key's inner
 * pad is written into that room and the whole is hashed in one native call (crypto.hash), then the outer pad
 * and the inner digest in another. Two one-shot hashes cost less than a createHmac object per packet, which
 * is what SRTP's per-packet tag is. The outer hash is one SHA-1 block after the outer pad's block, whose state
 * is computed once: that block runs in JS (sha1-block.ts). Falls back to createHmac where crypto.hash is
 * missing (Node < 20.12).
 */
export class HmacSha1Prefixed {
  private readonly innerPad = Buffer.alloc(HMAC_PREFIX, 0x36);
  /** SHA-1 state after the outer pad's block. */
  private readonly outerState = new Int32Array(5);
  private readonly state = new Int32Array(5);
  /** The outer hash's last block: the inner digest, 0x80, zeros, the bit length of 64 + 20 bytes. */
  private readonly lastBlock = Buffer.alloc(HMAC_PREFIX);

  constructor(private readonly key: Buffer) {
    if (key.length > HMAC_PREFIX) throw new RangeError('HMAC-SHA1 key over 64 bytes');
    const outerPad = Buffer.alloc(HMAC_PREFIX, 0x5c);
    for (let i = 0; i < key.length; i++) {
      this.innerPad[i] ^= key[i];
      outerPad[i] ^= key[i];
    }
    this.outerState.set(SHA1_IV);
    sha1Compress(this.outerState, outerPad, 0);
    this.lastBlock[20] = 0x80;
    this.lastBlock.writeUInt32BE((HMAC_PREFIX + 20) * 8, 60);
  }

  /** The 20-byte tag of buffer[HMAC_PREFIX, end); buffer[0, HMAC_PREFIX) is overwritten. */
  digest(buffer: Buffer, end: number): Buffer {
    const tag = Buffer.allocUnsafe(20);
    this.tagInto(buffer, end, tag, 0, 20);
    return tag;
  }

  /** Writes the first `length` bytes of the tag of buffer[HMAC_PREFIX, end) at target[at]. */
  tagInto(buffer: Buffer, end: number, target: Buffer, at: number, length: number): void {
    if (!oneShot) {
      createHmac('sha1', this.key).update(buffer.subarray(HMAC_PREFIX, end)).digest().copy(target, at, 0, length);
      return;
    }
    this.innerPad.copy(buffer, 0);
    // A latin1 ('binary') string is the cheapest way out of crypto.hash (a Buffer result costs twice as much).
    const inner = oneShot('sha1', buffer.subarray(0, end), 'binary');
    const last = this.lastBlock;
    for (let i = 0; i < 20; i++) last[i] = inner.charCodeAt(i);
    const state = this.state;
    state.set(this.outerState);
    sha1Compress(state, last, 0);
    for (let i = 0; i < length; i++) target[at + i] = state[i >> 2] >>> (24 - 8 * (i & 3));
  }
}

const oneShot = typeof hash === 'function' ? (hash as (a: string, d: Buffer, e: 'binary') => string) : undefined;
