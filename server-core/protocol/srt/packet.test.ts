import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { controlPacket, dataPacket } from './arbitraries.fixture.js';
import { encodeControlPacket, parseControlPacket } from './control-packet.js';
import { encodeDataPacket, parseDataPacket } from './data-packet.js';
import { destinationSocketId, encodePacket, parsePacket } from './packet.js';
import { SrtError } from './srt-error.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

function onlySrtErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SrtError);
  }
}

describe('data packet (section 3.1)', () => {
  it('reads every header field', () => {
    // seq 0x12345678, PP=11 O=1 KK=01 R=1 msgno 5, ts 1000, socket 0xabcdef01
    const p = parseDataPacket(hex('12345678 ec000005 000003e8 abcdef01 474011'));
    expect(p).toMatchObject({
      seq: 0x12345678,
      position: 3,
      inOrder: true,
      keyFlag: 1,
      retransmitted: true,
      messageNumber: 5,
      timestamp: 1000,
      destSocketId: 0xabcdef01,
    });
    expect(p.payload).toEqual(hex('474011'));
  });

  it('round-trips', () => {
    fc.assert(
      fc.property(dataPacket, (p) => {
        expect(parseDataPacket(encodeDataPacket(p))).toEqual(p);
      }),
    );
  });

  it('refuses KK=11 and short headers', () => {
    expect(() => parseDataPacket(hex('00000001 18000001 00000000 00000000'))).toThrow(SrtError);
    expect(() => parseDataPacket(hex('00000001 00000001 0000'))).toThrow(SrtError);
  });
});

describe('control packets (section 3.2)', () => {
  it('round-trip every type', () => {
    fc.assert(
      fc.property(controlPacket, (p) => {
        expect(parseControlPacket(encodeControlPacket(p))).toEqual(p);
      }),
      {
        numRuns: 500,
      },
    );
  });

  it('tolerate libsrt keepalive and shutdown with a 4-byte body', () => {
    expect(parsePacket(hex('80010000 00000000 00001234 00000007 00000000'))).toEqual({
      type: 'keepalive',
      timestamp: 0x1234,
      destSocketId: 7,
    });
    expect(parsePacket(hex('80050000 00000000 00001234 00000007 00000000')).type).toBe('shutdown');
    expect(parsePacket(hex('80050000 00000000 00001234 00000007')).type).toBe('shutdown');
  });

  it('reads a full ACK, a light ACK and an ACKACK', () => {
    const full = parsePacket(
      hex('80020000 00000009 00000010 00000001 00000064 00002710 00000fa0 00002000 000003e8 00001388 00100000'),
    );
    expect(full).toMatchObject({
      type: 'ack',
      ackNumber: 9,
      ack: { lastAckedSeq: 100, rttUs: 10000, rttVarUs: 4000, availableBuffer: 8192, packetRate: 1000 },
    });
    const light = parsePacket(hex('80020000 00000000 00000010 00000001 00000064'));
    expect(light).toMatchObject({ type: 'ack', ack: { lastAckedSeq: 100 } });
    expect(light.type === 'ack' && light.ack.rttUs).toBeUndefined();
    expect(parsePacket(hex('80060000 00000009 00000010 00000001'))).toMatchObject({ type: 'ackack', ackNumber: 9 });
  });

  it('reads a NAK with a single loss and a range', () => {
    const nak = parsePacket(hex('80030000 00000000 00000010 00000001 00000005 80000007 0000000a'));
    expect(nak).toMatchObject({
      type: 'nak',
      loss: [
        { from: 5, to: 5 },
        { from: 7, to: 10 },
      ],
    });
  });
});

describe('any datagram', () => {
  it('round-trips through parsePacket', () => {
    fc.assert(
      fc.property(fc.oneof(dataPacket, controlPacket), (p) => {
        expect(parsePacket(encodePacket(p))).toEqual(p);
      }),
      { numRuns: 300 },
    );
  });

  it('random bytes throw nothing but SrtError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (a) => onlySrtErrors(() => parsePacket(Buffer.from(a)))),
      { numRuns: 2000 },
    );
    // Random bytes behind a valid control header of each type.
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9 }), fc.uint8Array({ maxLength: 120 }), (type, a) => {
        const head = Buffer.alloc(16);
        head.writeUInt32BE((0x80000000 | (type << 16)) >>> 0, 0);
        onlySrtErrors(() => parsePacket(Buffer.concat([head, Buffer.from(a)])));
      }),
      { numRuns: 2000 },
    );
  });

  it('truncated packets throw nothing but SrtError', () => {
    fc.assert(
      fc.property(fc.oneof(dataPacket, controlPacket), fc.nat(), (p, cut) => {
        const bytes = encodePacket(p);
        onlySrtErrors(() => parsePacket(bytes.subarray(0, cut % (bytes.length + 1))));
      }),
      { numRuns: 500 },
    );
  });

  it('finds the destination socket id without parsing', () => {
    expect(destinationSocketId(hex('80010000 00000000 00000000 11223344'))).toBe(0x11223344);
    expect(destinationSocketId(hex('8001'))).toBeUndefined();
  });
});
