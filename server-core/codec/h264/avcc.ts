import { BitstreamError } from '../bits/bitstream-error.js';

/**
 * AVCDecoderConfigurationRecord (ISO/IEC 14496-15 5.3.3.1):
 *   version u8 = 1 | profile u8 | compatibility u8 | level u8 | 111111 + lengthSizeMinusOne u2 |
 *   111 + numSPS u5 | (len u16, SPS)* | numPPS u8 | (len u16, PPS)* | [high-profile extension]
 */
export interface AvcDecoderConfig {
  profileIdc: number;
  profileCompatibility: number;
  levelIdc: number;
  lengthSize: number;
  sps: Buffer[];
  pps: Buffer[];
}

export function parseAvcDecoderConfig(buf: Buffer): AvcDecoderConfig {
  if (buf.length < 7) throw new BitstreamError('BITS_TRUNCATED', 'avcC shorter than 7 bytes');
  if (buf[0] !== 1) throw new BitstreamError('BITS_BAD_VALUE', `avcC version ${buf[0]}`);
  const lengthSize = (buf[4] & 0x03) + 1;
  let pos = 5;
  const readSets = (count: number): Buffer[] => {
    const sets: Buffer[] = [];
    for (let i = 0; i < count; i++) {
      if (pos + 2 > buf.length) throw new BitstreamError('BITS_TRUNCATED', 'avcC parameter set length');
      const len = buf.readUInt16BE(pos);
      pos += 2;
      if (pos + len > buf.length) throw new BitstreamError('BITS_TRUNCATED', 'avcC parameter set');
      sets.push(buf.subarray(pos, pos + len));
      pos += len;
    }
    return sets;
  };
  const sps = readSets(buf[pos++] & 0x1f);
  if (pos >= buf.length) throw new BitstreamError('BITS_TRUNCATED', 'avcC without PPS count');
  const pps = readSets(buf[pos++]);
  return { profileIdc: buf[1], profileCompatibility: buf[2], levelIdc: buf[3], lengthSize, sps, pps };
}

export function buildAvcDecoderConfig(sps: readonly Buffer[], pps: readonly Buffer[]): Buffer {
  if (sps.length === 0 || sps[0].length < 4) throw new BitstreamError('BITS_BAD_VALUE', 'avcC needs an SPS');
  const parts: Buffer[] = [Buffer.from([1, sps[0][1], sps[0][2], sps[0][3], 0xff, 0xe0 | sps.length])];
  for (const s of sps) parts.push(u16(s.length), s);
  parts.push(Buffer.from([pps.length]));
  for (const p of pps) parts.push(u16(p.length), p);
  return Buffer.concat(parts);
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n, 0);
  return b;
}
