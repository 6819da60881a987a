/**
 * The one error type of protocol/rtp (RTP, RTCP, payload formats, RFC 4571 framing).
 * - TRUNCATED: shorter than the header or its own length fields say.
 * - INVALID: a field holds a value the spec forbids (version, padding count, extension ids...).
 * - UNSUPPORTED: valid per spec, but not something we handle (e.g. H.264 STAP-B, MTAP, FU-B).
 * - TOO_LARGE: beyond one of our named size limits.
 * - BAD_ARGUMENT: a caller passed a value outside what an encoder can write.
 */
export type RtpErrorCode =
  | 'RTP_TRUNCATED'
  | 'RTP_INVALID'
  | 'RTP_UNSUPPORTED'
  | 'RTP_TOO_LARGE'
  | 'RTP_BAD_ARGUMENT'
  | 'RTCP_TRUNCATED'
  | 'RTCP_INVALID'
  | 'RTCP_TOO_LARGE'
  | 'RTP_FRAME_TOO_LARGE';

export class RtpError extends Error {
  constructor(
    readonly code: RtpErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RtpError';
  }
}
