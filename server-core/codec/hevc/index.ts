export { hevcCodecString } from './codec-string.js';
export { buildHevcDecoderConfig, type HevcDecoderConfig, parseHevcDecoderConfig } from './hvcc.js';
export {
  HEVC_AUD_NAL,
  HEVC_NAL_AUD,
  HEVC_NAL_BLA_N_LP,
  HEVC_NAL_BLA_W_LP,
  HEVC_NAL_BLA_W_RADL,
  HEVC_NAL_CRA,
  HEVC_NAL_EOB,
  HEVC_NAL_EOS,
  HEVC_NAL_FD,
  HEVC_NAL_IDR_N_LP,
  HEVC_NAL_IDR_W_RADL,
  HEVC_NAL_PPS,
  HEVC_NAL_SEI_PREFIX,
  HEVC_NAL_SEI_SUFFIX,
  HEVC_NAL_SPS,
  HEVC_NAL_TRAIL_N,
  HEVC_NAL_TRAIL_R,
  HEVC_NAL_VPS,
  HevcNalType,
  hevcNalType,
  isHevcIrap,
} from './nal-type.js';
export { hevcLevelName, hevcProfileName } from './profile-level.js';
export { type HevcProfileTierLevel, readProfileTierLevel } from './profile-tier-level.js';
export { type HevcSps, parseHevcSps } from './sps.js';
