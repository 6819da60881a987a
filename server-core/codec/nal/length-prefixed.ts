import { BitstreamError } from '../bits/bitstream-error.js';

/** NAL units with big-endian length prefixes, as MP4, FLV and RTMP carry H.264/HEVC (ISO/IEC 14496-15). */
export function splitLengthPrefixed(buf: Buffer, lengthSize = 4): Buffer[] {
  const nals: Buffer[] = [];
  let pos = 0;
  while (pos < buf.length) {
    if (pos + lengthSize > buf.length) throw new BitstreamError('BITS_TRUNCATED', 'truncated NAL length');
    const length = buf.readUIntBE(pos, lengthSize);
    pos += lengthSize;
    if (pos + length > buf.length) throw new BitstreamError('BITS_TRUNCATED', `NAL of ${length} bytes overruns`);
    nals.push(buf.subarray(pos, pos + length));
    pos += length;
  }
  return nals;
}

export function joinLengthPrefixed(nals: readonly Buffer[], lengthSize = 4): Buffer {
  const total = nals.reduce((n, nal) => n + lengthSize + nal.length, 0);
  const out = Buffer.allocUnsafe(total);
  let pos = 0;
  for (const nal of nals) {
    out.writeUIntBE(nal.length, pos, lengthSize);
    pos += lengthSize;
    pos += nal.copy(out, pos);
  }
  return out;
}
