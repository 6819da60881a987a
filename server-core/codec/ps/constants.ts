/** MPEG program stream constants (ISO/IEC 13818-1 2.5). */

/** Table 2-33 start codes: 00 00 01 then one of these. */
export const PS_START_CODE_PREFIX = Buffer.from([0x00, 0x00, 0x01]);
export const PACK_START_CODE = 0xba;
export const SYSTEM_HEADER_START_CODE = 0xbb;
export const PROGRAM_END_CODE = 0xb9;

/** Table 2-22 stream_id values a program stream carries. */
export const STREAM_ID = {
  PROGRAM_STREAM_MAP: 0xbc,
  PRIVATE_STREAM_1: 0xbd,
  PADDING: 0xbe,
  PRIVATE_STREAM_2: 0xbf,
  /** 110x xxxx: MPEG audio streams 0xC0-0xDF. */
  AUDIO_FIRST: 0xc0,
  AUDIO_LAST: 0xdf,
  /** 1110 xxxx: video streams 0xE0-0xEF. */
  VIDEO_FIRST: 0xe0,
  VIDEO_LAST: 0xef,
  PROGRAM_STREAM_DIRECTORY: 0xff,
} as const;

/** Stream types of a program stream map, as GB/T 28181 appendix C assigns them. */
export const PS_STREAM_TYPE = {
  H264: 0x1b,
  HEVC: 0x24,
  AAC: 0x0f,
  /** SVAC video and audio exist in GB/T 28181 too; we do not carry them. */
  G711A: 0x90,
  G711U: 0x91,
} as const;

/** The PS system clock (SCR base, PTS, DTS) runs at 90 kHz. */
export const PS_CLOCK_HZ = 90_000;

/** Bytes of a start code plus stream_id / start-code value. */
export const START_CODE_SIZE = 4;
/** MPEG-2 pack header without stuffing (2.5.3.3). */
export const PACK_HEADER_SIZE = 14;
/** MPEG-1 pack header (ISO/IEC 11172-1 2.4.3.2), accepted when reading. */
export const MPEG1_PACK_HEADER_SIZE = 12;
/** Start code, stream_id and the 16-bit length of system header, PSM and PES packets. */
export const LENGTH_PREFIX_SIZE = 6;
/** PES_packet_length is 16 bits. */
export const MAX_PES_PACKET_LENGTH = 0xffff;
/** 2.5.4.2: program_stream_map_length is at most 0x3FA (1018). We accept a little more from sloppy devices. */
export const MAX_PSM_LENGTH = 0x3fa + 64;

/** Limits of the demuxer, overridable per instance. */
/** Largest reassembled video access unit (several PES packets of one picture). */
export const MAX_ACCESS_UNIT_SIZE = 8 * 1024 * 1024;
/** Largest PES with PES_packet_length 0 (unbounded video, not allowed in PS but sent by some encoders). */
export const MAX_UNBOUNDED_PES_SIZE = 2 * 1024 * 1024;
