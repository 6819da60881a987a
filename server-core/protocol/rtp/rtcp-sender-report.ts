import { checkUint32, RTCP_HEADER_SIZE, RTCP_MAX_COUNT, RTCP_RR, RTCP_SR, writeRtcpHeader } from './rtcp-header.js';
import {
  RTCP_REPORT_BLOCK_SIZE,
  type RtcpReportBlock,
  readReportBlock,
  writeReportBlock,
} from './rtcp-report-block.js';
import { RtpError } from './rtp-error.js';

export interface RtcpSenderReport {
  type: 'sr';
  ssrc: number;
  ntpSeconds: number;
  ntpFraction: number;
  rtpTimestamp: number;
  packetCount: number;
  octetCount: number;
  reports: RtcpReportBlock[];
  /** Profile-specific extension after the report blocks, if any. */
  extension?: Buffer;
}

export interface RtcpReceiverReport {
  type: 'rr';
  ssrc: number;
  reports: RtcpReportBlock[];
  extension?: Buffer;
}

const SENDER_INFO_SIZE = 24;

/**
 * SR (RFC 3550 6.4.1), after the common header (count = report blocks):
 *   | sender SSRC | NTP seconds | NTP fraction | RTP timestamp | packet count | octet count |
 *   | report block (24 bytes) x count | profile-specific extension |
 */
export function readSenderReport(body: Buffer, count: number): RtcpSenderReport {
  if (body.length < SENDER_INFO_SIZE + count * RTCP_REPORT_BLOCK_SIZE) {
    throw new RtpError('RTCP_TRUNCATED', `SR with ${count} blocks in ${body.length} bytes`);
  }
  const sr: RtcpSenderReport = {
    type: 'sr',
    ssrc: body.readUInt32BE(0),
    ntpSeconds: body.readUInt32BE(4),
    ntpFraction: body.readUInt32BE(8),
    rtpTimestamp: body.readUInt32BE(12),
    packetCount: body.readUInt32BE(16),
    octetCount: body.readUInt32BE(20),
    reports: readBlocks(body, SENDER_INFO_SIZE, count),
  };
  const rest = SENDER_INFO_SIZE + count * RTCP_REPORT_BLOCK_SIZE;
  if (rest < body.length) sr.extension = body.subarray(rest);
  return sr;
}

/** RR (RFC 3550 6.4.2): | reporter SSRC | report block x count | profile-specific extension | */
export function readReceiverReport(body: Buffer, count: number): RtcpReceiverReport {
  if (body.length < 4 + count * RTCP_REPORT_BLOCK_SIZE) {
    throw new RtpError('RTCP_TRUNCATED', `RR with ${count} blocks in ${body.length} bytes`);
  }
  const rr: RtcpReceiverReport = { type: 'rr', ssrc: body.readUInt32BE(0), reports: readBlocks(body, 4, count) };
  const rest = 4 + count * RTCP_REPORT_BLOCK_SIZE;
  if (rest < body.length) rr.extension = body.subarray(rest);
  return rr;
}

function readBlocks(body: Buffer, at: number, count: number): RtcpReportBlock[] {
  const blocks: RtcpReportBlock[] = [];
  for (let i = 0; i < count; i++) blocks.push(readReportBlock(body, at + i * RTCP_REPORT_BLOCK_SIZE));
  return blocks;
}

export function reportSize(report: RtcpSenderReport | RtcpReceiverReport): number {
  checkReport(report);
  const info = report.type === 'sr' ? SENDER_INFO_SIZE : 4;
  return RTCP_HEADER_SIZE + info + report.reports.length * RTCP_REPORT_BLOCK_SIZE + (report.extension?.length ?? 0);
}

export function writeReport(out: Buffer, at: number, report: RtcpSenderReport | RtcpReceiverReport): number {
  const size = reportSize(report);
  writeRtcpHeader(out, at, report.reports.length, report.type === 'sr' ? RTCP_SR : RTCP_RR, size);
  let p = at + RTCP_HEADER_SIZE;
  out.writeUInt32BE(report.ssrc, p);
  p += 4;
  if (report.type === 'sr') {
    for (const v of [
      report.ntpSeconds,
      report.ntpFraction,
      report.rtpTimestamp,
      report.packetCount,
      report.octetCount,
    ]) {
      out.writeUInt32BE(v, p);
      p += 4;
    }
  }
  for (const block of report.reports) {
    writeReportBlock(out, p, block);
    p += RTCP_REPORT_BLOCK_SIZE;
  }
  if (report.extension) report.extension.copy(out, p);
  return size;
}

function checkReport(report: RtcpSenderReport | RtcpReceiverReport): void {
  checkUint32(report.ssrc, 'SSRC');
  if (report.reports.length > RTCP_MAX_COUNT)
    throw new RtpError('RTP_BAD_ARGUMENT', `${report.reports.length} report blocks`);
  if (report.extension && report.extension.length % 4 !== 0) {
    throw new RtpError('RTP_BAD_ARGUMENT', `report extension of ${report.extension.length} bytes`);
  }
  if (report.type === 'sr') {
    checkUint32(report.ntpSeconds, 'NTP seconds');
    checkUint32(report.ntpFraction, 'NTP fraction');
    checkUint32(report.rtpTimestamp, 'RTP timestamp');
    checkUint32(report.packetCount, 'packet count');
    checkUint32(report.octetCount, 'octet count');
  }
}
