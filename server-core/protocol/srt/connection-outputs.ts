import { type ControlPacket, encodeControlPacket } from './control-packet.js';

/**
 * What the live-mode receiver and sender state machines hand back from `push(bytes, nowMs)` and
 * `poll(nowMs)`: datagrams to send to the peer, payloads released in order, and connection events.
 * Timing defaults follow libsrt (draft-sharabayko-srt-01 section 4.8 and libsrt's socket options).
 */
export const KEEPALIVE_INTERVAL_MS = 1000;
export const PEER_IDLE_TIMEOUT_MS = 5000;
export const FULL_ACK_INTERVAL_MS = 10;
export const LIGHT_ACK_PACKETS = 64;
export const MIN_NAK_INTERVAL_MS = 20;
/** Payload bytes of one data packet: MSS 1500 - 28 (IPv4 + UDP) - 16 (SRT header). */
export const MAX_PAYLOAD_SIZE = 1456;

export interface ReceivedPayload {
  payload: Buffer;
  seq: number;
  messageNumber: number;
  /** The sender's timestamp, µs, unwrapped past 32 bits. */
  timestampUs: number;
}

export type SrtConnectionEvent =
  | { type: 'closed'; reason: 'shutdown' | 'timeout' | 'local' }
  /** Packets given up: too late to deliver (receiver), or too late to retransmit (sender). */
  | { type: 'dropped'; from: number; to: number; count: number };

/**
 * One datagram to send: its bytes, or its pieces in order (a data packet's own 16-byte header in front of a
 * payload shared with other connections: the socket gathers them, so the payload is never copied per peer).
 */
export type SrtDatagram = Buffer | readonly Buffer[];

/** The bytes of a datagram (a copy when it is in pieces): for tests and tools, not the send path. */
export function datagramBytes(datagram: SrtDatagram): Buffer {
  return Buffer.isBuffer(datagram) ? datagram : Buffer.concat(datagram);
}

export interface SrtOutputs {
  send: SrtDatagram[];
  payloads: ReceivedPayload[];
  events: SrtConnectionEvent[];
}

export function emptyOutputs(): SrtOutputs {
  return { send: [], payloads: [], events: [] };
}

/**
 * What a poll with nothing due returns: shared by every connection, so an idle poll allocates nothing. Read it,
 * never add to it.
 */
export const NO_OUTPUTS: SrtOutputs = Object.freeze({
  send: Object.freeze([]) as unknown as SrtDatagram[],
  payloads: Object.freeze([]) as unknown as ReceivedPayload[],
  events: Object.freeze([]) as unknown as SrtConnectionEvent[],
});

/** Our 32-bit µs timestamp of `nowMs`, counted from the connection start (section 3). */
export function timestampOf(nowMs: number, startMs: number): number {
  return Math.max(0, Math.round((nowMs - startMs) * 1000)) % 0x1_0000_0000;
}

/** A control packet before its header timestamp and destination are filled in. */
export type ControlBody = ControlPacket extends infer P
  ? P extends ControlPacket
    ? Omit<P, 'timestamp' | 'destSocketId'>
    : never
  : never;

/** Encodes a control packet stamped with our clock for the peer. */
export function encodeControl(body: ControlBody, nowMs: number, startMs: number, peerSocketId: number): Buffer {
  return encodeControlPacket({
    ...body,
    timestamp: timestampOf(nowMs, startMs),
    destSocketId: peerSocketId,
  } as ControlPacket);
}
