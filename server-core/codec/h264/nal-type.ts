import { BitstreamError } from '../bits/bitstream-error.js';

/**
 * H.264 NAL unit header (ITU-T H.264 7.3.1), one byte:
 *   forbidden_zero_bit u1 | nal_ref_idc u2 | nal_unit_type u5
 */
export const H264_NAL_SLICE = 1;
export const H264_NAL_IDR = 5;
export const H264_NAL_SEI = 6;
export const H264_NAL_SPS = 7;
export const H264_NAL_PPS = 8;
export const H264_NAL_AUD = 9;
export const H264_NAL_END_OF_SEQUENCE = 10;
export const H264_NAL_END_OF_STREAM = 11;
export const H264_NAL_FILLER = 12;

/** The same types as one object (Table 7-1). */
export const H264NalType = {
  SLICE: H264_NAL_SLICE,
  IDR: H264_NAL_IDR,
  SEI: H264_NAL_SEI,
  SPS: H264_NAL_SPS,
  PPS: H264_NAL_PPS,
  AUD: H264_NAL_AUD,
  END_OF_SEQUENCE: H264_NAL_END_OF_SEQUENCE,
  END_OF_STREAM: H264_NAL_END_OF_STREAM,
  FILLER: H264_NAL_FILLER,
} as const;

/** Access unit delimiter, primary_pic_type 7 (any slice type) + stop bit. Shared: never mutate. */
export const H264_AUD_NAL: Buffer = Buffer.from([0x09, 0xf0]);

export function h264NalType(nal: Buffer): number {
  if (nal.length < 1) throw new BitstreamError('BITSTREAM_TRUNCATED', 'empty H.264 NAL unit');
  return nal[0] & 0x1f;
}
