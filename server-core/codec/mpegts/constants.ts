/** MPEG-TS constants (ISO/IEC 13818-1). */

/** 2.4.3.2: every transport packet is 188 bytes and opens with the sync byte. */
export const TS_PACKET_SIZE = 188;
export const TS_SYNC_BYTE = 0x47;
/** sync_byte, the PID bytes and the continuity byte. */
export const TS_HEADER_SIZE = 4;
/** Payload bytes of a packet without adaptation field. */
export const TS_PAYLOAD_SIZE = TS_PACKET_SIZE - TS_HEADER_SIZE;

/** Table 2-3 fixed PIDs, and the ones our muxer assigns (those SRS and ffmpeg use). */
export const PID_PAT = 0x0000;
export const PID_NULL = 0x1fff;
export const PID_MAX = 0x1fff;
export const DEFAULT_PMT_PID = 0x1000;
export const DEFAULT_VIDEO_PID = 0x0100;
export const DEFAULT_AUDIO_PID = 0x0101;
export const DEFAULT_PROGRAM_NUMBER = 1;
export const DEFAULT_TRANSPORT_STREAM_ID = 1;

/** Table 2-31 table_id values. */
export const TABLE_ID_PAT = 0x00;
export const TABLE_ID_PMT = 0x02;

/** Stream types (Table 2-34, and ISO/IEC 13818-1 amendments for AVC and HEVC). */
export const STREAM_TYPE = {
  /** ISO/IEC 11172-3 (MPEG-1 audio, layers I-III). */
  MPEG1_AUDIO: 0x03,
  /** ISO/IEC 13818-3 (MPEG-2 audio, the lower sample rates). */
  MPEG2_AUDIO: 0x04,
  /** PES packets with private data; the codec comes from descriptors (Opus). */
  PRIVATE_PES: 0x06,
  /** ISO/IEC 13818-7 AAC with ADTS transport syntax. */
  AAC_ADTS: 0x0f,
  H264: 0x1b,
  HEVC: 0x24,
} as const;

/** The 33-bit PTS/DTS/PCR base wraps here. */
export const TIMESTAMP_WRAP = 2 ** 33;
export const TS_CLOCK_HZ = 90_000;

/** A PAT or PMT section is at most 1024 bytes (section_length <= 1021, 2.4.4.3 / 2.4.4.8). */
export const MAX_PSI_SECTION_SIZE = 1024;
/** Largest PES the demuxer reassembles; a bigger one is dropped and counted (a 4K IDR is a few MB). */
export const MAX_PES_SIZE = 16 * 1024 * 1024;
