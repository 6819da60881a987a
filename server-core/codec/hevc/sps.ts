import { BitReader } from '../bits/bit-reader.js';
import { BitstreamError } from '../bits/bitstream-error.js';
import { removeEmulationPrevention } from '../nal/emulation-prevention.js';
import { HEVC_NAL_SPS } from './nal-type.js';
import { hevcLevelName, hevcProfileName } from './profile-level.js';
import { type HevcProfileTierLevel, readProfileTierLevel } from './profile-tier-level.js';

export interface HevcSps extends HevcProfileTierLevel {
  spsId: number;
  /** sps_max_sub_layers_minus1 + 1: the numTemporalLayers of hvcC. */
  maxSubLayers: number;
  temporalIdNestingFlag: boolean;
  chromaFormatIdc: number;
  bitDepthLuma: number;
  bitDepthChroma: number;
  /** Display size: after the conformance window. */
  width: number;
  height: number;
  /** Frames per second from VUI timing: vui_time_scale / vui_num_units_in_tick. */
  fps?: number;
  profileName: string;
  levelName: string;
}

/** Spec limits (7.4.3.2.1) and our own sanity bounds, checked while parsing. */
const MAX_SUB_LAYERS_MINUS1 = 6;
const MAX_SPS_ID = 15;
const MAX_BIT_DEPTH_MINUS8 = 8;
const MAX_LOG2_POC_LSB_MINUS4 = 12;
/** Far beyond level 6.2 (8192x4320); keeps ue(v) values sane. */
const MAX_PIC_DIMENSION = 32768;
const MAX_DPB_SIZE = 16;
const MAX_SHORT_TERM_REF_PIC_SETS = 64;
const MAX_LONG_TERM_REF_PICS_SPS = 32;

/**
 * seq_parameter_set_rbsp (ITU-T H.265 7.3.2.2.1), parsed up to the VUI timing info:
 *
 *   nal header u16 | vps_id u4 | max_sub_layers_minus1 u3 | temporal_id_nesting u1 | profile_tier_level
 *   sps_id ue | chroma_format_idc ue (separate_colour_plane u1) | width ue | height ue
 *   conformance_window u1 (l r t b ue) | bit depths ue ue | log2_max_poc_lsb-4 ue | ordering info
 *   block sizes 6 x ue | scaling lists | amp u1 | sao u1 | pcm (...) | short-term RPS | long-term refs
 *   temporal_mvp u1 | strong_intra_smoothing u1 | vui_present u1 (vui_parameters E.2.1)
 */
