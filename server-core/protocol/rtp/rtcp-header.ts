import { RtpError } from './rtp-error.js';

/** RTCP packet types (RFC 3550 12.1, RFC 4585 6.1). */
export const RTCP_SR = 200;
export const RTCP_RR = 201;
export const RTCP_SDES = 202;
export const RTCP_BYE = 203;
export const RTCP_APP = 204;
export const RTCP_RTPFB = 205;
export const RTCP_PSFB = 206;
export const RTCP_XR = 207;

export const RTCP_HEADER_SIZE = 4;
/** The 5-bit count / FMT field. */
export const RTCP_MAX_COUNT = 31;
/** The 16-bit length field counts 32-bit words minus one. */
export const RTCP_MAX_PACKET_SIZE = (0xffff + 1) * 4;

export interface RtcpCommonHeader {
  padding: boolean;
  /** Report count, source count or feedback FMT, by packet type. */
  count: number;
  packetType: number;
  /** Whole packet size in bytes, header and padding included. */
  size: number;
}

/**
 * RTCP common header (RFC 3550 6.4.1):
 *
 *   | V=2 | P | count u5 | packet type u8 | length u16 (32-bit words - 1) |
 */
export function readRtcpHeader(buf: Buffer, at: number): RtcpCommonHeader {
  if (buf.length - at < RTCP_HEADER_SIZE)
    throw new RtpError('RTCP_TRUNCATED', `RTCP header in ${buf.length - at} bytes`);
  const b0 = buf[at];
  if (b0 >> 6 !== 2) throw new RtpError('RTCP_INVALID', `RTCP version ${b0 >> 6}`);
  const size = (buf.readUInt16BE(at + 2) + 1) * 4;
  if (size > buf.length - at)
    throw new RtpError('RTCP_TRUNCATED', `RTCP packet of ${size} bytes, ${buf.length - at} left`);
  return { padding: (b0 & 0x20) !== 0, count: b0 & 0x1f, packetType: buf[at + 1], size };
}

export function writeRtcpHeader(out: Buffer, at: number, count: number, packetType: number, size: number): void {
  if (!Number.isInteger(count) || count < 0 || count > RTCP_MAX_COUNT) {
    throw new RtpError('RTP_BAD_ARGUMENT', `RTCP count ${count}`);
  }
  if (size % 4 !== 0 || size < RTCP_HEADER_SIZE || size > RTCP_MAX_PACKET_SIZE) {
    throw new RtpError('RTCP_TOO_LARGE', `RTCP packet of ${size} bytes`);
  }
  out[at] = 0x80 | count;
  out[at + 1] = packetType;
  out.writeUInt16BE(size / 4 - 1, at + 2);
}

/** Bytes of the packet body: after the 4-byte header, padding removed. */
export function rtcpBody(buf: Buffer, at: number, header: RtcpCommonHeader): Buffer {
  let end = at + header.size;
  if (header.padding) {
    const padding = buf[end - 1];
    if (padding === 0 || padding > header.size - RTCP_HEADER_SIZE) {
      throw new RtpError('RTCP_INVALID', `RTCP padding of ${padding} bytes`);
    }
    end -= padding;
  }
  return buf.subarray(at + RTCP_HEADER_SIZE, end);
}

export function checkUint32(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff)
    throw new RtpError('RTP_BAD_ARGUMENT', `${what} ${value}`);
}
