export { certificateFingerprint, createDtlsCertificate, type DtlsCertificate } from './dtls-certificate.js';
export { RtcError, type RtcErrorCode } from './rtc-error.js';
export type { RtcPath } from './rtc-path.js';
export {
  type RtcCloseReason,
  type RtcMediaKind,
  RtcSession,
  type RtcSessionEvents,
  type RtcSessionState,
  type RtcSessionStats,
} from './rtc-session.js';
export {
  type CreatedRtcSession,
  type CreateRtcSessionOptions,
  DEFAULT_CONSENT_TIMEOUT_MS,
  DEFAULT_RTC_PORT,
  RtcTransport,
  type RtcTransportOptions,
} from './rtc-transport.js';
export type { RtcUdpMuxStats } from './rtc-udp-mux.js';
export { SRTP_AEAD_AES_128_GCM, SRTP_AES128_CM_HMAC_SHA1_80, SrtpContext, type SrtpProfileId } from './srtp-context.js';
