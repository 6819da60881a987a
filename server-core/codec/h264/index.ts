export { type AvcDecoderConfig, buildAvcDecoderConfig, parseAvcDecoderConfig } from './avcc.js';
export { h264CodecString } from './codec-string.js';
export {
  H264_AUD_NAL,
  H264_NAL_AUD,
  H264_NAL_END_OF_SEQUENCE,
  H264_NAL_END_OF_STREAM,
  H264_NAL_FILLER,
  H264_NAL_IDR,
  H264_NAL_PPS,
  H264_NAL_SEI,
  H264_NAL_SLICE,
  H264_NAL_SPS,
  H264NalType,
  h264NalType,
} from './nal-type.js';
export { h264LevelName, h264ProfileName } from './profile-level.js';
export { type H264Sps, parseH264Sps } from './sps.js';
