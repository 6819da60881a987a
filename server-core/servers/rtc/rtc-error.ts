/**
 * The one error type of the WebRTC transport (servers/rtc).
 * - STUN_*: a STUN message that is truncated, malformed or fails its integrity or fingerprint check.
 * - SRTP_*: an SRTP/SRTCP packet that is too short, fails authentication or is a replay.
 * - DTLS_*: the DTLS handshake failed or the peer's certificate does not match the SDP fingerprint.
 * - SESSION_*: the session is closed or was asked for something it cannot do.
 */
export type RtcErrorCode =
  | 'STUN_TRUNCATED'
  | 'STUN_INVALID'
  | 'STUN_INTEGRITY'
  | 'STUN_FINGERPRINT'
  | 'SRTP_TRUNCATED'
  | 'SRTP_AUTH'
  | 'SRTP_REPLAY'
  | 'SRTP_UNSUPPORTED'
  | 'DTLS_FAILED'
  | 'DTLS_FINGERPRINT'
  | 'SESSION_CLOSED'
  | 'SESSION_BAD_ARGUMENT';

export class RtcError extends Error {
  constructor(
    readonly code: RtcErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RtcError';
  }
}