export function parseHevcSps(nal: Buffer): HevcSps {
  if (nal.length < 3) throw new BitstreamError('BITSTREAM_TRUNCATED', `SPS of ${nal.length} bytes`);
  const type = (nal[0] >> 1) & 0x3f;
  if (type !== HEVC_NAL_SPS) throw new BitstreamError('BITSTREAM_INVALID', `NAL type ${type} is not an SPS`);
  const layerId = ((nal[0] & 1) << 5) | (nal[1] >> 3);
  if (layerId !== 0) throw new BitstreamError('BITSTREAM_UNSUPPORTED', `SPS for layer ${layerId}`);
  const r = new BitReader(removeEmulationPrevention(nal.subarray(2)));

  r.skipBits(4); // sps_video_parameter_set_id
  const maxSubLayersMinus1 = bounded(r.readBits(3), MAX_SUB_LAYERS_MINUS1, 'sps_max_sub_layers_minus1');
  const temporalIdNestingFlag = r.readFlag();
  const ptl = readProfileTierLevel(r, maxSubLayersMinus1);
  const spsId = bounded(r.readUE(), MAX_SPS_ID, 'sps_seq_parameter_set_id');
  const chromaFormatIdc = bounded(r.readUE(), 3, 'chroma_format_idc');
  const separateColourPlane = chromaFormatIdc === 3 ? r.readFlag() : false;
  const picWidth = bounded(r.readUE(), MAX_PIC_DIMENSION, 'pic_width_in_luma_samples');
  const picHeight = bounded(r.readUE(), MAX_PIC_DIMENSION, 'pic_height_in_luma_samples');
  let width = picWidth;
  let height = picHeight;
  if (r.readFlag()) {
    // Offsets count chroma samples (7-2): SubWidthC / SubHeightC luma samples each.
    const chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
    const subWidthC = chromaArrayType === 1 || chromaArrayType === 2 ? 2 : 1;
    const subHeightC = chromaArrayType === 1 ? 2 : 1;
    const left = r.readUE();
    const right = r.readUE();
    const top = r.readUE();
    const bottom = r.readUE();
    width -= subWidthC * (left + right);
    height -= subHeightC * (top + bottom);
  }
  if (width <= 0 || height <= 0) throw new BitstreamError('BITSTREAM_INVALID', `picture size ${width}x${height}`);
  const bitDepthLuma = 8 + bounded(r.readUE(), MAX_BIT_DEPTH_MINUS8, 'bit_depth_luma_minus8');
  const bitDepthChroma = 8 + bounded(r.readUE(), MAX_BIT_DEPTH_MINUS8, 'bit_depth_chroma_minus8');
  const log2MaxPocLsb = 4 + bounded(r.readUE(), MAX_LOG2_POC_LSB_MINUS4, 'log2_max_pic_order_cnt_lsb_minus4');

  const orderingInfoForAll = r.readFlag();
  for (let i = orderingInfoForAll ? 0 : maxSubLayersMinus1; i <= maxSubLayersMinus1; i++) {
    r.readUE(); // sps_max_dec_pic_buffering_minus1
    r.readUE(); // sps_max_num_reorder_pics
    r.readUE(); // sps_max_latency_increase_plus1
  }
  for (let i = 0; i < 6; i++) r.readUE(); // coding/transform block sizes, transform hierarchy depths
  if (r.readFlag() && r.readFlag()) skipScalingListData(r); // scaling_list_enabled, sps_scaling_list_data_present
  r.skipBits(2); // amp_enabled_flag, sample_adaptive_offset_enabled_flag
  if (r.readFlag()) {
    r.skipBits(8); // pcm sample bit depths
    r.readUE(); // log2_min_pcm_luma_coding_block_size_minus3
    r.readUE(); // log2_diff_max_min_pcm_luma_coding_block_size
    r.skipBits(1); // pcm_loop_filter_disabled_flag
  }
  skipShortTermRefPicSets(r, bounded(r.readUE(), MAX_SHORT_TERM_REF_PIC_SETS, 'num_short_term_ref_pic_sets'));
  if (r.readFlag()) {
    const count = bounded(r.readUE(), MAX_LONG_TERM_REF_PICS_SPS, 'num_long_term_ref_pics_sps');
    for (let i = 0; i < count; i++) r.skipBits(log2MaxPocLsb + 1); // lt_ref_pic_poc_lsb_sps, used_by_curr_pic_lt_sps_flag
  }
  r.skipBits(2); // sps_temporal_mvp_enabled_flag, strong_intra_smoothing_enabled_flag
  const fps = r.readFlag() ? readVuiFpsLeniently(r) : undefined;

  return {
    spsId,
    maxSubLayers: maxSubLayersMinus1 + 1,
    temporalIdNestingFlag,
    ...ptl,
    chromaFormatIdc,
    bitDepthLuma,
    bitDepthChroma,
    width,
    height,
    ...(fps !== undefined ? { fps } : {}),
    profileName: hevcProfileName(ptl.generalProfileIdc, ptl.generalProfileCompatibilityFlags),
    levelName: hevcLevelName(ptl.generalLevelIdc),
  };
}

/** scaling_list_data() (7.3.4). */
function skipScalingListData(r: BitReader): void {
  for (let sizeId = 0; sizeId < 4; sizeId++) {
    for (let matrixId = 0; matrixId < 6; matrixId += sizeId === 3 ? 3 : 1) {
      if (!r.readFlag()) {
        r.readUE(); // scaling_list_pred_matrix_id_delta
        continue;
      }
      const coefNum = Math.min(64, 1 << (4 + (sizeId << 1)));
      if (sizeId > 1) r.readSE(); // scaling_list_dc_coef_minus8
      for (let i = 0; i < coefNum; i++) r.readSE(); // scaling_list_delta_coef
    }
  }
}

/**
 * st_ref_pic_set(i) for i in 0..count-1 (7.3.7). A set predicted from the previous one codes a flag pair per
 * picture of that set, so the delta POCs of each set are derived (7.4.8) to know how many flags the next reads.
 */
