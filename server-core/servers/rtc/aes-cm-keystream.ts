import { type Cipher, createCipheriv } from 'node:crypto';

/** Largest input XORed at once: an RTP packet fits many times over. */
const MAX_BLOCKS = 4096;

/**
 * AES-128 in counter mode (RFC 3711 4.1.1) with one long-lived AES-ECB cipher per key: the counter blocks
 * (IV with a 16-bit block counter in the last two bytes) are written into a reused buffer, encrypted in one
 * call, and XORed into the data 32 bits at a time. Node's createCipheriv per packet costs more than the AES
 * itself; this keeps one cipher object for the session's life.
 */
export class AesCmKeystream {
  private readonly ecb: Cipher;
  private blocks = Buffer.alloc(0);
  private blockWords = new Uint32Array(0);
  private readonly ivBytes = new Uint8Array(16);
  private readonly ivWords = new Uint32Array(this.ivBytes.buffer);

  constructor(key: Buffer) {
    this.ecb = createCipheriv('aes-128-ecb', key, null);
    this.ecb.setAutoPadding(false);
  }

  /** XORs the keystream for iv (its last two bytes zero) into data[start, end) in place. */
  xorInto(iv: Buffer, data: Buffer, start: number, end: number): void {
    const length = end - start;
    if (length <= 0) return;
    const n = (length + 15) >> 4;
    if (n > MAX_BLOCKS) throw new RangeError(`AES-CM input of ${length} bytes`);
    this.ensure(n);
    const ivBytes = this.ivBytes;
    for (let i = 0; i < 14; i++) ivBytes[i] = iv[i];
    const w0 = this.ivWords[0];
    const w1 = this.ivWords[1];
    const w2 = this.ivWords[2];
    const b12 = iv[12];
    const b13 = iv[13];
    const words = this.blockWords;
    const blocks = this.blocks;
    for (let b = 0; b < n; b++) {
      const w = b << 2;
      words[w] = w0;
      words[w + 1] = w1;
      words[w + 2] = w2;
      const o = b << 4;
      blocks[o + 12] = b12;
      blocks[o + 13] = b13;
      // bytes 14..15: the block counter, written once in ensure().
    }
    const keystream = this.ecb.update(blocks.subarray(0, n << 4));
    const at = data.byteOffset + start;
    let i = 0;
    if ((at & 3) === 0 && (keystream.byteOffset & 3) === 0) {
      const count = length >> 2;
      const d = new Uint32Array(data.buffer, at, count);
      const k = new Uint32Array(keystream.buffer, keystream.byteOffset, count);
      for (let j = 0; j < count; j++) d[j] ^= k[j];
      i = count << 2;
    }
    for (; i < length; i++) data[start + i] ^= keystream[i];
  }

  private ensure(n: number): void {
    if (this.blocks.length >= n << 4) return;
    const count = Math.min(MAX_BLOCKS, Math.max(n, 128));
    // allocUnsafeSlow: its own ArrayBuffer at offset 0, so the word view is aligned.
    const blocks = Buffer.allocUnsafeSlow(count << 4).fill(0);
    for (let b = 0; b < count; b++) {
      blocks[(b << 4) + 14] = b >> 8;
      blocks[(b << 4) + 15] = b & 0xff;
    }
    this.blocks = blocks;
    this.blockWords = new Uint32Array(blocks.buffer, blocks.byteOffset, count << 2);
  }
}
