import fc from 'fast-check';
import type { Ack } from './ack.js';
import type { ControlPacket } from './control-packet.js';
import type { DataPacket, KeyFlag, PacketPosition } from './data-packet.js';
import type { Handshake } from './handshake.js';
import type { SeqRange } from './loss-list.js';
import { seqAdd } from './seq.js';

/** fast-check generators of well-formed SRT packets, for round-trip tests. */
export const u32 = fc.integer({ min: 0, max: 0xffffffff });
export const seq31 = fc.integer({ min: 0, max: 0x7fffffff });
const bytes = (max: number) => fc.uint8Array({ maxLength: max }).map((a) => Buffer.from(a));
const words = (max: number) => fc.integer({ min: 0, max }).chain((n) => bytes(n * 4).filter((b) => b.length % 4 === 0));

export const dataPacket: fc.Arbitrary<DataPacket> = fc.record({
  type: fc.constant('data' as const),
  seq: seq31,
  position: fc.constantFrom(0, 1, 2, 3) as fc.Arbitrary<PacketPosition>,
  inOrder: fc.boolean(),
  keyFlag: fc.constantFrom(0, 1, 2) as fc.Arbitrary<KeyFlag>,
  retransmitted: fc.boolean(),
  messageNumber: fc.integer({ min: 0, max: 0x3ffffff }),
  timestamp: u32,
  destSocketId: u32,
  payload: bytes(1456),
});

export const ack: fc.Arbitrary<Ack> = fc.oneof(
  fc.record({ lastAckedSeq: seq31 }),
  fc.record({ lastAckedSeq: seq31, rttUs: u32, rttVarUs: u32, availableBuffer: u32 }),
  fc.record({
    lastAckedSeq: seq31,
    rttUs: u32,
    rttVarUs: u32,
    availableBuffer: u32,
    packetRate: u32,
    linkCapacity: u32,
    receiveRate: u32,
  }),
);

export const seqRange: fc.Arbitrary<SeqRange> = fc
  .tuple(seq31, fc.integer({ min: 0, max: 1000 }))
  .map(([from, n]) => ({ from, to: seqAdd(from, n) }));

export const handshake: fc.Arbitrary<Handshake> = fc.record({
  version: u32,
  encryption: fc.integer({ min: 0, max: 0xffff }),
  extensionField: fc.integer({ min: 0, max: 0xffff }),
  initialSeq: seq31,
  mtu: u32,
  flowWindow: u32,
  handshakeType: u32,
  socketId: u32,
  synCookie: u32,
  peerIp: fc.uint8Array({ minLength: 16, maxLength: 16 }).map((a) => Buffer.from(a)),
  extensions: fc.array(fc.record({ type: fc.integer({ min: 0, max: 0xffff }), body: words(20) }), { maxLength: 6 }),
});

const head = { timestamp: u32, destSocketId: u32 };
export const controlPacket: fc.Arbitrary<ControlPacket> = fc.oneof(
  fc.record({ ...head, type: fc.constant('handshake' as const), handshake }),
  fc.record({ ...head, type: fc.constant('keepalive' as const) }),
  fc.record({ ...head, type: fc.constant('ack' as const), ackNumber: u32, ack }),
  fc.record({ ...head, type: fc.constant('nak' as const), loss: fc.array(seqRange, { maxLength: 20 }) }),
  fc.record({ ...head, type: fc.constant('congestion' as const) }),
  fc.record({ ...head, type: fc.constant('shutdown' as const) }),
  fc.record({ ...head, type: fc.constant('ackack' as const), ackNumber: u32 }),
  fc.record({ ...head, type: fc.constant('dropreq' as const), messageNumber: u32, firstSeq: seq31, lastSeq: seq31 }),
  fc.record({ ...head, type: fc.constant('peererror' as const), errorCode: u32 }),
  fc.record({
    ...head,
    type: fc.constant('other' as const),
    controlType: fc.constantFrom(9, 0x100, 0x7fff),
    // User-defined subtypes 3 and 4 are the KMREQ / KMRSP below.
    subtype: fc.integer({ min: 0, max: 0xffff }).filter((s) => s !== 3 && s !== 4),
    typeInfo: u32,
    body: bytes(64),
  }),
  fc.record({ ...head, type: fc.constant('kmreq' as const), keyMaterial: words(20) }),
  fc.record({ ...head, type: fc.constant('kmrsp' as const), body: words(20) }),
);
