import { BitstreamError } from '../bits/bitstream-error.js';

/** leb128() (AV1 4.10.5): at most 8 bytes, and the value must fit 32 bits. */
const MAX_LEB128_BYTES = 8;
const MAX_LEB128_VALUE = 2 ** 32 - 1;

/** Reads a leb128 at buf[offset]: the value and how many bytes it took. */
export function readLeb128(buf: Buffer, offset: number): { value: number; length: number } {
  let value = 0;
  for (let i = 0; i < MAX_LEB128_BYTES; i++) {
    if (offset + i >= buf.length) throw new BitstreamError('BITSTREAM_OVERRUN', 'leb128 runs past the end');
    const byte = buf[offset + i];
    value += (byte & 0x7f) * 2 ** (7 * i);
    if ((byte & 0x80) === 0) {
      if (value > MAX_LEB128_VALUE)
        throw new BitstreamError('BITSTREAM_INVALID', `leb128 value ${value} exceeds 32 bits`);
      return { value, length: i + 1 };
    }
  }
  throw new BitstreamError('BITSTREAM_INVALID', 'leb128 longer than 8 bytes');
}

/** The shortest leb128 encoding of value. */
export function writeLeb128(value: number): Buffer {
  if (!Number.isInteger(value) || value < 0 || value > MAX_LEB128_VALUE) {
    throw new BitstreamError('BITSTREAM_INVALID', `leb128 value ${value}`);
  }
  const bytes: number[] = [];
  let rest = value;
  do {
    const low = rest % 128;
    rest = Math.floor(rest / 128);
    bytes.push(rest > 0 ? low | 0x80 : low);
  } while (rest > 0);
  return Buffer.from(bytes);
}
