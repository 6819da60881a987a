/**
 * RTP payload structures of H.264 (RFC 6184 5.2, 5.4): the payload's first byte is a NAL unit header whose
 * type 1..23 means a single NAL unit packet, 24..29 an aggregation or fragmentation unit.
 *
 *   NAL header / indicator: | F u1 | NRI u2 | type u5 |
 *   STAP-A (5.7.1): | indicator (type 24) | { NAL size u16 | NAL unit } ... |
 *   FU-A   (5.8):   | indicator (type 28) | S u1 | E u1 | R u1 | NAL type u5 | fragment |
 */
export const H264_RTP_STAP_A = 24;
export const H264_RTP_STAP_B = 25;
export const H264_RTP_MTAP16 = 26;
export const H264_RTP_MTAP24 = 27;
export const H264_RTP_FU_A = 28;
export const H264_RTP_FU_B = 29;

export const FU_START = 0x80;
export const FU_END = 0x40;
export const NAL_TYPE_MASK = 0x1f;
/** F and NRI bits of a NAL header. */
export const NAL_F_NRI_MASK = 0xe0;

/** RTP clock of every video payload format here (RFC 6184 8.2.1). */
export const H264_RTP_CLOCK_RATE = 90_000;

/** Payload of one RTP packet and whether it carries the marker bit (last packet of an access unit). */
export interface RtpPayloadUnit {
  payload: Buffer;
  marker: boolean;
}
