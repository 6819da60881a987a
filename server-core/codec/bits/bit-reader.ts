import { BitstreamError } from './bitstream-error.js';

/** ue(v) codes at most 32 bits of payload (ITU-T H.264 9.1: values up to 2^32 - 2). */
const MAX_EXP_GOLOMB_LEADING_ZEROS = 31;

/**
 * MSB-first bit reader over a Buffer (the u(n), ue(v), se(v) descriptors of ITU-T H.264 7.2 / H.265 7.2).
 * Every read past the end throws BitstreamError('BITSTREAM_OVERRUN'); nothing else is thrown.
 */
export class BitReader {
  private pos = 0;
  private readonly totalBits: number;

  constructor(private readonly buf: Buffer) {
    this.totalBits = buf.length * 8;
  }

  get bitsLeft(): number {
    return this.totalBits - this.pos;
  }

  /** Bits consumed so far. */
  get bitPosition(): number {
    return this.pos;
  }

  /** Whole bytes consumed so far (the current byte counts once any of its bits is read). */
  get byteOffset(): number {
    return Math.ceil(this.pos / 8);
  }

  /** u(n) for 0 <= n <= 32, unsigned. */
  readBits(n: number): number {
    if (!Number.isInteger(n) || n < 0 || n > 32) throw new BitstreamError('BITSTREAM_INVALID', `cannot read ${n} bits`);
    this.need(n);
    let value = 0;
    let remaining = n;
    while (remaining > 0) {
      const offset = this.pos & 7;
      const avail = 8 - offset;
      const take = Math.min(avail, remaining);
      const bits = (this.buf[this.pos >> 3] >> (avail - take)) & ((1 << take) - 1);
      // Multiply, not shift: a 32-bit value must stay unsigned.
      value = value * (1 << take) + bits;
      this.pos += take;
      remaining -= take;
    }
    return value;
  }

  readBit(): number {
    this.need(1);
    const bit = (this.buf[this.pos >> 3] >> (7 - (this.pos & 7))) & 1;
    this.pos++;
    return bit;
  }

  readFlag(): boolean {
    return this.readBit() === 1;
  }

  /** ue(v): Exp-Golomb unsigned (H.264 9.1). */
  readUE(): number {
    let zeros = 0;
    while (this.readBit() === 0) {
      zeros++;
      if (zeros > MAX_EXP_GOLOMB_LEADING_ZEROS)
        throw new BitstreamError('BITSTREAM_INVALID', 'Exp-Golomb code too long');
    }
    return 2 ** zeros - 1 + this.readBits(zeros);
  }

  /** se(v): Exp-Golomb signed (H.264 9.1.1): 1, -1, 2, -2 ... */
  readSE(): number {
    const k = this.readUE();
    return k % 2 === 1 ? (k + 1) / 2 : 0 - k / 2; // 0 - x, not -x: no negative zero
  }

  skipBits(n: number): void {
    if (!Number.isInteger(n) || n < 0) throw new BitstreamError('BITSTREAM_INVALID', `cannot skip ${n} bits`);
    this.need(n);
    this.pos += n;
  }

  /** Moves to the next byte boundary (no-op when aligned). */
  byteAlign(): void {
    this.pos = Math.min(this.totalBits, (this.pos + 7) & ~7);
  }

  /** n whole bytes as a subarray (no copy); the reader must be byte aligned. */
  readBytes(n: number): Buffer {
    if ((this.pos & 7) !== 0) throw new BitstreamError('BITSTREAM_INVALID', 'readBytes needs byte alignment');
    if (!Number.isInteger(n) || n < 0) throw new BitstreamError('BITSTREAM_INVALID', `cannot read ${n} bytes`);
    this.need(n * 8);
    const start = this.pos >> 3;
    this.pos += n * 8;
    return this.buf.subarray(start, start + n);
  }

  private need(n: number): void {
    if (n > this.totalBits - this.pos) {
      throw new BitstreamError('BITSTREAM_OVERRUN', `need ${n} bits, ${this.totalBits - this.pos} left`);
    }
  }
}
