import { checkUint32, RTCP_HEADER_SIZE, RTCP_PSFB, writeRtcpHeader } from './rtcp-header.js';
import { RtpError } from './rtp-error.js';

/** Picture Loss Indication (RFC 4585 6.3.1). */
export interface RtcpPictureLossIndication {
  type: 'pli';
  senderSsrc: number;
  mediaSsrc: number;
}

export interface RtcpFirEntry {
  ssrc: number;
  /** Command sequence number, incremented per new request (RFC 5104 4.3.1.1). */
  sequenceNumber: number;
}

/** Full Intra Request (RFC 5104 4.3.1); the header's media SSRC is 0, targets are in the entries. */
export interface RtcpFullIntraRequest {
  type: 'fir';
  senderSsrc: number;
  mediaSsrc: number;
  entries: RtcpFirEntry[];
}

export const PSFB_FMT_PLI = 1;
export const PSFB_FMT_FIR = 4;
/** FIR entries we read from one packet. */
export const RTCP_MAX_FIR_ENTRIES = 256;
const FEEDBACK_HEADER = 8;

/** PSFB FMT 1: | sender SSRC u32 | media SSRC u32 |  (no FCI) */
export function readPli(body: Buffer): RtcpPictureLossIndication {
  if (body.length < FEEDBACK_HEADER) throw new RtpError('RTCP_TRUNCATED', 'PLI without SSRCs');
  return { type: 'pli', senderSsrc: body.readUInt32BE(0), mediaSsrc: body.readUInt32BE(4) };
}

/** PSFB FMT 4: | sender SSRC u32 | media SSRC u32 = 0 | { SSRC u32 | seq nr u8 | reserved u24 } ... | */
export function readFir(body: Buffer): RtcpFullIntraRequest {
  if (body.length < FEEDBACK_HEADER) throw new RtpError('RTCP_TRUNCATED', 'FIR without SSRCs');
  const count = Math.floor((body.length - FEEDBACK_HEADER) / 8);
  if (count > RTCP_MAX_FIR_ENTRIES) throw new RtpError('RTCP_TOO_LARGE', `FIR with ${count} entries`);
  const entries: RtcpFirEntry[] = [];
  for (let i = 0; i < count; i++) {
    const at = FEEDBACK_HEADER + i * 8;
    entries.push({ ssrc: body.readUInt32BE(at), sequenceNumber: body[at + 4] });
  }
  return { type: 'fir', senderSsrc: body.readUInt32BE(0), mediaSsrc: body.readUInt32BE(4), entries };
}

export function payloadFeedbackSize(packet: RtcpPictureLossIndication | RtcpFullIntraRequest): number {
  return RTCP_HEADER_SIZE + FEEDBACK_HEADER + (packet.type === 'fir' ? packet.entries.length * 8 : 0);
}

export function writePayloadFeedback(
  out: Buffer,
  at: number,
  packet: RtcpPictureLossIndication | RtcpFullIntraRequest,
): number {
  checkUint32(packet.senderSsrc, 'sender SSRC');
  checkUint32(packet.mediaSsrc, 'media SSRC');
  const size = payloadFeedbackSize(packet);
  writeRtcpHeader(out, at, packet.type === 'pli' ? PSFB_FMT_PLI : PSFB_FMT_FIR, RTCP_PSFB, size);
  out.writeUInt32BE(packet.senderSsrc, at + 4);
  out.writeUInt32BE(packet.mediaSsrc, at + 8);
  if (packet.type === 'fir') {
    let p = at + RTCP_HEADER_SIZE + FEEDBACK_HEADER;
    for (const entry of packet.entries) {
      checkUint32(entry.ssrc, 'FIR SSRC');
      if (!Number.isInteger(entry.sequenceNumber) || entry.sequenceNumber < 0 || entry.sequenceNumber > 255) {
        throw new RtpError('RTP_BAD_ARGUMENT', `FIR sequence number ${entry.sequenceNumber}`);
      }
      out.writeUInt32BE(entry.ssrc, p);
      out.writeUInt32BE((entry.sequenceNumber << 24) >>> 0, p + 4);
      p += 8;
    }
  }
  return size;
}
