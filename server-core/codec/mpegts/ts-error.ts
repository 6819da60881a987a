/**
 * Codes of the MPEG-TS parsers and writers:
 * - INVALID: a field holds a value the spec forbids (no sync byte, a length pointing outside its packet).
 * - TRUNCATED: a structure is shorter than its own length fields say.
 * - CRC: a PSI section whose CRC_32 does not match.
 * - TOO_LARGE: beyond one of our named size limits.
 * - BAD_INPUT: the muxer was handed something it cannot carry (no codec configuration, malformed access unit).
 */
export type TsErrorCode = 'TS_INVALID' | 'TS_TRUNCATED' | 'TS_CRC' | 'TS_TOO_LARGE' | 'TS_BAD_INPUT';

export class TsError extends Error {
  constructor(
    readonly code: TsErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TsError';
  }
}
