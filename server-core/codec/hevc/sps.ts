import { BitReader } from '../bits/bit-reader.js';
import { BitstreamError } from '../bits/bitstream-error.js';
import { removeEmulationPrevention } from '../nal/emulation-prevention.js';

export interface HevcSps {
  generalProfileSpace: number;
  generalTierFlag: number;
  generalProfileIdc: number;
  generalProfileCompatibilityFlags: number;
  /** 6 bytes: progressive/interlaced/non-packed/frame-only flags and the reserved bits. */
  generalConstraintIndicatorFlags: Buffer;
  generalLevelIdc: number;
  chromaFormatIdc: number;
  bitDepthLuma: number;
  bitDepthChroma: number;
  width: number;
  height: number;
  profileName: string;
  levelName: string;
}

/**
 * Parses an HEVC SPS NAL unit (2-byte header included) up to the bit depths: ITU-T H.265 7.3.2.2.1 with
 * profile_tier_level 7.3.3. Width and height honour the conformance window.
 */
export function parseHevcSps(nal: Buffer): HevcSps {
  if (nal.length < 4 || ((nal[0] >> 1) & 0x3f) !== 33) throw new BitstreamError('BITS_BAD_VALUE', 'not an HEVC SPS');
  const r = new BitReader(removeEmulationPrevention(nal.subarray(2)));
  r.readBits(4); // sps_video_parameter_set_id
  const maxSubLayersMinus1 = r.readBits(3);
  r.readBit(); // sps_temporal_id_nesting_flag
  const generalProfileSpace = r.readBits(2);
  const generalTierFlag = r.readBit();
  const generalProfileIdc = r.readBits(5);
  const generalProfileCompatibilityFlags = r.readBits(32) >>> 0;
  const constraint = Buffer.alloc(6);
  for (let i = 0; i < 6; i++) constraint[i] = r.readBits(8);
  const generalLevelIdc = r.readBits(8);
  const subProfile: number[] = [];
  const subLevel: number[] = [];
  for (let i = 0; i < maxSubLayersMinus1; i++) {
    subProfile.push(r.readBit());
    subLevel.push(r.readBit());
  }
  if (maxSubLayersMinus1 > 0) for (let i = maxSubLayersMinus1; i < 8; i++) r.skipBits(2);
  for (let i = 0; i < maxSubLayersMinus1; i++) {
    if (subProfile[i]) r.skipBits(88);
    if (subLevel[i]) r.skipBits(8);
  }
  r.readUE(); // sps_seq_parameter_set_id
  const chromaFormatIdc = r.readUE();
  if (chromaFormatIdc > 3) throw new BitstreamError('BITS_BAD_VALUE', `chroma_format_idc ${chromaFormatIdc}`);
  if (chromaFormatIdc === 3) r.readBit();
  let width = r.readUE();
  let height = r.readUE();
  if (r.readBit()) {
    const subWidthC = chromaFormatIdc === 1 || chromaFormatIdc === 2 ? 2 : 1;
    const subHeightC = chromaFormatIdc === 1 ? 2 : 1;
    const [left, right, top, bottom] = [r.readUE(), r.readUE(), r.readUE(), r.readUE()];
    width -= subWidthC * (left + right);
    height -= subHeightC * (top + bottom);
  }
  const bitDepthLuma = r.readUE() + 8;
  const bitDepthChroma = r.readUE() + 8;
  const level = generalLevelIdc / 30;
  return {
    generalProfileSpace,
    generalTierFlag,
    generalProfileIdc,
    generalProfileCompatibilityFlags,
    generalConstraintIndicatorFlags: constraint,
    generalLevelIdc,
    chromaFormatIdc,
    bitDepthLuma,
    bitDepthChroma,
    width,
    height,
    profileName: HEVC_PROFILES[generalProfileIdc] ?? `Profile ${generalProfileIdc}`,
    levelName: Number.isInteger(level) ? String(level) : level.toFixed(1),
  };
}

const HEVC_PROFILES: Record<number, string> = { 1: 'Main', 2: 'Main10', 3: 'Main Still Picture', 4: 'RExt' };
