import { BitReader } from '../bits/bit-reader.js';
import { BitstreamError } from '../bits/bitstream-error.js';
import { removeEmulationPrevention } from '../nal/emulation-prevention.js';
import { H264_NAL_SPS } from './nal-type.js';
import { h264LevelName, h264ProfileName } from './profile-level.js';

export interface H264Sps {
  spsId: number;
  profileIdc: number;
  /** constraint_set0..5 flags and reserved bits: the byte after profile_idc. */
  constraintFlags: number;
  levelIdc: number;
  chromaFormatIdc: number;
  bitDepthLuma: number;
  bitDepthChroma: number;
  /** false for interlaced (field or MBAFF) coding. */
  frameMbsOnly: boolean;
  /** Display size: after frame cropping, in frames (fields doubled). */
  width: number;
  height: number;
  /** Frames per second from VUI timing_info: time_scale / (2 * num_units_in_tick). */
  fps?: number;
  profileName: string;
  levelName: string;
}

/** Spec limits (7.4.2.1.1) and our own sanity bounds, checked while parsing. */
const MAX_SPS_ID = 31;
const MAX_BIT_DEPTH_MINUS8 = 6;
const MAX_LOG2_MINUS4 = 12;
const MAX_REF_FRAMES_IN_POC_CYCLE = 255;
/** 2048 macroblocks = 32768 pixels per side, far beyond level 6.2. */
const MAX_PIC_SIZE_IN_MBS = 2048;

/** Profiles whose SPS carries chroma_format_idc, bit depths and scaling matrices. */
const HIGH_PROFILES = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);

/**
 * seq_parameter_set_rbsp (ITU-T H.264 7.3.2.1.1), parsed up to the VUI timing_info:
 *
 *   nal header u8 | profile_idc u8 | constraint_set flags u8 | level_idc u8 | sps_id ue
 *   [high profiles: chroma_format_idc ue (separate_colour_plane u1) | bit depths ue ue | bypass u1 | scaling]
 *   log2_max_frame_num ue | poc type ue (...) | max_num_ref_frames ue | gaps u1
 *   pic_width_in_mbs-1 ue | pic_height_in_map_units-1 ue | frame_mbs_only u1 (mbaff u1) | direct_8x8 u1
 *   frame_cropping u1 (l r t b ue) | vui_present u1 (vui_parameters E.1.1)
 */
