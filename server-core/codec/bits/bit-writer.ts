import { BitstreamError } from './bitstream-error.js';

const INITIAL_CAPACITY = 64;

/** MSB-first bit writer, the inverse of BitReader: u(n), ue(v), se(v). */
export class BitWriter {
  private buf = Buffer.alloc(INITIAL_CAPACITY);
  private pos = 0;

  /** Bits written so far. */
  get bitLength(): number {
    return this.pos;
  }

  /** Writes value as n bits (0 <= n <= 32, 0 <= value < 2^n). */
  writeBits(n: number, value: number): void {
    if (!Number.isInteger(n) || n < 0 || n > 32)
      throw new BitstreamError('BITSTREAM_INVALID', `cannot write ${n} bits`);
    if (!Number.isInteger(value) || value < 0 || value >= 2 ** n) {
      throw new BitstreamError('BITSTREAM_INVALID', `${value} does not fit in ${n} bits`);
    }
    this.ensure(n);
    for (let i = n - 1; i >= 0; i--) {
      // Division keeps 32-bit values exact where >> would go signed.
      const bit = Math.floor(value / 2 ** i) & 1;
      if (bit) this.buf[this.pos >> 3] |= 0x80 >> (this.pos & 7);
      this.pos++;
    }
  }

  writeBit(bit: number): void {
    this.writeBits(1, bit ? 1 : 0);
  }

  /** ue(v) for 0 <= v <= 2^32 - 2. */
  writeUE(v: number): void {
    if (!Number.isInteger(v) || v < 0 || v > 2 ** 32 - 2) throw new BitstreamError('BITSTREAM_INVALID', `ue(v) ${v}`);
    const code = v + 1;
    const bits = Math.floor(Math.log2(code)) + 1;
    this.writeBits(bits - 1, 0);
    this.writeBits(bits, code);
  }

  /** se(v): positive k maps to 2k - 1, non-positive k to -2k. */
  writeSE(v: number): void {
    if (!Number.isInteger(v)) throw new BitstreamError('BITSTREAM_INVALID', `se(v) ${v}`);
    this.writeUE(v > 0 ? 2 * v - 1 : -2 * v);
  }

  /** Pads with zero bits to the next byte boundary. */
  byteAlign(): void {
    const pad = (8 - (this.pos & 7)) & 7;
    this.ensure(pad);
    this.pos += pad;
  }

  /** The bytes written, the last one zero-padded. */
  toBuffer(): Buffer {
    return Buffer.from(this.buf.subarray(0, (this.pos + 7) >> 3));
  }

  private ensure(n: number): void {
    const needBytes = (this.pos + n + 7) >> 3;
    if (needBytes <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(needBytes, this.buf.length * 2));
    this.buf.copy(next);
    this.buf = next;
  }
}
