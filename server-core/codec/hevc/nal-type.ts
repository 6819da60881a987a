/** HEVC NAL unit types (ITU-T H.265 Table 7-1). */
export const HEVC_NAL = { BLA_W_LP: 16, IDR_W_RADL: 19, IDR_N_LP: 20, CRA: 21, VPS: 32, SPS: 33, PPS: 34, AUD: 35 } as const;

export function hevcNalType(nal: Buffer): number {
  return nal.length > 0 ? (nal[0] >> 1) & 0x3f : 0;
}

/** Intra random access point pictures (BLA, IDR, CRA: types 16-23). */
export function isHevcIrap(type: number): boolean {
  return type >= 16 && type <= 23;
}

/** Access unit delimiter, pic_type 2 (any). */
export const HEVC_AUD_NAL = Buffer.from([0x46, 0x01, 0x50]);
