import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frameRfc4571, Rfc4571Deframer, rfc4571Prefix } from './rfc4571-framing.js';
import { rtpErrorCode } from './test-support.js';

const packetsArb = fc.array(
  fc.uint8Array({ maxLength: 3000 }).map((a) => Buffer.from(a)),
  { maxLength: 12 },
);

function splitAt(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let last = 0;
  for (const p of points) {
    pieces.push(bytes.subarray(last, p));
    last = p;
  }
  pieces.push(bytes.subarray(last));
  return pieces;
}

describe('RFC 4571 framing', () => {
  it('frames with a 2-byte length', () => {
    expect([...frameRfc4571(Buffer.from([7, 8, 9]))]).toEqual([0, 3, 7, 8, 9]);
    expect([...rfc4571Prefix(0x1234)]).toEqual([0x12, 0x34]);
    expect(rtpErrorCode(() => frameRfc4571(Buffer.alloc(65536)))).toBe('RTP_FRAME_TOO_LARGE');
  });

  it('deframes at any split point, even one byte at a time', () => {
    fc.assert(
      fc.property(packetsArb, fc.array(fc.nat(), { maxLength: 40 }), fc.boolean(), (packets, cuts, bytewise) => {
        const stream = Buffer.concat(packets.map(frameRfc4571));
        const pieces = bytewise ? [...stream].map((b) => Buffer.from([b])) : splitAt(stream, cuts);
        const d = new Rfc4571Deframer();
        const got = pieces.flatMap((p) => d.push(p));
        expect(got.map((b) => b.toString('hex'))).toEqual(
          packets.filter((p) => p.length > 0).map((p) => p.toString('hex')),
        );
        expect(d.pendingBytes).toBe(0);
      }),
      { numRuns: 80 },
    );
  });

  it('returns whole frames in one chunk without copying', () => {
    const chunk = Buffer.concat([frameRfc4571(Buffer.from([1, 2])), frameRfc4571(Buffer.from([3]))]);
    const [a, b] = new Rfc4571Deframer().push(chunk);
    expect(a.buffer).toBe(chunk.buffer);
    expect(b.buffer).toBe(chunk.buffer);
  });

  it('refuses a length over the limit, even split, and stays failed', () => {
    const d = new Rfc4571Deframer({ maxFrameSize: 1500 });
    expect(d.push(Buffer.from([0x05]))).toEqual([]);
    expect(rtpErrorCode(() => d.push(Buffer.from([0xdd, 1, 2])))).toBe('RTP_FRAME_TOO_LARGE');
    expect(rtpErrorCode(() => d.push(frameRfc4571(Buffer.from([1]))))).toBe('RTP_FRAME_TOO_LARGE');
    expect(rtpErrorCode(() => new Rfc4571Deframer({ maxFrameSize: 0 }))).toBe('RTP_BAD_ARGUMENT');
  });

  it('random bytes never throw anything but RtpError', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 50 }), { maxLength: 20 }), (chunks) => {
        const d = new Rfc4571Deframer({ maxFrameSize: 20 });
        for (const c of chunks) if (rtpErrorCode(() => d.push(Buffer.from(c)))) break;
      }),
    );
  });
});
