/** MPEG-TS constants (ISO/IEC 13818-1). */
export const TS_PACKET_SIZE = 188;
export const TS_SYNC_BYTE = 0x47;
export const PID_PAT = 0x0000;
export const PID_PMT = 0x1000;
export const PID_VIDEO = 0x0100;
export const PID_AUDIO = 0x0101;
export const PROGRAM_NUMBER = 1;

/** Stream types (Table 2-34 and registered extensions). */
export const STREAM_TYPE = {
  MP3: 0x03,
  MP3_MPEG2: 0x04,
  PRIVATE_PES: 0x06,
  AAC_ADTS: 0x0f,
  H264: 0x1b,
  HEVC: 0x24,
} as const;

/** The 33-bit PTS/DTS/PCR base wraps here. */
export const TIMESTAMP_WRAP = 2 ** 33;
export const TS_CLOCK = 90_000;
