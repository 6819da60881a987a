import { byeSize, type RtcpBye, readBye, writeBye } from './rtcp-bye.js';
import {
  RTCP_BYE,
  RTCP_HEADER_SIZE,
  RTCP_PSFB,
  RTCP_RR,
  RTCP_RTPFB,
  RTCP_SDES,
  RTCP_SR,
  readRtcpHeader,
  rtcpBody,
  writeRtcpHeader,
} from './rtcp-header.js';
import {
  genericNackSize,
  RTPFB_FMT_NACK,
  type RtcpGenericNack,
  readGenericNack,
  writeGenericNack,
} from './rtcp-nack.js';
import {
  PSFB_FMT_FIR,
  PSFB_FMT_PLI,
  payloadFeedbackSize,
  type RtcpFullIntraRequest,
  type RtcpPictureLossIndication,
  readFir,
  readPli,
  writePayloadFeedback,
} from './rtcp-payload-feedback.js';
import { type RtcpSourceDescription, readSdes, sdesSize, writeSdes } from './rtcp-sdes.js';
import {
  type RtcpReceiverReport,
  type RtcpSenderReport,
  readReceiverReport,
  readSenderReport,
  reportSize,
  writeReport,
} from './rtcp-sender-report.js';
import { RtpError } from './rtp-error.js';

/** Any packet we do not model (APP, XR, TWCC, REMB, ...): kept whole so it can be forwarded or counted. */
export interface RtcpUnknown {
  type: 'unknown';
  packetType: number;
  /** The 5-bit count / FMT field. */
  count: number;
  /** Body after the common header, padding removed; a multiple of 4 bytes when serialized. */
  body: Buffer;
}

export type RtcpPacket =
  | RtcpSenderReport
  | RtcpReceiverReport
  | RtcpSourceDescription
  | RtcpBye
  | RtcpGenericNack
  | RtcpPictureLossIndication
  | RtcpFullIntraRequest
  | RtcpUnknown;

/** Packets in one compound packet we parse; a UDP datagram holds far fewer. */
export const RTCP_MAX_PACKETS_PER_COMPOUND = 64;

/**
 * A compound RTCP packet (RFC 3550 6.1): RTCP packets back to back, each with its common header, padding
 * allowed on each (strictly only the last). Reduced-size RTCP (RFC 5506) is accepted: no SR/RR first rule.
 */
export function parseRtcpCompound(buf: Buffer): RtcpPacket[] {
  if (buf.length === 0) throw new RtpError('RTCP_TRUNCATED', 'empty RTCP packet');
  const packets: RtcpPacket[] = [];
  let at = 0;
  while (at < buf.length) {
    if (packets.length === RTCP_MAX_PACKETS_PER_COMPOUND) {
      throw new RtpError('RTCP_TOO_LARGE', `more than ${RTCP_MAX_PACKETS_PER_COMPOUND} packets in a compound`);
    }
    const header = readRtcpHeader(buf, at);
    const body = rtcpBody(buf, at, header);
    packets.push(readOne(header.packetType, header.count, body));
    at += header.size;
  }
  return packets;
}

function readOne(packetType: number, count: number, body: Buffer): RtcpPacket {
  switch (packetType) {
    case RTCP_SR:
      return readSenderReport(body, count);
    case RTCP_RR:
      return readReceiverReport(body, count);
    case RTCP_SDES:
      return readSdes(body, count);
    case RTCP_BYE:
      return readBye(body, count);
    case RTCP_RTPFB:
      if (count === RTPFB_FMT_NACK) return readGenericNack(body);
      break;
    case RTCP_PSFB:
      if (count === PSFB_FMT_PLI) return readPli(body);
      if (count === PSFB_FMT_FIR) return readFir(body);
      break;
  }
  return { type: 'unknown', packetType, count, body };
}

function sizeOf(packet: RtcpPacket): number {
  switch (packet.type) {
    case 'sr':
    case 'rr':
      return reportSize(packet);
    case 'sdes':
      return sdesSize(packet);
    case 'bye':
      return byeSize(packet);
    case 'nack':
      return genericNackSize(packet);
    case 'pli':
    case 'fir':
      return payloadFeedbackSize(packet);
    case 'unknown':
      if (packet.body.length % 4 !== 0)
        throw new RtpError('RTP_BAD_ARGUMENT', `RTCP body of ${packet.body.length} bytes`);
      return RTCP_HEADER_SIZE + packet.body.length;
  }
}

function writeOne(out: Buffer, at: number, packet: RtcpPacket): number {
  switch (packet.type) {
    case 'sr':
    case 'rr':
      return writeReport(out, at, packet);
    case 'sdes':
      return writeSdes(out, at, packet);
    case 'bye':
      return writeBye(out, at, packet);
    case 'nack':
      return writeGenericNack(out, at, packet);
    case 'pli':
    case 'fir':
      return writePayloadFeedback(out, at, packet);
    case 'unknown': {
      const size = RTCP_HEADER_SIZE + packet.body.length;
      writeRtcpHeader(out, at, packet.count, packet.packetType, size);
      packet.body.copy(out, at + RTCP_HEADER_SIZE);
      return size;
    }
  }
}

/** One buffer holding the packets in order, without padding. */
export function serializeRtcpCompound(packets: RtcpPacket[]): Buffer {
  let total = 0;
  for (const packet of packets) total += sizeOf(packet);
  const out = Buffer.alloc(total);
  let at = 0;
  for (const packet of packets) at += writeOne(out, at, packet);
  return out;
}

/**
 * RTP/RTCP demultiplexing on one port (RFC 5761 4): the second byte of RTCP is its packet type, 192..223
 * (which RTP would read as marker + payload type 64..95, a range RTP must not use with rtcp-mux).
 */
export function isRtcpPacket(buf: Buffer): boolean {
  return buf.length >= RTCP_HEADER_SIZE && buf[0] >> 6 === 2 && buf[1] >= 192 && buf[1] <= 223;
}
