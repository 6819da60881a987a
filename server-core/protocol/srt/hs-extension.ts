import { SrtError } from './srt-error.js';

/**
 * Handshake extension message HSREQ / HSRSP (draft-sharabayko-srt-01 section 3.2.1.1):
 *   |                         SRT Version                          |   0x00010501 = 1.5.1
 *   |                          SRT Flags                           |
 *   | Receiver TSBPD Delay (16, ms) |  Sender TSBPD Delay (16, ms)  |
 */
export const HS_EXTENSION_SIZE = 12;

/** SRT Flags (section 3.2.1.1.1). */
export const SrtFlag = {
  TSBPDSND: 0x01,
  TSBPDRCV: 0x02,
  CRYPT: 0x04,
  TLPKTDROP: 0x08,
  PERIODICNAK: 0x10,
  REXMITFLG: 0x20,
  STREAM: 0x40,
  PACKET_FILTER: 0x80,
} as const;

export interface HsExtension {
  srtVersion: number;
  flags: number;
  receiverDelayMs: number;
  senderDelayMs: number;
}

export function decodeHsExtension(body: Buffer): HsExtension {
  if (body.length < HS_EXTENSION_SIZE) throw new SrtError('SRT_TRUNCATED', `HSREQ/HSRSP of ${body.length} bytes`);
  return {
    srtVersion: body.readUInt32BE(0),
    flags: body.readUInt32BE(4),
    receiverDelayMs: body.readUInt16BE(8),
    senderDelayMs: body.readUInt16BE(10),
  };
}

export function encodeHsExtension(ext: HsExtension): Buffer {
  const out = Buffer.alloc(HS_EXTENSION_SIZE);
  out.writeUInt32BE(ext.srtVersion >>> 0, 0);
  out.writeUInt32BE(ext.flags >>> 0, 4);
  out.writeUInt16BE(ext.receiverDelayMs & 0xffff, 8);
  out.writeUInt16BE(ext.senderDelayMs & 0xffff, 10);
  return out;
}

/** "1.5.1" from 0x00010501. */
export function formatSrtVersion(v: number): string {
  return `${(v >>> 16) & 0xff}.${(v >>> 8) & 0xff}.${v & 0xff}`;
}
