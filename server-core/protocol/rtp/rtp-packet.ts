import { RtpError } from './rtp-error.js';

/** Raw header extension block: the profile-defined 16 bits and the data (a multiple of 4 bytes). */
export interface RtpHeaderExtension {
  profile: number;
  data: Buffer;
}

export interface RtpHeader {
  marker: boolean;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  csrcs: number[];
  extension?: RtpHeaderExtension;
}

export interface RtpPacket extends RtpHeader {
  /** Subarray of the parsed buffer, padding excluded. */
  payload: Buffer;
  /** Padding bytes after the payload (including the count byte); 0 when the P bit is clear. */
  paddingSize: number;
}

export type RtpPacketInit = Omit<RtpHeader, 'csrcs'> & { csrcs?: number[]; payload: Buffer; paddingSize?: number };

export const RTP_VERSION = 2;
export const RTP_FIXED_HEADER_SIZE = 12;
export const RTP_MAX_CSRC = 15;
/** Extension length is counted in 32-bit words in a u16. */
export const RTP_MAX_EXTENSION_DATA = 0xffff * 4;
export const RTP_MAX_PADDING = 255;

/**
 * RTP fixed header (RFC 3550 5.1), then CSRCs and the header extension (5.3.1):
 *
 *    0                   1                   2                   3
 *   |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 *   |                           timestamp                           |
 *   |                             SSRC                              |
 *   |                     CSRC (CC times)                           |
 *   [ profile u16 | length u16 (words) | extension data (length * 4) ]
 *   payload ... [ padding ... | count u8 ]   (P: last byte counts the padding, itself included)
 */
export function parseRtpPacket(buf: Buffer): RtpPacket {
  if (buf.length < RTP_FIXED_HEADER_SIZE) throw new RtpError('RTP_TRUNCATED', `RTP packet of ${buf.length} bytes`);
  const b0 = buf[0];
  const version = b0 >> 6;
  if (version !== RTP_VERSION) throw new RtpError('RTP_INVALID', `RTP version ${version}`);
  const hasPadding = (b0 & 0x20) !== 0;
  const hasExtension = (b0 & 0x10) !== 0;
  const csrcCount = b0 & 0x0f;
  const b1 = buf[1];
  let at = RTP_FIXED_HEADER_SIZE;
  if (buf.length < at + 4 * csrcCount) throw new RtpError('RTP_TRUNCATED', `${csrcCount} CSRCs in ${buf.length} bytes`);
  const csrcs: number[] = [];
  for (let i = 0; i < csrcCount; i++, at += 4) csrcs.push(buf.readUInt32BE(at));
  let extension: RtpHeaderExtension | undefined;
  if (hasExtension) {
    if (buf.length < at + 4) throw new RtpError('RTP_TRUNCATED', 'header extension header');
    const profile = buf.readUInt16BE(at);
    const length = buf.readUInt16BE(at + 2) * 4;
    at += 4;
    if (buf.length < at + length) throw new RtpError('RTP_TRUNCATED', `header extension of ${length} bytes`);
    extension = { profile, data: buf.subarray(at, at + length) };
    at += length;
  }
  let end = buf.length;
  let paddingSize = 0;
  if (hasPadding) {
    paddingSize = buf[buf.length - 1];
    if (paddingSize === 0) throw new RtpError('RTP_INVALID', 'padding count 0');
    if (paddingSize > end - at) throw new RtpError('RTP_INVALID', `padding of ${paddingSize} exceeds the payload`);
    end -= paddingSize;
  }
  const packet: RtpPacket = {
    marker: (b1 & 0x80) !== 0,
    payloadType: b1 & 0x7f,
    sequenceNumber: buf.readUInt16BE(2),
    timestamp: buf.readUInt32BE(4),
    ssrc: buf.readUInt32BE(8),
    csrcs,
    payload: buf.subarray(at, end),
    paddingSize,
  };
  if (extension) packet.extension = extension;
  return packet;
}

/** Bytes of header (fixed + CSRCs + extension) the packet needs. */
export function rtpHeaderSize(header: Pick<RtpHeader, 'extension'> & { csrcs?: number[] }): number {
  const csrcs = header.csrcs?.length ?? 0;
  return RTP_FIXED_HEADER_SIZE + 4 * csrcs + (header.extension ? 4 + header.extension.data.length : 0);
}

/** Writes the header into out at offset; returns the header size. */
export function writeRtpHeader(
  out: Buffer,
  offset: number,
  header: Omit<RtpHeader, 'csrcs'> & { csrcs?: number[] },
  padding = false,
): number {
  checkHeader(header);
  const csrcs = header.csrcs ?? [];
  out[offset] = (RTP_VERSION << 6) | (padding ? 0x20 : 0) | (header.extension ? 0x10 : 0) | csrcs.length;
  out[offset + 1] = (header.marker ? 0x80 : 0) | header.payloadType;
  out.writeUInt16BE(header.sequenceNumber, offset + 2);
  out.writeUInt32BE(header.timestamp, offset + 4);
  out.writeUInt32BE(header.ssrc, offset + 8);
  let at = offset + RTP_FIXED_HEADER_SIZE;
  for (const csrc of csrcs) {
    out.writeUInt32BE(csrc, at);
    at += 4;
  }
  if (header.extension) {
    out.writeUInt16BE(header.extension.profile, at);
    out.writeUInt16BE(header.extension.data.length / 4, at + 2);
    header.extension.data.copy(out, at + 4);
    at += 4 + header.extension.data.length;
  }
  return at - offset;
}

/** One buffer: header, payload, and paddingSize bytes of padding (zeros, the count in the last byte). */
export function serializeRtpPacket(packet: RtpPacketInit): Buffer {
  const paddingSize = packet.paddingSize ?? 0;
  if (!Number.isInteger(paddingSize) || paddingSize < 0 || paddingSize > RTP_MAX_PADDING) {
    throw new RtpError('RTP_BAD_ARGUMENT', `padding size ${paddingSize}`);
  }
  const headerSize = rtpHeaderSize(packet);
  const out = Buffer.alloc(headerSize + packet.payload.length + paddingSize);
  writeRtpHeader(out, 0, packet, paddingSize > 0);
  packet.payload.copy(out, headerSize);
  if (paddingSize > 0) out[out.length - 1] = paddingSize;
  return out;
}

function checkHeader(header: Omit<RtpHeader, 'csrcs'> & { csrcs?: number[] }): void {
  const bad = (what: string, value: unknown) => new RtpError('RTP_BAD_ARGUMENT', `${what} ${value}`);
  if (!isUint(header.payloadType, 0x7f)) throw bad('payload type', header.payloadType);
  if (!isUint(header.sequenceNumber, 0xffff)) throw bad('sequence number', header.sequenceNumber);
  if (!isUint(header.timestamp, 0xffffffff)) throw bad('timestamp', header.timestamp);
  if (!isUint(header.ssrc, 0xffffffff)) throw bad('SSRC', header.ssrc);
  const csrcs = header.csrcs ?? [];
  if (csrcs.length > RTP_MAX_CSRC) throw bad('CSRC count', csrcs.length);
  for (const csrc of csrcs) if (!isUint(csrc, 0xffffffff)) throw bad('CSRC', csrc);
  if (header.extension) {
    const { profile, data } = header.extension;
    if (!isUint(profile, 0xffff)) throw bad('extension profile', profile);
    if (data.length % 4 !== 0 || data.length > RTP_MAX_EXTENSION_DATA) throw bad('extension length', data.length);
  }
}

function isUint(value: number, max: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= max;
}
