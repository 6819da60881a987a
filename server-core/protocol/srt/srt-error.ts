/**
 * Codes of the SRT parsers and state machines:
 * - SRT_TRUNCATED: a packet or structure shorter than its fixed layout or its own length fields say.
 * - SRT_INVALID: a field holds a value the spec forbids (a loss-list range without its end, a reversed range).
 * - SRT_TOO_LARGE: beyond one of our named size limits (stream id over 512 bytes, too many extensions).
 * - SRT_BAD_STREAM_ID: a stream id we cannot map to app/stream (missing, no resource, unknown mode).
 * - SRT_CRYPTO: key material we cannot use (bad lengths, failed key-unwrap integrity check, unknown cipher).
 */
export type SrtErrorCode = 'SRT_TRUNCATED' | 'SRT_INVALID' | 'SRT_TOO_LARGE' | 'SRT_BAD_STREAM_ID' | 'SRT_CRYPTO';

export class SrtError extends Error {
  constructor(
    readonly code: SrtErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SrtError';
  }
}
