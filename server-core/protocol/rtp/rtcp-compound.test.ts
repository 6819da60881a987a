import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ntpFromUnixMs, ntpMiddle32, unixMsFromNtp } from './ntp-time.js';
import { isRtcpPacket, parseRtcpCompound, type RtcpPacket, serializeRtcpCompound } from './rtcp-compound.js';
import { SDES_CNAME, sdesCname } from './rtcp-sdes.js';
import { rtpErrorCode } from './test-support.js';

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const block = fc.record({
  ssrc: u32,
  fractionLost: fc.integer({ min: 0, max: 255 }),
  cumulativeLost: fc.integer({ min: -0x800000, max: 0x7fffff }),
  highestSequence: u32,
  jitter: u32,
  lastSenderReport: u32,
  delaySinceLastSenderReport: u32,
});
const words = (max: number) =>
  fc
    .integer({ min: 1, max })
    .chain((n) => fc.uint8Array({ minLength: n * 4, maxLength: n * 4 }))
    .map((a) => Buffer.from(a));
const text = fc.string({ maxLength: 60 });

const packetArb: fc.Arbitrary<RtcpPacket> = fc.oneof(
  fc.record(
    {
      type: fc.constant('sr' as const),
      ssrc: u32,
      ntpSeconds: u32,
      ntpFraction: u32,
      rtpTimestamp: u32,
      packetCount: u32,
      octetCount: u32,
      reports: fc.array(block, { maxLength: 4 }),
      extension: words(3),
    },
    {
      requiredKeys: [
        'type',
        'ssrc',
        'ntpSeconds',
        'ntpFraction',
        'rtpTimestamp',
        'packetCount',
        'octetCount',
        'reports',
      ],
    },
  ),
  fc.record({ type: fc.constant('rr' as const), ssrc: u32, reports: fc.array(block, { maxLength: 31 }) }),
  fc.record({
    type: fc.constant('sdes' as const),
    chunks: fc.array(
      fc.record({
        ssrc: u32,
        items: fc.array(fc.record({ type: fc.integer({ min: 1, max: 8 }), text }), { maxLength: 3 }),
      }),
      { maxLength: 4 },
    ),
  }),
  fc.record(
    { type: fc.constant('bye' as const), ssrcs: fc.array(u32, { maxLength: 31 }), reason: text },
    { requiredKeys: ['type', 'ssrcs'] },
  ),
  fc.record({ type: fc.constant('pli' as const), senderSsrc: u32, mediaSsrc: u32 }),
  fc.record({
    type: fc.constant('fir' as const),
    senderSsrc: u32,
    mediaSsrc: fc.constant(0),
    entries: fc.array(fc.record({ ssrc: u32, sequenceNumber: fc.integer({ min: 0, max: 255 }) }), { maxLength: 5 }),
  }),
  fc.record({
    type: fc.constant('unknown' as const),
    packetType: fc.constantFrom(204, 207, 210),
    count: fc.integer({ min: 0, max: 31 }),
    body: words(5),
  }),
);

