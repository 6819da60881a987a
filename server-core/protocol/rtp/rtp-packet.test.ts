import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRtpPacket, type RtpPacketInit, rtpHeaderSize, serializeRtpPacket } from './rtp-packet.js';
import { rtpErrorCode } from './test-support.js';

const packetArb: fc.Arbitrary<RtpPacketInit> = fc.record(
  {
    marker: fc.boolean(),
    payloadType: fc.integer({ min: 0, max: 127 }),
    sequenceNumber: fc.integer({ min: 0, max: 0xffff }),
    timestamp: fc.integer({ min: 0, max: 0xffffffff }),
    ssrc: fc.integer({ min: 0, max: 0xffffffff }),
    csrcs: fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 15 }),
    extension: fc.record({
      profile: fc.integer({ min: 0, max: 0xffff }),
      data: fc
        .integer({ min: 0, max: 8 })
        .chain((words) => fc.uint8Array({ minLength: words * 4, maxLength: words * 4 }))
        .map((a) => Buffer.from(a)),
    }),
    payload: fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
    paddingSize: fc.integer({ min: 0, max: 255 }),
  },
  { requiredKeys: ['marker', 'payloadType', 'sequenceNumber', 'timestamp', 'ssrc', 'payload'] },
);

describe('RTP packet (RFC 3550 5.1)', () => {
  it('parses a known packet byte by byte', () => {
    const bytes = Buffer.from([
      0x90,
      0xe0,
      0x12,
      0x34,
      0xde,
      0xad,
      0xbe,
      0xef,
      0x01,
      0x02,
      0x03,
      0x04, // V=2 X=1 M=1 PT=96
      0xbe,
      0xde,
      0x00,
      0x01,
      0x10,
      0xaa,
      0x00,
      0x00, // one-byte extension: id 1, 1 byte
      0x65,
      0x88, // payload
    ]);
    const p = parseRtpPacket(bytes);
    expect(p).toMatchObject({
      marker: true,
      payloadType: 96,
      sequenceNumber: 0x1234,
      timestamp: 0xdeadbeef,
      ssrc: 0x01020304,
    });
    expect(p.csrcs).toEqual([]);
    expect(p.extension?.profile).toBe(0xbede);
    expect([...p.payload]).toEqual([0x65, 0x88]);
    expect(serializeRtpPacket(p).equals(bytes)).toBe(true);
  });

  it('strips padding and keeps its size', () => {
    const p = serializeRtpPacket({
      marker: false,
      payloadType: 111,
      sequenceNumber: 1,
      timestamp: 2,
      ssrc: 3,
      payload: Buffer.from([1, 2, 3]),
      paddingSize: 5,
    });
    expect(p.length).toBe(12 + 3 + 5);
    expect(p[0] & 0x20).toBe(0x20);
    const back = parseRtpPacket(p);
    expect([...back.payload]).toEqual([1, 2, 3]);
    expect(back.paddingSize).toBe(5);
  });

  it('round-trips any packet', () => {
    fc.assert(
      fc.property(packetArb, (init) => {
        const bytes = serializeRtpPacket(init);
        expect(bytes.length).toBe(rtpHeaderSize(init) + init.payload.length + (init.paddingSize ?? 0));
        const p = parseRtpPacket(bytes);
        expect(p.payload.equals(init.payload)).toBe(true);
        expect(p.csrcs).toEqual(init.csrcs ?? []);
        expect(p.extension?.data.equals(init.extension?.data ?? Buffer.alloc(0)) ?? init.extension === undefined).toBe(
          true,
        );
        expect(p.paddingSize).toBe(init.paddingSize ?? 0);
        expect(serializeRtpPacket(p).equals(bytes)).toBe(true);
      }),
    );
  });

  it('rejects bad version, padding and truncation with RtpError', () => {
    const ok = serializeRtpPacket({
      marker: false,
      payloadType: 0,
      sequenceNumber: 0,
      timestamp: 0,
      ssrc: 0,
      payload: Buffer.alloc(4),
    });
    expect(rtpErrorCode(() => parseRtpPacket(ok.subarray(0, 11)))).toBe('RTP_TRUNCATED');
    const v1 = Buffer.from(ok);
    v1[0] = 0x40;
    expect(rtpErrorCode(() => parseRtpPacket(v1))).toBe('RTP_INVALID');
    const pad0 = Buffer.from(ok);
    pad0[0] |= 0x20;
    expect(rtpErrorCode(() => parseRtpPacket(pad0))).toBe('RTP_INVALID');
    const padBig = Buffer.from(ok);
    padBig[0] |= 0x20;
    padBig[padBig.length - 1] = 9;
    expect(rtpErrorCode(() => parseRtpPacket(padBig))).toBe('RTP_INVALID');
    const cc = Buffer.from(ok);
    cc[0] |= 0x0f;
    expect(rtpErrorCode(() => parseRtpPacket(cc))).toBe('RTP_TRUNCATED');
    const x = Buffer.from(ok);
    x[0] |= 0x10;
    x[15] = 5; // extension length of 5 words in a 4-byte payload
    expect(rtpErrorCode(() => parseRtpPacket(x))).toBe('RTP_TRUNCATED');
  });

  it('refuses to write out-of-range fields', () => {
    const base = { marker: false, payloadType: 0, sequenceNumber: 0, timestamp: 0, ssrc: 0, payload: Buffer.alloc(0) };
    expect(rtpErrorCode(() => serializeRtpPacket({ ...base, payloadType: 128 }))).toBe('RTP_BAD_ARGUMENT');
    expect(rtpErrorCode(() => serializeRtpPacket({ ...base, sequenceNumber: 65536 }))).toBe('RTP_BAD_ARGUMENT');
    expect(rtpErrorCode(() => serializeRtpPacket({ ...base, csrcs: new Array(16).fill(1) }))).toBe('RTP_BAD_ARGUMENT');
    expect(rtpErrorCode(() => serializeRtpPacket({ ...base, extension: { profile: 1, data: Buffer.alloc(3) } }))).toBe(
      'RTP_BAD_ARGUMENT',
    );
    expect(rtpErrorCode(() => serializeRtpPacket({ ...base, paddingSize: 256 }))).toBe('RTP_BAD_ARGUMENT');
  });

  it('random and truncated input never throws anything but RtpError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        rtpErrorCode(() => parseRtpPacket(Buffer.from(bytes)));
      }),
    );
    fc.assert(
      fc.property(packetArb, fc.nat(), (init, cut) => {
        const bytes = serializeRtpPacket(init);
        rtpErrorCode(() => parseRtpPacket(bytes.subarray(0, cut % (bytes.length + 1))));
      }),
    );
  });
});
