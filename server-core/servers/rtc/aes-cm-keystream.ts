import { type Cipher, createCipheriv } from 'node:crypto';

/** Largest keystream made in one call: many RTP packets' worth. */
const MAX_BLOCKS = 16384;

/** One piece of data to XOR with the keystream of its own IV. */
export interface AesCmSegment {
  /** 16 bytes, the last two zero (the block counter goes there). */
  iv: Buffer;
  data: Buffer;
  start: number;
  end: number;
}

/**
 * AES-128 in counter mode (RFC 3711 4.1.1) with one long-lived AES-ECB cipher per key: the counter blocks
 * (IV with a 16-bit block counter in the last two bytes) of one or many segments are written into a reused
 * buffer, encrypted in one call, and XORed into the data 32 bits at a time. Node's createCipheriv per packet,
 * and even a cipher call per packet, cost more than the AES itself: a send worker makes the keystream of all
 * one viewer's packets in a batch at once.
 */
export class AesCmKeystream {
  private readonly ecb: Cipher;

  constructor(key: Buffer) {
    this.ecb = createCipheriv('aes-128-ecb', key, null);
    this.ecb.setAutoPadding(false);
  }

  /** XORs the keystream for iv into data[start, end) in place. */
  xorInto(iv: Buffer, data: Buffer, start: number, end: number): void {
    const segment = scratch.one[0];
    segment.iv = iv;
    segment.data = data;
    segment.start = start;
    segment.end = end;
    this.xorMany(scratch.one, 1);
    segment.data = EMPTY;
  }

  /**
   * XORs each of the first count segments with its own keystream, made in one cipher call per MAX_BLOCKS
   * (a viewer joining at a keyframe gets a whole GOP in one batch).
   */
  xorMany(segments: readonly AesCmSegment[], count = segments.length): void {
    let first = 0;
    while (first < count) {
      let total = 0;
      let last = first;
      for (; last < count; last++) {
        const n = blocksOf(segments[last]);
        if (n > MAX_BLOCKS) throw new RangeError(`AES-CM input of ${n} blocks`);
        if (total + n > MAX_BLOCKS) break;
        total += n;
      }
      this.xorGroup(segments, first, last, total);
      first = last;
    }
  }

  private xorGroup(segments: readonly AesCmSegment[], first: number, last: number, total: number): void {
    if (total === 0) return;
    ensure(total);
    const words = scratch.blockWords;
    const blocks = scratch.blocks;
    const ivBytes = scratch.ivBytes;
    const ivWords = scratch.ivWords;
    let block = 0;
    for (let s = first; s < last; s++) {
      const { iv, start, end } = segments[s];
      const n = (Math.max(0, end - start) + 15) >> 4;
      for (let i = 0; i < 14; i++) ivBytes[i] = iv[i];
      const w0 = ivWords[0];
      const w1 = ivWords[1];
      const w2 = ivWords[2];
      const b12 = iv[12];
      const b13 = iv[13];
      for (let b = 0; b < n; b++, block++) {
        const w = block << 2;
        words[w] = w0;
        words[w + 1] = w1;
        words[w + 2] = w2;
        const o = block << 4;
        blocks[o + 12] = b12;
        blocks[o + 13] = b13;
        blocks[o + 14] = b >> 8;
        blocks[o + 15] = b & 0xff;
      }
    }
    const keystream = this.ecb.update(blocks.subarray(0, total << 4));
    let offset = 0;
    for (let s = first; s < last; s++) {
      const { data, start, end } = segments[s];
      const length = Math.max(0, end - start);
      xorAt(data, start, length, keystream, offset);
      offset += ((length + 15) >> 4) << 4;
    }
  }
}

/**
 * The counter blocks, shared by every keystream of this thread (each call fills and uses them synchronously):
 * a viewer's context then costs its cipher object only, not a buffer the size of the largest GOP it was sent.
 */
const scratch = {
  blocks: Buffer.alloc(0),
  blockWords: new Uint32Array(0),
  ivBytes: new Uint8Array(16),
  ivWords: new Uint32Array(0),
  one: [{ iv: Buffer.alloc(0), data: Buffer.alloc(0), start: 0, end: 0 }] as AesCmSegment[],
};
scratch.ivWords = new Uint32Array(scratch.ivBytes.buffer);
const EMPTY = Buffer.alloc(0);

function ensure(n: number): void {
  if (scratch.blocks.length >= n << 4) return;
  const count = Math.min(MAX_BLOCKS, Math.max(n, 512));
  // allocUnsafeSlow: its own ArrayBuffer at offset 0, so the word view is aligned.
  const blocks = Buffer.allocUnsafeSlow(count << 4).fill(0);
  scratch.blocks = blocks;
  scratch.blockWords = new Uint32Array(blocks.buffer, blocks.byteOffset, count << 2);
}

function blocksOf(segment: AesCmSegment): number {
  return (Math.max(0, segment.end - segment.start) + 15) >> 4;
}

/** data[start, start + length) ^= keystream[from, from + length), by words where both are aligned. */
function xorAt(data: Buffer, start: number, length: number, keystream: Buffer, from: number): void {
  const at = data.byteOffset + start;
  const kat = keystream.byteOffset + from;
  let i = 0;
  if ((at & 3) === 0 && (kat & 3) === 0) {
    const count = length >> 2;
    const d = new Uint32Array(data.buffer, at, count);
    const k = new Uint32Array(keystream.buffer, kat, count);
    for (let j = 0; j < count; j++) d[j] ^= k[j];
    i = count << 2;
  }
  for (; i < length; i++) data[start + i] ^= keystream[from + i];
}
