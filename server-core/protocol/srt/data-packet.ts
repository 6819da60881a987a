import { SrtError } from './srt-error.js';

/**
 * Data packet (draft-sharabayko-srt-01 section 3.1):
 *    0                   1                   2                   3
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |0|                 Packet Sequence Number (31)                 |
 *   |P P|O|K K|R|             Message Number (26)                   |
 *   |                       Timestamp (32, µs)                      |
 *   |                  Destination SRT Socket ID                    |
 *   |                          Data ...                             |
 * PP: 10 first, 00 middle, 01 last, 11 solo packet of a message. O: in order. KK: 00 clear, 01 even key,
 * 10 odd key. R: retransmitted.
 */
export const SRT_HEADER_SIZE = 16;

export const PacketPosition = { MIDDLE: 0, LAST: 1, FIRST: 2, SOLO: 3 } as const;
export type PacketPosition = (typeof PacketPosition)[keyof typeof PacketPosition];

/** Which stream encryption key protects the payload (section 3.1, KK). */
export const KeyFlag = { NONE: 0, EVEN: 1, ODD: 2 } as const;
export type KeyFlag = 0 | 1 | 2;

export interface DataPacket {
  type: 'data';
  seq: number;
  position: PacketPosition;
  inOrder: boolean;
  keyFlag: KeyFlag;
  retransmitted: boolean;
  messageNumber: number;
  timestamp: number;
  destSocketId: number;
  payload: Buffer;
}

export function parseDataPacket(buf: Buffer): DataPacket {
  if (buf.length < SRT_HEADER_SIZE) throw new SrtError('SRT_TRUNCATED', `data packet of ${buf.length} bytes`);
  const w0 = buf.readUInt32BE(0);
  if (w0 & 0x80000000) throw new SrtError('SRT_INVALID', 'control bit set on a data packet');
  const w1 = buf.readUInt32BE(4);
  const kk = (w1 >>> 27) & 3;
  if (kk === 3) throw new SrtError('SRT_INVALID', 'data packet with both key flags set');
  return {
    type: 'data',
    seq: w0,
    position: ((w1 >>> 30) & 3) as PacketPosition,
    inOrder: ((w1 >>> 29) & 1) === 1,
    keyFlag: kk as KeyFlag,
    retransmitted: ((w1 >>> 26) & 1) === 1,
    messageNumber: w1 & 0x3ffffff,
    timestamp: buf.readUInt32BE(8),
    destSocketId: buf.readUInt32BE(12),
    payload: buf.subarray(SRT_HEADER_SIZE),
  };
}

export function encodeDataPacket(p: DataPacket): Buffer {
  const out = Buffer.allocUnsafe(SRT_HEADER_SIZE + p.payload.length);
  writeDataHeader(out, p);
  p.payload.copy(out, SRT_HEADER_SIZE);
  return out;
}

/** The 16-byte header alone, for a sender that sends it in front of a payload it does not copy. */
export function encodeDataHeader(p: Omit<DataPacket, 'payload' | 'type'>): Buffer {
  const out = Buffer.allocUnsafe(SRT_HEADER_SIZE);
  writeDataHeader(out, p);
  return out;
}

function writeDataHeader(out: Buffer, p: Omit<DataPacket, 'payload' | 'type'>): void {
  out.writeUInt32BE(p.seq & 0x7fffffff, 0);
  const w1 =
    ((p.position & 3) << 30) |
    ((p.inOrder ? 1 : 0) << 29) |
    ((p.keyFlag & 3) << 27) |
    ((p.retransmitted ? 1 : 0) << 26) |
    (p.messageNumber & 0x3ffffff);
  out.writeUInt32BE(w1 >>> 0, 4);
  out.writeUInt32BE(p.timestamp >>> 0, 8);
  out.writeUInt32BE(p.destSocketId >>> 0, 12);
}
