import { type Ack, decodeAck, encodeAck } from './ack.js';
import { SRT_HEADER_SIZE } from './data-packet.js';
import { decodeHandshake, ExtensionType, encodeHandshake, type Handshake } from './handshake.js';
import { decodeLossList, encodeLossList, type SeqRange } from './loss-list.js';
import { SrtError } from './srt-error.js';

/**
 * Control packet (draft-sharabayko-srt-01 section 3.2):
 *    0                   1                   2                   3
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |1|      Control Type (15)      |          Subtype (16)         |
 *   |                   Type-specific Information                   |
 *   |                       Timestamp (32, µs)                      |
 *   |                  Destination SRT Socket ID                    |
 *   |                 Control Information Field ...                 |
 * Keep-alive (3.2.3) and shutdown (3.2.7) have no body, but libsrt sends 4 zero bytes: any body is ignored.
 * ACKACK (3.2.8) carries the ACK number it answers in the type-specific word. Message drop request (3.2.9):
 * message number in the type-specific word, body first | last sequence number. Peer error (3.2.10): error
 * code in the type-specific word.
 * User-defined (0x7FFF, libsrt's UMSG_EXT) with subtype 3 or 4 is a KMREQ / KMRSP after the handshake (section
 * 3.2.2, a sender's key refresh): the body is the key material message exactly as in the handshake extension.
 */
export const ControlType = {
  HANDSHAKE: 0,
  KEEPALIVE: 1,
  ACK: 2,
  NAK: 3,
  CONGESTION_WARNING: 4,
  SHUTDOWN: 5,
  ACKACK: 6,
  DROPREQ: 7,
  PEERERROR: 8,
  USER: 0x7fff,
} as const;

interface ControlHeader {
  timestamp: number;
  destSocketId: number;
}

export type ControlPacket = ControlHeader &
  (
    | { type: 'handshake'; handshake: Handshake }
    | { type: 'keepalive' }
    | { type: 'ack'; ackNumber: number; ack: Ack }
    | { type: 'nak'; loss: SeqRange[] }
    | { type: 'congestion' }
    | { type: 'shutdown' }
    | { type: 'ackack'; ackNumber: number }
    | { type: 'dropreq'; messageNumber: number; firstSeq: number; lastSeq: number }
    | { type: 'peererror'; errorCode: number }
    /** Key material message (new even/odd keys); decode it with decodeKeyMaterial. */
    | { type: 'kmreq'; keyMaterial: Buffer }
    /** The echoed key material, or one word of KM state when the receiver could not use it. */
    | { type: 'kmrsp'; body: Buffer }
    /** User-defined (0x7FFF) or a type this version does not know: passed up unparsed. */
    | { type: 'other'; controlType: number; subtype: number; typeInfo: number; body: Buffer }
  );

