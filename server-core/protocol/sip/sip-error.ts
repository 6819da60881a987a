/**
 * Codes of the SIP parsers and state machines (and of the GB/T 28181 bodies they carry):
 * - SIP_BAD_START_LINE: not a Request-Line / Status-Line (RFC 3261 7.1, 7.2).
 * - SIP_BAD_HEADER: a header line or a header value that does not follow its grammar.
 * - SIP_TRUNCATED: the message is shorter than its Content-Length says.
 * - SIP_TOO_LARGE: beyond one of our named size limits.
 * - SIP_BAD_INPUT: a builder was handed something it cannot write.
 * - SDP_INVALID: an SDP body (RFC 4566, GB/T 28181 appendix) we cannot read.
 * - MANSCDP_INVALID: an XML body (GB/T 28181 MANSCDP) we cannot read.
 */
export type SipErrorCode =
  | 'SIP_BAD_START_LINE'
  | 'SIP_BAD_HEADER'
  | 'SIP_TRUNCATED'
  | 'SIP_TOO_LARGE'
  | 'SIP_BAD_INPUT'
  | 'SDP_INVALID'
  | 'MANSCDP_INVALID';

export class SipError extends Error {
  constructor(
    readonly code: SipErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SipError';
  }
}
