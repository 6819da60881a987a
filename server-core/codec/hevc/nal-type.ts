import { BitstreamError } from '../bits/bitstream-error.js';

/**
 * H.265 NAL unit header (ITU-T H.265 7.3.1.2), two bytes:
 *   forbidden_zero_bit u1 | nal_unit_type u6 | nuh_layer_id u6 | nuh_temporal_id_plus1 u3
 */
export const HEVC_NAL_TRAIL_N = 0;
export const HEVC_NAL_TRAIL_R = 1;
export const HEVC_NAL_BLA_W_LP = 16;
export const HEVC_NAL_BLA_W_RADL = 17;
export const HEVC_NAL_BLA_N_LP = 18;
export const HEVC_NAL_IDR_W_RADL = 19;
export const HEVC_NAL_IDR_N_LP = 20;
export const HEVC_NAL_CRA = 21;
export const HEVC_NAL_VPS = 32;
export const HEVC_NAL_SPS = 33;
export const HEVC_NAL_PPS = 34;
export const HEVC_NAL_AUD = 35;
export const HEVC_NAL_EOS = 36;
export const HEVC_NAL_EOB = 37;
export const HEVC_NAL_FD = 38;
export const HEVC_NAL_SEI_PREFIX = 39;
export const HEVC_NAL_SEI_SUFFIX = 40;

/** The same types as one object (Table 7-1). */
export const HevcNalType = {
  TRAIL_N: HEVC_NAL_TRAIL_N,
  TRAIL_R: HEVC_NAL_TRAIL_R,
  BLA_W_LP: HEVC_NAL_BLA_W_LP,
  BLA_W_RADL: HEVC_NAL_BLA_W_RADL,
  BLA_N_LP: HEVC_NAL_BLA_N_LP,
  IDR_W_RADL: HEVC_NAL_IDR_W_RADL,
  IDR_N_LP: HEVC_NAL_IDR_N_LP,
  CRA: HEVC_NAL_CRA,
  VPS: HEVC_NAL_VPS,
  SPS: HEVC_NAL_SPS,
  PPS: HEVC_NAL_PPS,
  AUD: HEVC_NAL_AUD,
  EOS: HEVC_NAL_EOS,
  EOB: HEVC_NAL_EOB,
  FD: HEVC_NAL_FD,
  SEI_PREFIX: HEVC_NAL_SEI_PREFIX,
  SEI_SUFFIX: HEVC_NAL_SEI_SUFFIX,
} as const;

/** Access unit delimiter: type 35, layer 0, temporal id 0 (+1), pic_type 2 (I, P, B) + stop bit. Never mutate. */
export const HEVC_AUD_NAL: Buffer = Buffer.from([0x46, 0x01, 0x50]);

export function hevcNalType(nal: Buffer): number {
  if (nal.length < 2) throw new BitstreamError('BITSTREAM_TRUNCATED', `HEVC NAL unit of ${nal.length} bytes`);
  return (nal[0] >> 1) & 0x3f;
}

/** IRAP pictures (BLA, IDR, CRA and reserved 22..23) are random access points: a decoder can start there. */
export function isHevcIrap(type: number): boolean {
  return type >= HEVC_NAL_BLA_W_LP && type <= 23;
}