export function parseControlPacket(buf: Buffer): ControlPacket {
  if (buf.length < SRT_HEADER_SIZE) throw new SrtError('SRT_TRUNCATED', `control packet of ${buf.length} bytes`);
  const w0 = buf.readUInt32BE(0);
  if ((w0 & 0x80000000) === 0) throw new SrtError('SRT_INVALID', 'control bit clear on a control packet');
  const controlType = (w0 >>> 16) & 0x7fff;
  const subtype = w0 & 0xffff;
  const typeInfo = buf.readUInt32BE(4);
  const head: ControlHeader = { timestamp: buf.readUInt32BE(8), destSocketId: buf.readUInt32BE(12) };
  const body = buf.subarray(SRT_HEADER_SIZE);
  switch (controlType) {
    case ControlType.HANDSHAKE:
      return { ...head, type: 'handshake', handshake: decodeHandshake(body) };
    case ControlType.KEEPALIVE:
      return { ...head, type: 'keepalive' };
    case ControlType.ACK:
      return { ...head, type: 'ack', ackNumber: typeInfo, ack: decodeAck(body) };
    case ControlType.NAK:
      return { ...head, type: 'nak', loss: decodeLossList(body) };
    case ControlType.CONGESTION_WARNING:
      return { ...head, type: 'congestion' };
    case ControlType.SHUTDOWN:
      return { ...head, type: 'shutdown' };
    case ControlType.ACKACK:
      return { ...head, type: 'ackack', ackNumber: typeInfo };
    case ControlType.DROPREQ:
      if (body.length < 8) throw new SrtError('SRT_TRUNCATED', `drop request of ${body.length} bytes`);
      return {
        ...head,
        type: 'dropreq',
        messageNumber: typeInfo,
        firstSeq: body.readUInt32BE(0) & 0x7fffffff,
        lastSeq: body.readUInt32BE(4) & 0x7fffffff,
      };
    case ControlType.PEERERROR:
      return { ...head, type: 'peererror', errorCode: typeInfo };
    case ControlType.USER:
      if (subtype === ExtensionType.KMREQ) return { ...head, type: 'kmreq', keyMaterial: Buffer.from(body) };
      if (subtype === ExtensionType.KMRSP) return { ...head, type: 'kmrsp', body: Buffer.from(body) };
      return { ...head, type: 'other', controlType, subtype, typeInfo, body };
    default:
      return { ...head, type: 'other', controlType, subtype, typeInfo, body };
  }
}

export function encodeControlPacket(p: ControlPacket): Buffer {
  let controlType: number;
  let subtype = 0;
  let typeInfo = 0;
  let body: Buffer;
  switch (p.type) {
    case 'handshake':
      controlType = ControlType.HANDSHAKE;
      body = encodeHandshake(p.handshake);
      break;
    case 'keepalive':
      controlType = ControlType.KEEPALIVE;
      body = Buffer.alloc(4);
      break;
    case 'ack':
      controlType = ControlType.ACK;
      typeInfo = p.ackNumber;
      body = encodeAck(p.ack);
      break;
    case 'nak':
      controlType = ControlType.NAK;
      body = encodeLossList(p.loss);
      break;
    case 'congestion':
      controlType = ControlType.CONGESTION_WARNING;
      body = Buffer.alloc(0);
      break;
    case 'shutdown':
      controlType = ControlType.SHUTDOWN;
      body = Buffer.alloc(4);
      break;
    case 'ackack':
      controlType = ControlType.ACKACK;
      typeInfo = p.ackNumber;
      body = Buffer.alloc(4);
      break;
    case 'dropreq':
      controlType = ControlType.DROPREQ;
      typeInfo = p.messageNumber;
      body = Buffer.alloc(8);
      body.writeUInt32BE(p.firstSeq & 0x7fffffff, 0);
      body.writeUInt32BE(p.lastSeq & 0x7fffffff, 4);
      break;
    case 'peererror':
      controlType = ControlType.PEERERROR;
      typeInfo = p.errorCode;
      body = Buffer.alloc(4);
      break;
    case 'kmreq':
      controlType = ControlType.USER;
      subtype = ExtensionType.KMREQ;
      body = p.keyMaterial;
      break;
    case 'kmrsp':
      controlType = ControlType.USER;
      subtype = ExtensionType.KMRSP;
      body = p.body;
      break;
    case 'other':
      controlType = p.controlType;
      subtype = p.subtype;
      typeInfo = p.typeInfo;
      body = p.body;
      break;
  }
  const out = Buffer.allocUnsafe(SRT_HEADER_SIZE + body.length);
  out.writeUInt32BE((0x80000000 | ((controlType & 0x7fff) << 16) | (subtype & 0xffff)) >>> 0, 0);
  out.writeUInt32BE(typeInfo >>> 0, 4);
  out.writeUInt32BE(p.timestamp >>> 0, 8);
  out.writeUInt32BE(p.destSocketId >>> 0, 12);
  body.copy(out, SRT_HEADER_SIZE);
  return out;
}
