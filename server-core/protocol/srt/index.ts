export { type Ack, decodeAck, encodeAck, isLightAck } from './ack.js';
export {
  CallerHandshake,
  type CallerHandshakeOptions,
  type CallerHandshakeOutput,
  HANDSHAKE_RETRY_MS,
} from './caller-handshake.js';
export {
  type ControlBody,
  datagramBytes,
  encodeControl,
  KEEPALIVE_INTERVAL_MS,
  MAX_PAYLOAD_SIZE,
  PEER_IDLE_TIMEOUT_MS,
  type ReceivedPayload,
  type SrtConnectionEvent,
  type SrtDatagram,
  type SrtOutputs,
} from './connection-outputs.js';
export { type ControlPacket, ControlType, encodeControlPacket, parseControlPacket } from './control-packet.js';
export {
  type DataPacket,
  encodeDataPacket,
  KeyFlag,
  PacketPosition,
  parseDataPacket,
  SRT_HEADER_SIZE,
} from './data-packet.js';
export {
  decodeHandshake,
  ExtensionType,
  encodeHandshake,
  findExtension,
  type Handshake,
  type HandshakeExtension,
  HandshakeFlag,
  HandshakeType,
} from './handshake.js';
export { decodeHsExtension, encodeHsExtension, type HsExtension, SrtFlag } from './hs-extension.js';
export { decodeKeyMaterial, encodeKeyMaterial, type KeyMaterial, KmState } from './key-material.js';
export { answerKeyRefresh, type KeyRefreshAnswer } from './key-refresh.js';
export { aesKeyUnwrap, aesKeyWrap } from './key-wrap.js';
export {
  type CookieIssuer,
  DEFAULT_LATENCY_MS,
  ListenerHandshake,
  type ListenerHandshakeOptions,
  type ListenerHandshakeOutput,
  type SrtAuthorization,
  type SrtAuthorizeRequest,
  type SrtConnectionParams,
} from './listener-handshake.js';
export { decodeLossList, encodeLossList, type SeqRange } from './loss-list.js';
export { destinationSocketId, encodePacket, parsePacket, type SrtPacket } from './packet.js';
export { PayloadCipher } from './payload-cipher.js';
export { decodePeerIp, encodePeerIp } from './peer-ip.js';
export { SrtReceiver, type SrtReceiverOptions, type SrtReceiverStats } from './receiver.js';
export { AccessReason, RejectReason, rejectionHandshakeType, rejectionReason, USER_REJECT_BASE } from './rejection.js';
export { SrtSender, type SrtSenderOptions, type SrtSenderStats } from './sender.js';
export { SEQ_MAX, seqAdd, seqCompare, seqInc, seqLength, seqOffset } from './seq.js';
export { SrtError, type SrtErrorCode } from './srt-error.js';
export { parseStreamId, type SrtStreamId, type SrtStreamMode } from './stream-id.js';
export { MAX_STREAM_ID_BYTES } from './stream-id-extension.js';
export { deriveKek, type StreamKeys, unwrapStreamKeys, wrapStreamKeys } from './stream-keys.js';
export { type SrtPeer, SynCookies } from './syn-cookie.js';
