/**
 * The one error type of protocol/sdp. The message is a plain reason a WHIP/WHEP endpoint can send back
 * with its 400 answer.
 * - SYNTAX: not an SDP (RFC 8866 5 line grammar), or a line we need is malformed.
 * - TOO_LARGE: beyond one of our named size limits.
 * - BAD_ATTRIBUTE: an attribute value does not follow its grammar.
 * - NO_USABLE_MEDIA: no audio or video section we can take (codec, direction, transport).
 * - MISSING_ICE / MISSING_FINGERPRINT: ICE credentials or the DTLS fingerprint are absent.
 * - UNSUPPORTED: valid, but not something we do (no BUNDLE for several sections, no rtcp-mux).
 * - BAD_ARGUMENT: a caller passed something an answer cannot carry.
 */
export type SdpErrorCode =
  | 'SDP_SYNTAX'
  | 'SDP_TOO_LARGE'
  | 'SDP_BAD_ATTRIBUTE'
  | 'SDP_NO_USABLE_MEDIA'
  | 'SDP_MISSING_ICE'
  | 'SDP_MISSING_FINGERPRINT'
  | 'SDP_UNSUPPORTED'
  | 'SDP_BAD_ARGUMENT';

export class SdpError extends Error {
  constructor(
    readonly code: SdpErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SdpError';
  }
}
