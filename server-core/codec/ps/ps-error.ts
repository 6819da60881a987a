/**
 * Codes of the MPEG program stream parsers and writers:
 * - INVALID: a field holds a value the spec forbids (no start code, a marker pattern that is not there).
 * - TRUNCATED: a structure is shorter than its own length fields say.
 * - CRC: a program stream map whose CRC_32 does not match.
 * - TOO_LARGE: beyond one of our named size limits.
 * - BAD_INPUT: the muxer was handed something it cannot carry.
 */
export type PsErrorCode = 'PS_INVALID' | 'PS_TRUNCATED' | 'PS_CRC' | 'PS_TOO_LARGE' | 'PS_BAD_INPUT';

export class PsError extends Error {
  constructor(
    readonly code: PsErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PsError';
  }
}