function skipShortTermRefPicSets(r: BitReader, count: number): void {
  let prevNegative: number[] = [];
  let prevPositive: number[] = [];
  for (let idx = 0; idx < count; idx++) {
    const negative: number[] = [];
    const positive: number[] = [];
    if (idx !== 0 && r.readFlag()) {
      // inter_ref_pic_set_prediction_flag: in an SPS, delta_idx_minus1 is absent and the reference is idx - 1.
      const sign = r.readBit();
      const absDeltaRps = bounded(r.readUE(), 2 ** 15 - 1, 'abs_delta_rps_minus1') + 1;
      const deltaRps = sign ? -absDeltaRps : absDeltaRps;
      const refCount = prevNegative.length + prevPositive.length;
      const useDelta: boolean[] = [];
      for (let j = 0; j <= refCount; j++) {
        const used = r.readFlag();
        useDelta.push(used ? true : r.readFlag());
      }
      for (let j = prevPositive.length - 1; j >= 0; j--) {
        const dPoc = prevPositive[j] + deltaRps;
        if (dPoc < 0 && useDelta[prevNegative.length + j]) negative.push(dPoc);
      }
      if (deltaRps < 0 && useDelta[refCount]) negative.push(deltaRps);
      for (let j = 0; j < prevNegative.length; j++) {
        const dPoc = prevNegative[j] + deltaRps;
        if (dPoc < 0 && useDelta[j]) negative.push(dPoc);
      }
      for (let j = prevNegative.length - 1; j >= 0; j--) {
        const dPoc = prevNegative[j] + deltaRps;
        if (dPoc > 0 && useDelta[j]) positive.push(dPoc);
      }
      if (deltaRps > 0 && useDelta[refCount]) positive.push(deltaRps);
      for (let j = 0; j < prevPositive.length; j++) {
        const dPoc = prevPositive[j] + deltaRps;
        if (dPoc > 0 && useDelta[prevNegative.length + j]) positive.push(dPoc);
      }
      if (negative.length > MAX_DPB_SIZE || positive.length > MAX_DPB_SIZE) {
        throw new BitstreamError('BITSTREAM_INVALID', 'predicted short-term RPS larger than the DPB');
      }
    } else {
      const numNegative = bounded(r.readUE(), MAX_DPB_SIZE, 'num_negative_pics');
      const numPositive = bounded(r.readUE(), MAX_DPB_SIZE, 'num_positive_pics');
      let poc = 0;
      for (let i = 0; i < numNegative; i++) {
        poc -= bounded(r.readUE(), 2 ** 15 - 1, 'delta_poc_s0_minus1') + 1;
        r.skipBits(1); // used_by_curr_pic_s0_flag
        negative.push(poc);
      }
      poc = 0;
      for (let i = 0; i < numPositive; i++) {
        poc += bounded(r.readUE(), 2 ** 15 - 1, 'delta_poc_s1_minus1') + 1;
        r.skipBits(1); // used_by_curr_pic_s1_flag
        positive.push(poc);
      }
    }
    prevNegative = negative;
    prevPositive = positive;
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

/** vui_parameters() (E.2.1) up to vui_timing_info; HRD and bitstream restriction are not needed. */
function readVuiFps(r: BitReader): number | undefined {
  if (r.readFlag()) {
    // aspect_ratio_idc u8, EXTENDED_SAR (255) adds sar_width u16 | sar_height u16
    if (r.readBits(8) === 255) r.skipBits(32);
  }
  if (r.readFlag()) r.skipBits(1); // overscan_appropriate_flag
  if (r.readFlag()) {
    r.skipBits(4); // video_format u3 | video_full_range_flag u1
    if (r.readFlag()) r.skipBits(24); // colour_primaries | transfer_characteristics | matrix_coeffs
  }
  if (r.readFlag()) {
    r.readUE(); // chroma_sample_loc_type_top_field
    r.readUE(); // chroma_sample_loc_type_bottom_field
  }
  r.skipBits(3); // neutral_chroma_indication_flag, field_seq_flag, frame_field_info_present_flag
  if (r.readFlag()) {
    for (let i = 0; i < 4; i++) r.readUE(); // default display window offsets
  }
  if (!r.readFlag()) return undefined;
  const numUnitsInTick = r.readBits(32);
  const timeScale = r.readBits(32);
  if (numUnitsInTick === 0 || timeScale === 0) return undefined;
  return timeScale / numUnitsInTick;
}

function bounded(value: number, max: number, name: string): number {
  if (value > max) throw new BitstreamError('BITSTREAM_INVALID', `${name} ${value} > ${max}`);
  return value;
}
