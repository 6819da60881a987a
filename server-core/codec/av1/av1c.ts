import { BitReader } from '../bits/bit-reader.js';
import { BitstreamError } from '../bits/bitstream-error.js';

/**
 * AV1CodecConfigurationRecord (AV1-ISOBMFF 2.3.3): marker u1 | version u7 | seq_profile u3 | seq_level_idx_0 u5 |
 * tier u1 | high_bitdepth u1 | twelve_bit u1 | monochrome u1 | subsampling x,y u1 u1 | chroma position u2 |
 * reserved u3 | initial_presentation_delay u5 | configOBUs (a sequence header OBU, AV1 5.5).
 */
export interface Av1Config {
  seqProfile: number;
  seqLevelIdx: number;
  width: number;
  height: number;
}

export function parseAv1CodecConfig(buf: Buffer): Av1Config {
  if (buf.length < 4 || (buf[0] & 0x80) === 0) throw new BitstreamError('BITS_BAD_VALUE', 'not an av1C record');
  const seqProfile = buf[1] >> 5;
  const seqLevelIdx = buf[1] & 0x1f;
  const size = readSequenceHeaderSize(buf.subarray(4));
  return { seqProfile, seqLevelIdx, width: size?.width ?? 0, height: size?.height ?? 0 };
}

/** max_frame_width/height from a sequence header OBU (AV1 5.5.1), when the record carries one. */
function readSequenceHeaderSize(obus: Buffer): { width: number; height: number } | undefined {
  if (obus.length < 2) return undefined;
  const r = new BitReader(obus);
  r.readBit();
  const type = r.readBits(4);
  const hasExtension = r.readBit();
  const hasSize = r.readBit();
  r.readBit();
  if (type !== 1) return undefined;
  if (hasExtension) r.skipBits(8);
  if (hasSize) {
    for (let i = 0; i < 8; i++) if (!(r.readBits(8) & 0x80)) break;
  }
  r.readBits(3); // seq_profile
  const stillPicture = r.readBit();
  const reduced = r.readBit();
  if (reduced) {
    r.readBits(5);
  } else {
    const timingInfo = r.readBit();
    let decoderModel = 0;
    if (timingInfo) {
      r.skipBits(64);
      if (r.readBit()) r.readUE();
      decoderModel = r.readBit();
      if (decoderModel) r.skipBits(5 + 32 + 5 + 5);
    }
    const initialDisplayDelay = r.readBit();
    const count = r.readBits(5) + 1;
    for (let i = 0; i < count; i++) {
      r.skipBits(12);
      const level = r.readBits(5);
      if (level > 7) r.readBit();
      if (decoderModel && r.readBit()) r.skipBits(10 + 10 + 1);
      if (initialDisplayDelay && r.readBit()) r.skipBits(4);
    }
  }
  void stillPicture;
  const widthBits = r.readBits(4) + 1;
  const heightBits = r.readBits(4) + 1;
  return { width: r.readBits(widthBits) + 1, height: r.readBits(heightBits) + 1 };
}
