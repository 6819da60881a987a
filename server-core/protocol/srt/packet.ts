import { type ControlPacket, encodeControlPacket, parseControlPacket } from './control-packet.js';
import { type DataPacket, encodeDataPacket, parseDataPacket, SRT_HEADER_SIZE } from './data-packet.js';
import { SrtError } from './srt-error.js';

/**
 * One SRT datagram (draft-sharabayko-srt-01 section 3): the first bit of the 16-byte header tells a data
 * packet (0, section 3.1) from a control packet (1, section 3.2).
 */
export type SrtPacket = DataPacket | ControlPacket;

/** Largest datagram we parse: a UDP payload cannot be longer. */
export const MAX_DATAGRAM_SIZE = 65507;

export function parsePacket(buf: Buffer): SrtPacket {
  if (buf.length < SRT_HEADER_SIZE) throw new SrtError('SRT_TRUNCATED', `packet of ${buf.length} bytes`);
  if (buf.length > MAX_DATAGRAM_SIZE) throw new SrtError('SRT_TOO_LARGE', `packet of ${buf.length} bytes`);
  return buf[0] & 0x80 ? parseControlPacket(buf) : parseDataPacket(buf);
}

export function encodePacket(p: SrtPacket): Buffer {
  return p.type === 'data' ? encodeDataPacket(p) : encodeControlPacket(p);
}

/** The destination socket id of a datagram, without parsing the rest (for routing to a connection). */
export function destinationSocketId(buf: Buffer): number | undefined {
  return buf.length >= SRT_HEADER_SIZE ? buf.readUInt32BE(12) : undefined;
}
