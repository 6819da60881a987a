import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RtpHeaderRewriter, type RtpSourcePacket } from './header-rewriter.js';
import { parseRtpPacket } from './rtp-packet.js';
import { rtpErrorCode } from './test-support.js';

const src = (
  sequenceNumber: number,
  timestamp: number,
  marker = false,
  payload = Buffer.from([1, 2, 3]),
): RtpSourcePacket => ({
  sequenceNumber,
  timestamp,
  marker,
  payload,
});

describe('per-viewer RTP header rewriter', () => {
  it('writes its own SSRC, PT and offsets in front of the shared payload', () => {
    const payload = Buffer.from([9, 8, 7]);
    const r = new RtpHeaderRewriter({
      ssrc: 0xcafebabe,
      payloadType: 102,
      sequenceOffset: 10,
      timestampOffset: 0xffff_ffff,
    });
    const [header, body] = r.rewrite(src(0xfffa, 1, true, payload));
    expect(header.length).toBe(12);
    expect(body).toBe(payload);
    const p = parseRtpPacket(Buffer.concat([header, body]));
    expect(p).toMatchObject({ ssrc: 0xcafebabe, payloadType: 102, sequenceNumber: 4, timestamp: 0, marker: true });
    expect(r.sourceSequence(4)).toBe(0xfffa);
    expect(r.outputSequence(0xfffa)).toBe(4);
  });

  it('two viewers share the payload buffer', () => {
    const packet = src(100, 1000);
    const a = new RtpHeaderRewriter({ ssrc: 1, payloadType: 96 }).rewrite(packet);
    const b = new RtpHeaderRewriter({ ssrc: 2, payloadType: 97, sequenceOffset: 5 }).rewrite(packet);
    expect(a[1]).toBe(b[1]);
    expect(a[0].readUInt32BE(8)).toBe(1);
    expect(b[0].readUInt16BE(2)).toBe(105);
  });

  it('writes into a caller buffer', () => {
    const out = Buffer.alloc(20);
    const n = new RtpHeaderRewriter({ ssrc: 7, payloadType: 111 }).writeHeader(src(1, 2), out, 4);
    expect(n).toBe(12);
    expect(out[4]).toBe(0x80);
    expect(out[5]).toBe(111);
  });

  it('continueAt closes gaps and optionally rebases the timestamp', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (offset, jumpTo, ts, newTs) => {
          const r = new RtpHeaderRewriter({ ssrc: 1, payloadType: 96, sequenceOffset: offset });
          r.header(src(10, ts));
          const last = r.lastSequenceNumber!;
          r.continueAt(src(jumpTo, newTs), 3000);
          const h = r.header(src(jumpTo, newTs));
          expect(h.readUInt16BE(2)).toBe((last + 1) & 0xffff);
          expect(h.readUInt32BE(4)).toBe((ts + 3000) >>> 0);
          expect(r.header(src((jumpTo + 1) & 0xffff, newTs + 90)).readUInt16BE(2)).toBe((last + 2) & 0xffff);
        },
      ),
    );
  });

  it('checks its options', () => {
    expect(rtpErrorCode(() => new RtpHeaderRewriter({ ssrc: -1, payloadType: 96 }))).toBe('RTP_BAD_ARGUMENT');
    expect(rtpErrorCode(() => new RtpHeaderRewriter({ ssrc: 1, payloadType: 128 }))).toBe('RTP_BAD_ARGUMENT');
  });
});
