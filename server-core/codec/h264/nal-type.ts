/** H.264 NAL unit types (ITU-T H.264 Table 7-1). */
export const H264_NAL = { SLICE: 1, IDR: 5, SEI: 6, SPS: 7, PPS: 8, AUD: 9 } as const;

export function h264NalType(nal: Buffer): number {
  return nal.length > 0 ? nal[0] & 0x1f : 0;
}

/** Access unit delimiter, primary_pic_type 7 (any slice type). */
export const H264_AUD_NAL = Buffer.from([0x09, 0xf0]);
