export {
  DEFAULT_MAX_ACCESS_UNIT_SIZE,
  DEFAULT_MAX_NALS_PER_ACCESS_UNIT,
  type H264AccessUnit,
  H264Depacketizer,
  type H264DepacketizerOptions,
  type H264DepacketizerStats,
  type H264RtpInput,
} from './h264-depacketizer.js';
export {
  DEFAULT_H264_MAX_PAYLOAD_SIZE,
  H264Packetizer,
  type H264PacketizerOptions,
  MAX_H264_MAX_PAYLOAD_SIZE,
  MIN_H264_MAX_PAYLOAD_SIZE,
  packetizeH264Nals,
} from './h264-packetizer.js';
export { H264_RTP_CLOCK_RATE, H264_RTP_FU_A, H264_RTP_STAP_A, type RtpPayloadUnit } from './h264-payload-format.js';
export {
  buildHeaderExtensions,
  type ExtensionForm,
  extensionForm,
  ONE_BYTE_EXTENSION_PROFILE,
  parseHeaderExtensions,
  type RtpExtensionElement,
  TWO_BYTE_EXTENSION_PROFILE,
} from './header-extensions.js';
export { RtpHeaderRewriter, type RtpHeaderRewriterOptions, type RtpSourcePacket } from './header-rewriter.js';
export { type NtpTimestamp, ntpFromUnixMs, ntpMiddle32, unixMsFromNtp } from './ntp-time.js';
export {
  depacketizeOpus,
  OPUS_MAX_PACKET_SIZE,
  OPUS_RTP_CHANNELS,
  OPUS_RTP_CLOCK_RATE,
  packetizeOpus,
} from './opus-payload-format.js';
export {
  frameRfc4571,
  RFC4571_MAX_FRAME,
  Rfc4571Deframer,
  type Rfc4571DeframerOptions,
  rfc4571Prefix,
} from './rfc4571-framing.js';
export type { RtcpBye } from './rtcp-bye.js';
export {
  isRtcpPacket,
  parseRtcpCompound,
  RTCP_MAX_PACKETS_PER_COMPOUND,
  type RtcpPacket,
  type RtcpUnknown,
  serializeRtcpCompound,
} from './rtcp-compound.js';
export { RTCP_APP, RTCP_BYE, RTCP_PSFB, RTCP_RR, RTCP_RTPFB, RTCP_SDES, RTCP_SR, RTCP_XR } from './rtcp-header.js';
export {
  type NackFci,
  nackFcisToSequences,
  RTCP_MAX_NACK_FCIS,
  type RtcpGenericNack,
  sequencesToNackFcis,
} from './rtcp-nack.js';
export type { RtcpFirEntry, RtcpFullIntraRequest, RtcpPictureLossIndication } from './rtcp-payload-feedback.js';
export type { RtcpReportBlock } from './rtcp-report-block.js';
export {
  type RtcpSdesChunk,
  type RtcpSdesItem,
  type RtcpSourceDescription,
  SDES_CNAME,
  sdesCname,
} from './rtcp-sdes.js';
export type { RtcpReceiverReport, RtcpSenderReport } from './rtcp-sender-report.js';
export { msToRtpTicks, rtpTicksToMs, rtpTimestampFromMs } from './rtp-clock.js';
export { RtpError, type RtpErrorCode } from './rtp-error.js';
export {
  parseRtpPacket,
  RTP_FIXED_HEADER_SIZE,
  type RtpHeader,
  type RtpHeaderExtension,
  type RtpPacket,
  type RtpPacketInit,
  rtpHeaderSize,
  serializeRtpPacket,
  writeRtpHeader,
} from './rtp-packet.js';
export { SEQUENCE_MODULO, SequenceUnwrapper, seqAdd, seqDiff, seqIsNewer } from './sequence-number.js';
export { TIMESTAMP_MODULO, TimestampUnwrapper, timestampDiff } from './timestamp-unwrapper.js';
