/**
 * Codes shared by every bit-level parser in codec/ (bits, nal, h264, hevc, aac, av1, opus, mp3).
 * - OVERRUN: a read went past the end of the data.
 * - TRUNCATED: a structure is shorter than its own length fields say.
 * - INVALID: a field holds a value the spec forbids.
 * - UNSUPPORTED: valid per spec, but not something this parser handles.
 * - TOO_LARGE: beyond one of our named size limits.
 */
export type BitstreamErrorCode =
  | 'BITSTREAM_OVERRUN'
  | 'BITSTREAM_TRUNCATED'
  | 'BITSTREAM_INVALID'
  | 'BITSTREAM_UNSUPPORTED'
  | 'BITSTREAM_TOO_LARGE';

export class BitstreamError extends Error {
  constructor(
    readonly code: BitstreamErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BitstreamError';
  }
}
