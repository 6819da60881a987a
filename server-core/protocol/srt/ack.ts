import { SrtError } from './srt-error.js';

/**
 * ACK control information (draft-sharabayko-srt-01 section 3.2.4). Type-specific word: ACK number (0 on a
 * light ACK). Body, three sizes:
 *   light (4):  last acknowledged packet sequence number (the next one expected)
 *   small (16): + RTT (µs) | RTT variance (µs) | available buffer size (packets)
 *   full (28):  + packets receiving rate (pkt/s) | estimated link capacity (pkt/s) | receiving rate (bytes/s)
 */
export interface Ack {
  lastAckedSeq: number;
  rttUs?: number;
  rttVarUs?: number;
  availableBuffer?: number;
  packetRate?: number;
  linkCapacity?: number;
  receiveRate?: number;
}

export const LIGHT_ACK_SIZE = 4;
export const SMALL_ACK_SIZE = 16;
export const FULL_ACK_SIZE = 28;

export function isLightAck(ack: Ack): boolean {
  return ack.rttUs === undefined;
}

export function encodeAck(ack: Ack): Buffer {
  const size = ack.rttUs === undefined ? LIGHT_ACK_SIZE : ack.packetRate === undefined ? SMALL_ACK_SIZE : FULL_ACK_SIZE;
  const out = Buffer.alloc(size);
  out.writeUInt32BE(ack.lastAckedSeq & 0x7fffffff, 0);
  if (size >= SMALL_ACK_SIZE) {
    out.writeUInt32BE((ack.rttUs ?? 0) >>> 0, 4);
    out.writeUInt32BE((ack.rttVarUs ?? 0) >>> 0, 8);
    out.writeUInt32BE((ack.availableBuffer ?? 0) >>> 0, 12);
  }
  if (size === FULL_ACK_SIZE) {
    out.writeUInt32BE((ack.packetRate ?? 0) >>> 0, 16);
    out.writeUInt32BE((ack.linkCapacity ?? 0) >>> 0, 20);
    out.writeUInt32BE((ack.receiveRate ?? 0) >>> 0, 24);
  }
  return out;
}

export function decodeAck(body: Buffer): Ack {
  if (body.length < LIGHT_ACK_SIZE) throw new SrtError('SRT_TRUNCATED', `ACK of ${body.length} bytes`);
  const ack: Ack = { lastAckedSeq: body.readUInt32BE(0) & 0x7fffffff };
  if (body.length >= SMALL_ACK_SIZE) {
    ack.rttUs = body.readUInt32BE(4);
    ack.rttVarUs = body.readUInt32BE(8);
    ack.availableBuffer = body.readUInt32BE(12);
  }
  if (body.length >= FULL_ACK_SIZE) {
    ack.packetRate = body.readUInt32BE(16);
    ack.linkCapacity = body.readUInt32BE(20);
    ack.receiveRate = body.readUInt32BE(24);
  }
  return ack;
}
