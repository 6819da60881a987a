import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TS_PACKET_SIZE } from './constants.js';
import { packetizePes, packetizeSection, pesPacketCount, sectionPacketCount } from './packetizer.js';
import { parseTsPacket } from './ts-packet.js';

const parts = fc.array(
  fc.uint8Array({ maxLength: 400 }).map((a) => Buffer.from(a)),
  { minLength: 1, maxLength: 4 },
);

function packetsOf(bytes: Buffer) {
  expect(bytes.length % TS_PACKET_SIZE).toBe(0);
  const packets = [];
  for (let at = 0; at < bytes.length; at += TS_PACKET_SIZE) packets.push(parseTsPacket(bytes.subarray(at)));
  return packets;
}

describe('PES packetizer', () => {
  it('fills exactly 184 payload bytes per packet without stuffing', () => {
    const bytes = packetizePes([Buffer.alloc(184 * 2, 1)], { pid: 0x100, continuityCounter: 15 });
    const packets = packetsOf(bytes);
    expect(packets.map((p) => [p.payloadUnitStart, p.continuityCounter, p.adaptation])).toEqual([
      [true, 15, undefined],
      [false, 0, undefined],
    ]);
  });

  it('stuffs the last packet with a 1-byte adaptation field when 183 bytes remain', () => {
    const packets = packetsOf(packetizePes([Buffer.alloc(183, 2)], { pid: 0x100, continuityCounter: 0 }));
    expect(packets).toHaveLength(1);
    expect(packets[0].adaptation).toEqual({ discontinuity: false, randomAccess: false });
    expect(packets[0].payload.length).toBe(183);
  });

  it('splits any PES into packets that carry it back, PCR and RAI on the first one only', () => {
    fc.assert(
      fc.property(
        parts,
        fc.integer({ min: 0, max: 15 }),
        fc.option(fc.nat(2 ** 32), { nil: undefined }),
        fc.boolean(),
        (input, cc, pcr, randomAccess) => {
          const bytes = packetizePes(input, { pid: 0x1ff, continuityCounter: cc, pcr, randomAccess });
          const packets = packetsOf(bytes);
          const total = input.reduce((n, p) => n + p.length, 0);
          expect(packets).toHaveLength(pesPacketCount(total, { pcr, randomAccess }));
          packets.forEach((p, i) => {
            expect(p.pid).toBe(0x1ff);
            expect(p.payloadUnitStart).toBe(i === 0);
            expect(p.continuityCounter).toBe((cc + i) & 15);
            if (i > 0) expect(p.adaptation?.pcr).toBeUndefined();
            // Only the last packet may be short (stuffed); all others are full.
            if (i > 0 && i < packets.length - 1) expect(p.payload.length).toBe(184);
          });
          expect(packets[0].adaptation?.pcr).toBe(pcr);
          expect(packets[0].adaptation?.randomAccess ?? false).toBe(randomAccess);
          expect(Buffer.concat(packets.map((p) => p.payload))).toEqual(Buffer.concat(input));
        },
      ),
    );
  });
});

describe('section packetizer', () => {
  it('puts a pointer_field of 0 first and pads with 0xFF', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1024 }), fc.integer({ min: 0, max: 15 }), (length, cc) => {
        const section = Buffer.alloc(length, 0x5a);
        const packets = packetsOf(packetizeSection(section, { pid: 0x1000, continuityCounter: cc }));
        expect(packets).toHaveLength(sectionPacketCount(length));
        expect(packets.map((p) => p.continuityCounter)).toEqual(packets.map((_, i) => (cc + i) & 15));
        const payload = Buffer.concat(packets.map((p) => p.payload));
        expect(payload[0]).toBe(0);
        expect(payload.subarray(1, 1 + length)).toEqual(section);
        expect(payload.subarray(1 + length).every((b) => b === 0xff)).toBe(true);
      }),
    );
  });
});
