import { BitstreamError } from '../bits/bitstream-error.js';

/**
 * Length-prefixed NAL units, the sample format of ISO/IEC 14496-15 (avcC/hvcC lengthSizeMinusOne + 1):
 *
 *   | length (lengthSize bytes, big-endian) | NAL | length | NAL | ...
 */

const LENGTH_SIZES = new Set([1, 2, 3, 4]);

function checkLengthSize(lengthSize: number): void {
  if (!LENGTH_SIZES.has(lengthSize)) throw new BitstreamError('BITSTREAM_INVALID', `NAL length size ${lengthSize}`);
}

/** NAL units as subarrays of buf (no copy); zero-length entries are skipped. */
export function splitLengthPrefixed(buf: Buffer, lengthSize = 4): Buffer[] {
  checkLengthSize(lengthSize);
  const nals: Buffer[] = [];
  let at = 0;
  while (at < buf.length) {
    if (buf.length - at < lengthSize) {
      throw new BitstreamError('BITSTREAM_TRUNCATED', `${buf.length - at} bytes left, NAL length needs ${lengthSize}`);
    }
    const length = buf.readUIntBE(at, lengthSize);
    at += lengthSize;
    if (length > buf.length - at) {
      throw new BitstreamError('BITSTREAM_TRUNCATED', `NAL length ${length} exceeds the ${buf.length - at} bytes left`);
    }
    if (length > 0) nals.push(buf.subarray(at, at + length));
    at += length;
  }
  return nals;
}

/** NAL units behind big-endian lengths, in one allocation. */
export function joinLengthPrefixed(nals: Buffer[], lengthSize = 4): Buffer {
  checkLengthSize(lengthSize);
  const max = 2 ** (8 * lengthSize) - 1;
  let total = 0;
  for (const nal of nals) {
    if (nal.length > max)
      throw new BitstreamError('BITSTREAM_TOO_LARGE', `NAL of ${nal.length} bytes, length size ${lengthSize}`);
    total += lengthSize + nal.length;
  }
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  for (const nal of nals) {
    out.writeUIntBE(nal.length, at, lengthSize);
    at += lengthSize;
    nal.copy(out, at);
    at += nal.length;
  }
  return out;
}
