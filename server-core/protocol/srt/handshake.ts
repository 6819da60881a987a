import { SrtError } from './srt-error.js';

/**
 * Handshake control information (draft-sharabayko-srt-01 section 3.2.1), after the 16-byte control header:
 *    0                   1                   2                   3
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                            Version                            |
 *   |        Encryption Field       |        Extension Field        |
 *   |                 Initial Packet Sequence Number                |
 *   |                 Maximum Transmission Unit Size                |
 *   |                    Maximum Flow Window Size                   |
 *   |                         Handshake Type                        |
 *   |                         SRT Socket ID                         |
 *   |                           SYN Cookie                          |
 *   |                   Peer IP Address (128 bits)                  |
 *   |  Extension Type (16)  | Extension Length (16, in 32-bit words) |  repeated
 *   |                     Extension Contents ...                    |
 */
export const HANDSHAKE_CIF_SIZE = 48;
/** More extensions than any implementation sends (HSREQ, KMREQ, SID, congestion, filter, group). */
export const MAX_HANDSHAKE_EXTENSIONS = 16;

/** Handshake Type values (section 3.2.1, Table 4); rejections are 1000 + reason (see rejection.ts). */
export const HandshakeType = {
  DONE: 0xfffffffd,
  AGREEMENT: 0xfffffffe,
  CONCLUSION: 0xffffffff,
  WAVEAHAND: 0,
  INDUCTION: 1,
} as const;

/** Extension Field bits of an HSv5 conclusion (section 3.2.1, Table 5), and the induction magic. */
export const HandshakeFlag = { HSREQ: 1, KMREQ: 2, CONFIG: 4 } as const;
export const HSV5_MAGIC = 0x4a17;
/** What an HSv4 caller puts in the Extension Field of its induction: UDT_DGRAM. */
export const UDT_DGRAM = 2;

/** Extension Type values (section 3.2.1, Table 6). */
export const ExtensionType = {
  HSREQ: 1,
  HSRSP: 2,
  KMREQ: 3,
  KMRSP: 4,
  SID: 5,
  CONGESTION: 6,
  FILTER: 7,
  GROUP: 8,
} as const;

export interface HandshakeExtension {
  type: number;
  /** Contents; a multiple of 4 bytes on the wire. */
  body: Buffer;
}

export interface Handshake {
  version: number;
  /** 0 none, 2/3/4 AES-128/192/256 (key length / 8). */
  encryption: number;
  extensionField: number;
  initialSeq: number;
  mtu: number;
  flowWindow: number;
  handshakeType: number;
  socketId: number;
  synCookie: number;
  /** 16 bytes, as the peer wrote them (see peer-ip.ts). */
  peerIp: Buffer;
  extensions: HandshakeExtension[];
}

export function decodeHandshake(cif: Buffer): Handshake {
  if (cif.length < HANDSHAKE_CIF_SIZE) throw new SrtError('SRT_TRUNCATED', `handshake of ${cif.length} bytes`);
  const extensions: HandshakeExtension[] = [];
  let at = HANDSHAKE_CIF_SIZE;
  while (at < cif.length) {
    if (cif.length - at < 4) throw new SrtError('SRT_TRUNCATED', 'handshake extension header cut short');
    if (extensions.length === MAX_HANDSHAKE_EXTENSIONS) {
      throw new SrtError('SRT_TOO_LARGE', `more than ${MAX_HANDSHAKE_EXTENSIONS} handshake extensions`);
    }
    const type = cif.readUInt16BE(at);
    const bytes = cif.readUInt16BE(at + 2) * 4;
    at += 4;
    if (at + bytes > cif.length) {
      throw new SrtError('SRT_TRUNCATED', `handshake extension ${type} claims ${bytes} bytes, ${cif.length - at} left`);
    }
    extensions.push({ type, body: cif.subarray(at, at + bytes) });
    at += bytes;
  }
  return {
    version: cif.readUInt32BE(0),
    encryption: cif.readUInt16BE(4),
    extensionField: cif.readUInt16BE(6),
    initialSeq: cif.readUInt32BE(8) & 0x7fffffff,
    mtu: cif.readUInt32BE(12),
    flowWindow: cif.readUInt32BE(16),
    handshakeType: cif.readUInt32BE(20),
    socketId: cif.readUInt32BE(24),
    synCookie: cif.readUInt32BE(28),
    peerIp: Buffer.from(cif.subarray(32, 48)),
    extensions,
  };
}

export function encodeHandshake(hs: Handshake): Buffer {
  let size = HANDSHAKE_CIF_SIZE;
  for (const e of hs.extensions) size += 4 + paddedLength(e.body.length);
  const out = Buffer.alloc(size);
  out.writeUInt32BE(hs.version >>> 0, 0);
  out.writeUInt16BE(hs.encryption & 0xffff, 4);
  out.writeUInt16BE(hs.extensionField & 0xffff, 6);
  out.writeUInt32BE(hs.initialSeq & 0x7fffffff, 8);
  out.writeUInt32BE(hs.mtu >>> 0, 12);
  out.writeUInt32BE(hs.flowWindow >>> 0, 16);
  out.writeUInt32BE(hs.handshakeType >>> 0, 20);
  out.writeUInt32BE(hs.socketId >>> 0, 24);
  out.writeUInt32BE(hs.synCookie >>> 0, 28);
  hs.peerIp.copy(out, 32, 0, 16);
  let at = HANDSHAKE_CIF_SIZE;
  for (const e of hs.extensions) {
    const words = paddedLength(e.body.length) / 4;
    out.writeUInt16BE(e.type, at);
    out.writeUInt16BE(words, at + 2);
    e.body.copy(out, at + 4);
    at += 4 + words * 4;
  }
  return out;
}

function paddedLength(n: number): number {
  return (n + 3) & ~3;
}

export function findExtension(hs: Handshake, type: number): HandshakeExtension | undefined {
  return hs.extensions.find((e) => e.type === type);
}
