import { BitstreamError } from '../bits/bitstream-error.js';
import { parseHevcSps } from './sps.js';

/**
 * HEVCDecoderConfigurationRecord (ISO/IEC 14496-15 8.3.3.1): a 22-byte header (profile/tier/level, chroma,
 * bit depths, lengthSizeMinusOne in the low 2 bits of byte 21), then numOfArrays u8 and per array:
 * completeness u1 | reserved u1 | NAL type u6 | numNalus u16 | (length u16, NAL unit)*.
 */
export interface HevcDecoderConfig {
  lengthSize: number;
  generalProfileIdc: number;
  generalLevelIdc: number;
  vps: Buffer[];
  sps: Buffer[];
  pps: Buffer[];
  sei: Buffer[];
}

const HEADER_SIZE = 23;

export function parseHevcDecoderConfig(buf: Buffer): HevcDecoderConfig {
  if (buf.length < HEADER_SIZE) throw new BitstreamError('BITS_TRUNCATED', 'hvcC shorter than 23 bytes');
  const config: HevcDecoderConfig = {
    lengthSize: (buf[21] & 0x03) + 1,
    generalProfileIdc: buf[1] & 0x1f,
    generalLevelIdc: buf[12],
    vps: [],
    sps: [],
    pps: [],
    sei: [],
  };
  const arrays = buf[22];
  let pos = HEADER_SIZE;
  for (let a = 0; a < arrays; a++) {
    if (pos + 3 > buf.length) throw new BitstreamError('BITS_TRUNCATED', 'hvcC array header');
    const type = buf[pos] & 0x3f;
    const count = buf.readUInt16BE(pos + 1);
    pos += 3;
    for (let i = 0; i < count; i++) {
      if (pos + 2 > buf.length) throw new BitstreamError('BITS_TRUNCATED', 'hvcC NAL length');
      const len = buf.readUInt16BE(pos);
      pos += 2;
      if (pos + len > buf.length) throw new BitstreamError('BITS_TRUNCATED', 'hvcC NAL unit');
      const nal = buf.subarray(pos, pos + len);
      pos += len;
      if (type === 32) config.vps.push(nal);
      else if (type === 33) config.sps.push(nal);
      else if (type === 34) config.pps.push(nal);
      else if (type === 39 || type === 40) config.sei.push(nal);
    }
  }
  return config;
}

export function buildHevcDecoderConfig(vps: readonly Buffer[], sps: readonly Buffer[], pps: readonly Buffer[]): Buffer {
  if (sps.length === 0) throw new BitstreamError('BITS_BAD_VALUE', 'hvcC needs an SPS');
  const s = parseHevcSps(sps[0]);
  const head = Buffer.alloc(HEADER_SIZE);
  head[0] = 1;
  head[1] = (s.generalProfileSpace << 6) | (s.generalTierFlag << 5) | s.generalProfileIdc;
  head.writeUInt32BE(s.generalProfileCompatibilityFlags >>> 0, 2);
  s.generalConstraintIndicatorFlags.copy(head, 6);
  head[12] = s.generalLevelIdc;
  head.writeUInt16BE(0xf000, 13);
  head[15] = 0xfc;
  head[16] = 0xfc | s.chromaFormatIdc;
  head[17] = 0xf8 | (s.bitDepthLuma - 8);
  head[18] = 0xf8 | (s.bitDepthChroma - 8);
  head.writeUInt16BE(0, 19);
  head[21] = 0x0f; // 1 temporal layer, nested, 4-byte lengths
  const arrays: [number, readonly Buffer[]][] = [
    [32, vps],
    [33, sps],
    [34, pps],
  ];
  head[22] = arrays.length;
  const parts: Buffer[] = [head];
  for (const [type, nals] of arrays) {
    const h = Buffer.alloc(3);
    h[0] = 0x80 | type;
    h.writeUInt16BE(nals.length, 1);
    parts.push(h);
    for (const nal of nals) {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(nal.length, 0);
      parts.push(len, nal);
    }
  }
  return Buffer.concat(parts);
}
