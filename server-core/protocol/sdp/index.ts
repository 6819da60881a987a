export { formatGroup, type MediaGroup, parseGroup } from './bundle-group.js';
export { formatCandidate, type IceCandidate, parseCandidate } from './candidate.js';
export {
  type H264Choice,
  type H264ProfileMatch,
  type OfferedCodec,
  offeredCodecs,
  selectH264,
  selectOpus,
} from './codec-selection.js';
export {
  type Extmap,
  formatExtmap,
  isTwccExtension,
  MID_EXTENSION_URI,
  parseExtmap,
  TWCC_EXTENSION_URI,
} from './extmap.js';
export { type DtlsFingerprint, formatFingerprint, parseFingerprint } from './fingerprint.js';
export { type Fmtp, formatFmtp, parseFmtp } from './fmtp.js';
export {
  DEFAULT_PROFILE_LEVEL_ID,
  formatProfileLevelId,
  type H264ProfileClass,
  type H264ProfileLevel,
  h264LevelRank,
  h264ProfileClass,
  h264ProfileDecodes,
  parseProfileLevelId,
} from './h264-profile-level-id.js';
export { buildIceLiteAnswer, type IceLiteAnswerOptions, type SendSource } from './ice-lite-answer.js';
export { type MediaDirection, mediaDirection, reverseDirection } from './media-direction.js';
export {
  DEFAULT_KEPT_FEEDBACK,
  type NegotiatedMedia,
  type NegotiatedOffer,
  type NegotiateOptions,
  negotiateOffer,
  type WebRtcRole,
} from './offer-negotiation.js';
export { feedbackName, formatRtcpFeedback, parseRtcpFeedback, type RtcpFeedback } from './rtcp-fb.js';
export { formatRtpmap, parseRtpmap, type Rtpmap } from './rtpmap.js';
export {
  attributeLine,
  attributeName,
  attributeValue,
  attributeValues,
  hasAttribute,
  mediaOrSessionAttribute,
} from './sdp-attributes.js';
export { SdpError, type SdpErrorCode } from './sdp-error.js';
export {
  parseSdp,
  SDP_MAX_LINES,
  SDP_MAX_MEDIA_SECTIONS,
  SDP_MAX_SIZE,
  type SdpLine,
  type SdpMediaSection,
  type SessionDescription,
  serializeSdp,
} from './session-description.js';
export {
  formatSsrcAttribute,
  formatSsrcGroup,
  parseSsrcAttribute,
  parseSsrcGroup,
  type SsrcAttribute,
  type SsrcGroup,
} from './ssrc.js';
export {
  formatIceRestartFragment,
  MAX_FRAGMENT_BYTES,
  parseTrickleIceFragment,
  TRICKLE_ICE_SDPFRAG,
  type TrickleIceFragment,
} from './trickle-ice-fragment.js';
export { answerWebRtcOffer } from './webrtc-answer.js';