export function parseH264Sps(nal: Buffer): H264Sps {
  if (nal.length < 4) throw new BitstreamError('BITSTREAM_TRUNCATED', `SPS of ${nal.length} bytes`);
  if ((nal[0] & 0x1f) !== H264_NAL_SPS)
    throw new BitstreamError('BITSTREAM_INVALID', `NAL type ${nal[0] & 0x1f} is not an SPS`);
  const r = new BitReader(removeEmulationPrevention(nal.subarray(1)));
  const profileIdc = r.readBits(8);
  const constraintFlags = r.readBits(8);
  const levelIdc = r.readBits(8);
  const spsId = bounded(r.readUE(), MAX_SPS_ID, 'seq_parameter_set_id');

  let chromaFormatIdc = 1;
  let separateColourPlane = false;
  let bitDepthLuma = 8;
  let bitDepthChroma = 8;
  if (HIGH_PROFILES.has(profileIdc)) {
    chromaFormatIdc = bounded(r.readUE(), 3, 'chroma_format_idc');
    if (chromaFormatIdc === 3) separateColourPlane = r.readFlag();
    bitDepthLuma = 8 + bounded(r.readUE(), MAX_BIT_DEPTH_MINUS8, 'bit_depth_luma_minus8');
    bitDepthChroma = 8 + bounded(r.readUE(), MAX_BIT_DEPTH_MINUS8, 'bit_depth_chroma_minus8');
    r.skipBits(1); // qpprime_y_zero_transform_bypass_flag
    if (r.readFlag()) {
      const lists = chromaFormatIdc !== 3 ? 8 : 12;
      for (let i = 0; i < lists; i++) {
        if (r.readFlag()) skipScalingList(r, i < 6 ? 16 : 64);
      }
    }
  }

  bounded(r.readUE(), MAX_LOG2_MINUS4, 'log2_max_frame_num_minus4');
  const pocType = bounded(r.readUE(), 2, 'pic_order_cnt_type');
  if (pocType === 0) {
    bounded(r.readUE(), MAX_LOG2_MINUS4, 'log2_max_pic_order_cnt_lsb_minus4');
  } else if (pocType === 1) {
    r.skipBits(1); // delta_pic_order_always_zero_flag
    r.readSE(); // offset_for_non_ref_pic
    r.readSE(); // offset_for_top_to_bottom_field
    const cycle = bounded(r.readUE(), MAX_REF_FRAMES_IN_POC_CYCLE, 'num_ref_frames_in_pic_order_cnt_cycle');
    for (let i = 0; i < cycle; i++) r.readSE();
  }
  r.readUE(); // max_num_ref_frames
  r.skipBits(1); // gaps_in_frame_num_value_allowed_flag
  const widthMbs = bounded(r.readUE(), MAX_PIC_SIZE_IN_MBS - 1, 'pic_width_in_mbs_minus1') + 1;
  const heightMapUnits = bounded(r.readUE(), MAX_PIC_SIZE_IN_MBS - 1, 'pic_height_in_map_units_minus1') + 1;
  const frameMbsOnly = r.readFlag();
  if (!frameMbsOnly) r.skipBits(1); // mb_adaptive_frame_field_flag
  r.skipBits(1); // direct_8x8_inference_flag

  // Frame cropping, 7.4.2.1.1 (7-19..7-22): units depend on chroma subsampling and field coding.
  const chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
  const subWidthC = chromaFormatIdc === 3 ? 1 : 2;
  const subHeightC = chromaFormatIdc === 1 ? 2 : 1;
  const cropUnitX = chromaArrayType === 0 ? 1 : subWidthC;
  const cropUnitY = (chromaArrayType === 0 ? 1 : subHeightC) * (frameMbsOnly ? 1 : 2);
  let width = widthMbs * 16;
  let height = (frameMbsOnly ? 1 : 2) * heightMapUnits * 16;
  if (r.readFlag()) {
    const left = r.readUE();
    const right = r.readUE();
    const top = r.readUE();
    const bottom = r.readUE();
    width -= cropUnitX * (left + right);
    height -= cropUnitY * (top + bottom);
    if (width <= 0 || height <= 0) throw new BitstreamError('BITSTREAM_INVALID', 'frame cropping exceeds the picture');
  }

  const fps = r.readFlag() ? readVuiFpsLeniently(r) : undefined;
  return {
    spsId,
    profileIdc,
    constraintFlags,
    levelIdc,
    chromaFormatIdc,
    bitDepthLuma,
    bitDepthChroma,
    frameMbsOnly,
    width,
    height,
    ...(fps !== undefined ? { fps } : {}),
    profileName: h264ProfileName(profileIdc),
    levelName: h264LevelName(levelIdc, profileIdc, constraintFlags),
  };
}

/** scaling_list() (7.3.2.1.1.1): delta-coded; reading stops once nextScale hits 0. */
function skipScalingList(r: BitReader, size: number): void {
  let lastScale = 8;
  let nextScale = 8;
  for (let j = 0; j < size; j++) {
    if (nextScale !== 0) {
      const delta = r.readSE();
      if (delta < -128 || delta > 127) throw new BitstreamError('BITSTREAM_INVALID', `delta_scale ${delta}`);
      nextScale = (lastScale + delta + 256) % 256;
    }
    lastScale = nextScale === 0 ? lastScale : nextScale;
  }
}

/** Some encoders cut the VUI short; the picture size is already known, so a broken VUI only loses fps. */
function readVuiFpsLeniently(r: BitReader): number | undefined {
  try {
    return readVuiFps(r);
  } catch (err) {
    if (err instanceof BitstreamError) return undefined;
    throw err;
  }
}

/** vui_parameters() (E.1.1) up to timing_info; the HRD and restriction fields after it are not needed. */
function readVuiFps(r: BitReader): number | undefined {
  if (r.readFlag()) {
    // aspect_ratio_idc u8, Extended_SAR (255) adds sar_width u16 | sar_height u16
    if (r.readBits(8) === 255) r.skipBits(32);
  }
  if (r.readFlag()) r.skipBits(1); // overscan_appropriate_flag
  if (r.readFlag()) {
    r.skipBits(4); // video_format u3 | video_full_range_flag u1
    if (r.readFlag()) r.skipBits(24); // colour_primaries | transfer_characteristics | matrix_coefficients
  }
  if (r.readFlag()) {
    r.readUE(); // chroma_sample_loc_type_top_field
    r.readUE(); // chroma_sample_loc_type_bottom_field
  }
  if (!r.readFlag()) return undefined;
  const numUnitsInTick = r.readBits(32);
  const timeScale = r.readBits(32);
  if (numUnitsInTick === 0 || timeScale === 0) return undefined;
  return timeScale / (2 * numUnitsInTick);
}

function bounded(value: number, max: number, name: string): number {
  if (value > max) throw new BitstreamError('BITSTREAM_INVALID', `${name} ${value} > ${max}`);
  return value;
}
