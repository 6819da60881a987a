export {
  authorization,
  callId,
  contactHeaders,
  contentType,
  cseqHeader,
  expiresHeader,
  fromHeader,
  maxForwards,
  toHeader,
  topVia,
  viaHeaders,
  wwwAuthenticate,
} from './accessors.js';
export { type AuthHeader, formatAuthHeader, parseAuthHeader } from './auth-header.js';
export {
  type AddressInput,
  buildAckFor2xx,
  buildRequest,
  buildResponse,
  newBranch,
  newCallId,
  newTag,
  type RandomBytes,
  type RequestOptions,
  type ResponseOptions,
  stampReceived,
} from './builders.js';
export {
  ackForFailure,
  ClientTransaction,
  type ClientTransactionOptions,
  type ClientTransactionState,
} from './client-transaction.js';
export { type CSeq, formatCSeq, parseCSeq } from './cseq.js';
export {
  checkNonce,
  createNonce,
  DEFAULT_NONCE_TTL_MS,
  type DigestChallengeOptions,
  type DigestClientOptions,
  type DigestInput,
  type DigestVerdict,
  type DigestVerifyOptions,
  digestChallenge,
  digestCredentials,
  digestResponse,
  type NonceState,
  verifyDigest,
} from './digest.js';
export {
  buildGbSdp,
  type GbMediaFormat,
  type GbSdp,
  type GbSdpMedia,
  type GbSdpRtpmap,
  gbSsrc,
  isTcpMedia,
  MAX_SDP_BYTES,
  parseGbMediaFormat,
  parseGbSdp,
  ssrcNumber,
} from './gb-sdp.js';
export { canonicalHeaderName } from './header-names.js';
export { MAX_SIP_BODY_BYTES, MAX_SIP_DATAGRAM_BYTES, MAX_SIP_HEADER_BYTES, MAX_SIP_HEADERS } from './limits.js';
export * from './manscdp/index.js';
export {
  addHeader,
  getHeader,
  getHeaders,
  removeHeader,
  SIP_VERSION,
  type SipHeader,
  type SipMessage,
  type SipRequest,
  type SipResponse,
  setHeader,
  splitList,
} from './message.js';
export { formatNameAddr, type NameAddr, nameAddrUri, nameAddrUser, parseNameAddr } from './name-addr.js';
export { formatParams, parseParams, type SipParams } from './params.js';
export { contentLength, findHeaderEnd, parseSipDatagram, parseSipHead, type SipHead } from './parser.js';
export { REASON_PHRASES, reasonPhrase } from './reason-phrases.js';
export { serializeSipMessage } from './serializer.js';
export {
  ServerTransaction,
  type ServerTransactionOptions,
  type ServerTransactionState,
} from './server-transaction.js';
export { SipError, type SipErrorCode } from './sip-error.js';
export { formatSipUri, parseSipUri, type SipUri } from './sip-uri.js';
export { type SipFramerOutput, SipStreamFramer } from './stream-framer.js';
export { clientTransactionKey, serverTransactionKey } from './transaction-key.js';
export {
  DEFAULT_TIMERS,
  TIMER_D_UNRELIABLE_MS,
  type TransactionOutput,
  type TransactionTimers,
  transactionTimeout,
} from './transaction-timers.js';
export { BRANCH_MAGIC_COOKIE, formatVia, parseVia, type Via } from './via.js';
