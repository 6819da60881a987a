import { BitReader } from '../bits/bit-reader.js';
import { BitstreamError } from '../bits/bitstream-error.js';
import { removeEmulationPrevention } from '../nal/emulation-prevention.js';

export interface H264Sps {
  profileIdc: number;
  constraintFlags: number;
  levelIdc: number;
  chromaFormatIdc: number;
  bitDepthLuma: number;
  width: number;
  height: number;
  /** From VUI timing info when present. */
  fps?: number;
  profileName: string;
  levelName: string;
}

const HIGH_PROFILES = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);

/** Parses a sequence parameter set NAL unit (with its 1-byte header), ITU-T H.264 7.3.2.1.1 and E.1.1. */
export function parseH264Sps(nal: Buffer): H264Sps {
  if (nal.length < 4 || (nal[0] & 0x1f) !== 7) throw new BitstreamError('BITS_BAD_VALUE', 'not an H.264 SPS');
  const r = new BitReader(removeEmulationPrevention(nal.subarray(1)));
  const profileIdc = r.readBits(8);
  const constraintFlags = r.readBits(8);
  const levelIdc = r.readBits(8);
  r.readUE(); // seq_parameter_set_id
  let chromaFormatIdc = 1;
  let bitDepthLuma = 8;
  if (HIGH_PROFILES.has(profileIdc)) {
    chromaFormatIdc = r.readUE();
    if (chromaFormatIdc > 3) throw new BitstreamError('BITS_BAD_VALUE', `chroma_format_idc ${chromaFormatIdc}`);
    if (chromaFormatIdc === 3) r.readBit(); // separate_colour_plane_flag
    bitDepthLuma = r.readUE() + 8;
    r.readUE(); // bit_depth_chroma_minus8
    r.readBit(); // qpprime_y_zero_transform_bypass_flag
    if (r.readBit()) {
      const lists = chromaFormatIdc !== 3 ? 8 : 12;
      for (let i = 0; i < lists; i++) if (r.readBit()) skipScalingList(r, i < 6 ? 16 : 64);
    }
  }
  r.readUE(); // log2_max_frame_num_minus4
  const pocType = r.readUE();
  if (pocType === 0) {
    r.readUE();
  } else if (pocType === 1) {
    r.readBit();
    r.readSE();
    r.readSE();
    const cycle = r.readUE();
    if (cycle > 255) throw new BitstreamError('BITS_BAD_VALUE', 'num_ref_frames_in_pic_order_cnt_cycle');
    for (let i = 0; i < cycle; i++) r.readSE();
  }
  r.readUE(); // max_num_ref_frames
  r.readBit(); // gaps_in_frame_num_value_allowed_flag
  const widthMbs = r.readUE() + 1;
  const heightMapUnits = r.readUE() + 1;
  const frameMbsOnly = r.readBit();
  if (!frameMbsOnly) r.readBit(); // mb_adaptive_frame_field_flag
  r.readBit(); // direct_8x8_inference_flag
  let crop = { left: 0, right: 0, top: 0, bottom: 0 };
  if (r.readBit()) crop = { left: r.readUE(), right: r.readUE(), top: r.readUE(), bottom: r.readUE() };
  const subWidthC = chromaFormatIdc === 1 || chromaFormatIdc === 2 ? 2 : 1;
  const subHeightC = chromaFormatIdc === 1 ? 2 : 1;
  const cropX = chromaFormatIdc === 0 ? 1 : subWidthC;
  const cropY = (chromaFormatIdc === 0 ? 1 : subHeightC) * (2 - frameMbsOnly);
  const width = widthMbs * 16 - cropX * (crop.left + crop.right);
  const height = (2 - frameMbsOnly) * heightMapUnits * 16 - cropY * (crop.top + crop.bottom);
  let fps: number | undefined;
  if (r.bitsLeft > 0 && r.readBit()) fps = readVuiFps(r);
  return {
    profileIdc,
    constraintFlags,
    levelIdc,
    chromaFormatIdc,
    bitDepthLuma,
    width,
    height,
    fps,
    profileName: profileName(profileIdc, constraintFlags),
    levelName: levelIdc === 9 ? '1b' : `${Math.floor(levelIdc / 10)}${levelIdc % 10 ? `.${levelIdc % 10}` : ''}`,
  };
}

function skipScalingList(r: BitReader, size: number): void {
  let last = 8;
  let next = 8;
  for (let j = 0; j < size; j++) {
    if (next !== 0) next = (last + r.readSE() + 256) % 256;
    last = next === 0 ? last : next;
  }
}

/** VUI up to timing_info (E.1.1); fps = time_scale / (2 * num_units_in_tick). */
function readVuiFps(r: BitReader): number | undefined {
  try {
    if (r.readBit() && r.readBits(8) === 255) r.skipBits(32); // aspect_ratio_info
    if (r.readBit()) r.readBit(); // overscan
    if (r.readBit()) {
      r.skipBits(4); // video_format, video_full_range_flag
      if (r.readBit()) r.skipBits(24); // colour description
    }
    if (r.readBit()) {
      r.readUE();
      r.readUE();
    }
    if (!r.readBit()) return undefined;
    const unitsInTick = r.readBits(32);
    const timeScale = r.readBits(32);
    if (unitsInTick === 0) return undefined;
    return Math.round((timeScale / (2 * unitsInTick)) * 100) / 100;
  } catch {
    return undefined; // A truncated VUI still leaves a usable SPS.
  }
}

function profileName(profile: number, constraints: number): string {
  switch (profile) {
    case 66:
      return constraints & 0x40 ? 'Constrained Baseline' : 'Baseline';
    case 77:
      return 'Main';
    case 88:
      return 'Extended';
    case 100:
      return 'High';
    case 110:
      return 'High 10';
    case 122:
      return 'High 4:2:2';
    case 244:
      return 'High 4:4:4';
    default:
      return `Profile ${profile}`;
  }
}
