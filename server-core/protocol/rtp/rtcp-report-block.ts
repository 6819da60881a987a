import { checkUint32 } from './rtcp-header.js';
import { RtpError } from './rtp-error.js';

/** Reception report block (RFC 3550 6.4.1), carried by SR and RR. */
export interface RtcpReportBlock {
  ssrc: number;
  /** Fraction lost since the last report, in 1/256. */
  fractionLost: number;
  /** Cumulative packets lost, signed 24 bits (duplicates can make it negative). */
  cumulativeLost: number;
  /** Extended highest sequence number received: cycles << 16 | highest. */
  highestSequence: number;
  jitter: number;
  /** Middle 32 bits of the last SR's NTP timestamp (LSR), 0 if none. */
  lastSenderReport: number;
  /** Delay since that SR, in 1/65536 seconds (DLSR). */
  delaySinceLastSenderReport: number;
}

export const RTCP_REPORT_BLOCK_SIZE = 24;
const MAX_LOST = 0x7fffff;
const MIN_LOST = -0x800000;

/**
 *   | SSRC u32 | fraction lost u8 | cumulative lost s24 | extended highest seq u32 | jitter u32 |
 *   | last SR (LSR) u32 | delay since last SR (DLSR) u32 |
 */
export function readReportBlock(buf: Buffer, at: number): RtcpReportBlock {
  if (buf.length - at < RTCP_REPORT_BLOCK_SIZE) throw new RtpError('RTCP_TRUNCATED', 'report block');
  return {
    ssrc: buf.readUInt32BE(at),
    fractionLost: buf[at + 4],
    cumulativeLost: buf.readIntBE(at + 5, 3),
    highestSequence: buf.readUInt32BE(at + 8),
    jitter: buf.readUInt32BE(at + 12),
    lastSenderReport: buf.readUInt32BE(at + 16),
    delaySinceLastSenderReport: buf.readUInt32BE(at + 20),
  };
}

export function writeReportBlock(out: Buffer, at: number, block: RtcpReportBlock): void {
  checkUint32(block.ssrc, 'report SSRC');
  if (!Number.isInteger(block.fractionLost) || block.fractionLost < 0 || block.fractionLost > 255) {
    throw new RtpError('RTP_BAD_ARGUMENT', `fraction lost ${block.fractionLost}`);
  }
  checkUint32(block.highestSequence, 'highest sequence');
  checkUint32(block.jitter, 'jitter');
  checkUint32(block.lastSenderReport, 'LSR');
  checkUint32(block.delaySinceLastSenderReport, 'DLSR');
  out.writeUInt32BE(block.ssrc, at);
  out[at + 4] = block.fractionLost;
  // Clamped, as RFC 3550 A.3 does for the 24-bit field.
  const lost = Math.max(MIN_LOST, Math.min(MAX_LOST, Math.trunc(block.cumulativeLost)));
  out.writeIntBE(lost, at + 5, 3);
  out.writeUInt32BE(block.highestSequence, at + 8);
  out.writeUInt32BE(block.jitter, at + 12);
  out.writeUInt32BE(block.lastSenderReport, at + 16);
  out.writeUInt32BE(block.delaySinceLastSenderReport, at + 20);
}