describe('RTCP compound packets (RFC 3550 6.4, RFC 4585, RFC 5104)', () => {
  it('parses a receiver report with SDES CNAME and a PLI, byte by byte', () => {
    const bytes = Buffer.from([
      // RR, 1 block
      0x81, 201, 0x00, 0x07, 0x00, 0x00, 0x00, 0x01, /* block */ 0x00, 0x00, 0x00, 0x02, 0x10, 0xff, 0xff, 0xff, 0x00,
      0x01, 0x00, 0x05, 0x00, 0x00, 0x00, 0x20, 0x11, 0x22, 0x33, 0x44, 0x00, 0x00, 0x01, 0x00,
      // SDES, 1 chunk, CNAME "ab" + END, padded to 16 bytes
      0x81, 202, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x01, 0x02, 0x61, 0x62, 0x00, 0x00, 0x00, 0x00,
      // PLI
      0x81, 206, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02,
    ]);
    const packets = parseRtcpCompound(bytes);
    expect(packets).toEqual([
      {
        type: 'rr',
        ssrc: 1,
        reports: [
          {
            ssrc: 2,
            fractionLost: 0x10,
            cumulativeLost: -1,
            highestSequence: 0x10005,
            jitter: 0x20,
            lastSenderReport: 0x11223344,
            delaySinceLastSenderReport: 0x100,
          },
        ],
      },
      { type: 'sdes', chunks: [{ ssrc: 1, items: [{ type: SDES_CNAME, text: 'ab' }] }] },
      { type: 'pli', senderSsrc: 1, mediaSsrc: 2 },
    ]);
    expect(sdesCname(packets[1] as never, 1)).toBe('ab');
    expect(serializeRtcpCompound(packets).equals(bytes)).toBe(true);
    expect(isRtcpPacket(bytes)).toBe(true);
    expect(isRtcpPacket(Buffer.from([0x80, 96, 0, 0]))).toBe(false);
  });

  it('reads a FIR and a BYE with reason; strips padding', () => {
    const fir = Buffer.from([0x84, 206, 0x00, 0x04, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 7, 0x05, 0, 0, 0]);
    // BYE 1 source, reason "x", padded by the P bit with 4 extra bytes
    const bye = Buffer.from([0xa1, 203, 0x00, 0x03, 0, 0, 0, 7, 0x01, 0x78, 0, 0, 0, 0, 0, 4]);
    expect(parseRtcpCompound(Buffer.concat([fir, bye]))).toEqual([
      { type: 'fir', senderSsrc: 9, mediaSsrc: 0, entries: [{ ssrc: 7, sequenceNumber: 5 }] },
      { type: 'bye', ssrcs: [7], reason: 'x' },
    ]);
  });

  it('keeps unknown packet types whole', () => {
    const twcc = Buffer.from([0x8f, 205, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 2]);
    const [p] = parseRtcpCompound(twcc);
    expect(p).toMatchObject({ type: 'unknown', packetType: 205, count: 15 });
    expect(serializeRtcpCompound([p]).equals(twcc)).toBe(true);
  });

  it('round-trips any compound', () => {
    fc.assert(
      fc.property(fc.array(packetArb, { minLength: 1, maxLength: 6 }), (packets) => {
        const bytes = serializeRtcpCompound(packets);
        const back = parseRtcpCompound(bytes);
        expect(back.length).toBe(packets.length);
        expect(serializeRtcpCompound(back).equals(bytes)).toBe(true);
        for (let i = 0; i < packets.length; i++) {
          const want = packets[i];
          if (want.type !== 'unknown') expect(back[i]).toEqual(want);
        }
      }),
    );
  });

  it('random and truncated input never throws anything but RtpError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => {
        const b = Buffer.from(bytes);
        if (b.length > 0) b[0] = (b[0] & 0x3f) | 0x80; // mostly version 2, to get past the first check
        rtpErrorCode(() => parseRtcpCompound(b));
      }),
    );
    fc.assert(
      fc.property(fc.array(packetArb, { minLength: 1, maxLength: 4 }), fc.nat(), fc.nat(), (packets, cut, flip) => {
        const bytes = serializeRtcpCompound(packets);
        const truncated = Buffer.from(bytes.subarray(0, cut % (bytes.length + 1)));
        rtpErrorCode(() => parseRtcpCompound(truncated));
        const flipped = Buffer.from(bytes);
        flipped[flip % flipped.length] ^= 0xff;
        rtpErrorCode(() => parseRtcpCompound(flipped));
      }),
    );
  });

  it('names its errors', () => {
    expect(rtpErrorCode(() => parseRtcpCompound(Buffer.alloc(0)))).toBe('RTCP_TRUNCATED');
    expect(rtpErrorCode(() => parseRtcpCompound(Buffer.from([0x40, 200, 0, 0])))).toBe('RTCP_INVALID');
    expect(rtpErrorCode(() => parseRtcpCompound(Buffer.from([0x80, 200, 0, 1])))).toBe('RTCP_TRUNCATED');
    expect(rtpErrorCode(() => parseRtcpCompound(Buffer.from([0x81, 201, 0, 1, 0, 0, 0, 1])))).toBe('RTCP_TRUNCATED');
    expect(rtpErrorCode(() => parseRtcpCompound(Buffer.from([0xa0, 201, 0, 1, 0, 0, 0, 9])))).toBe('RTCP_INVALID');
    expect(rtpErrorCode(() => serializeRtcpCompound([{ type: 'bye', ssrcs: [], reason: 'x'.repeat(256) }]))).toBe(
      'RTP_BAD_ARGUMENT',
    );
    expect(
      rtpErrorCode(() => serializeRtcpCompound([{ type: 'rr', ssrc: 1, reports: [], extension: Buffer.alloc(3) }])),
    ).toBe('RTP_BAD_ARGUMENT');
  });
});

describe('NTP time (RFC 3550 4)', () => {
  it('converts Unix ms and takes the middle 32 bits', () => {
    const ntp = ntpFromUnixMs(1_700_000_000_500);
    expect(ntp.seconds).toBe(1_700_000_000 + 2_208_988_800);
    expect(ntp.fraction).toBe(0x8000_0000);
    expect(ntpMiddle32({ seconds: 0x12345678, fraction: 0x9abcdef0 })).toBe(0x56789abc);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2_000_000_000_000 }), (ms) => {
        expect(Math.abs(unixMsFromNtp(ntpFromUnixMs(ms)) - ms) < 1).toBe(true);
      }),
    );
  });
});
