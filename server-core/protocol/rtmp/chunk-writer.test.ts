import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChunkReader } from './chunk-reader.js';
import { encodeMessageChunks, encodeMessages } from './chunk-writer.js';
import { setChunkSize } from './control-messages.js';
import { RtmpError, type RtmpMessage } from './message.js';

const message = (payload: Buffer, timestamp = 0): RtmpMessage => ({ typeId: 9, streamId: 1, timestamp, payload });

describe('encodeMessageChunks (RTMP 1.0 section 5.3)', () => {
  it('writes basic headers in their 1-, 2- and 3-byte forms', () => {
    const m = message(Buffer.from([1]));
    expect(encodeMessageChunks(m, 128, 2)[0]).toBe(0x02);
    expect([...encodeMessageChunks(m, 128, 64).subarray(0, 2)]).toEqual([0x00, 0x00]);
    expect([...encodeMessageChunks(m, 128, 319).subarray(0, 2)]).toEqual([0x00, 0xff]);
    expect([...encodeMessageChunks(m, 128, 320).subarray(0, 3)]).toEqual([0x01, 0x00, 0x01]);
    expect([...encodeMessageChunks(m, 128, 65_599).subarray(0, 3)]).toEqual([0x01, 0xff, 0xff]);
  });

  it('writes an empty message as one header-only chunk and no empty trailing chunk', () => {
    expect(encodeMessageChunks(message(Buffer.alloc(0)), 128, 3).length).toBe(12);
    const exact = encodeMessageChunks(message(Buffer.alloc(256)), 128, 3);
    expect(exact.length).toBe(12 + 128 + 1 + 128);
    expect(exact[12 + 128]).toBe(0xc3);
  });

  it('writes 0xFFFFFF itself as an extended timestamp (5.3.1.3)', () => {
    const bytes = encodeMessageChunks(message(Buffer.alloc(10), 0xffffff), 128, 3);
    expect(bytes.readUIntBE(1, 3)).toBe(0xffffff);
    expect(bytes.readUInt32BE(12)).toBe(0xffffff);
    expect(encodeMessageChunks(message(Buffer.alloc(10), 0xfffffe), 128, 3).readUIntBE(1, 3)).toBe(0xfffffe);
  });

  it('is pure: the same message gives the same bytes whatever was encoded before', () => {
    const m = message(Buffer.alloc(500, 7), 1234);
    const first = encodeMessageChunks(m, 128, 6);
    encodeMessageChunks(message(Buffer.alloc(3), 99), 128, 6);
    expect(encodeMessageChunks(m, 128, 6).equals(first)).toBe(true);
  });

  it('refuses what RTMP cannot carry with RtmpError', () => {
    const m = message(Buffer.alloc(1));
    for (const csid of [0, 1, 65_600, 2.5]) expect(() => encodeMessageChunks(m, 128, csid)).toThrow(RtmpError);
    for (const size of [0, -1, 1.5]) expect(() => encodeMessageChunks(m, size, 3)).toThrow(RtmpError);
    expect(() => encodeMessageChunks(message(Buffer.alloc(0x1000000)), 128, 3)).toThrow(RtmpError);
  });

  it('round-trips: reader(writer(messages)) is the identity for any chunk size, csid and timestamp', () => {
    const arbitrary = fc.record({
      typeId: fc.integer({ min: 0, max: 255 }).filter((t) => t !== 1 && t !== 2),
      streamId: fc.nat({ max: 0xffffffff }),
      timestamp: fc.oneof(fc.nat({ max: 0xfffffe }), fc.integer({ min: 0xffffff, max: 0xffffffff })),
      payload: fc.uint8Array({ maxLength: 1000 }).map((a) => Buffer.from(a)),
    });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(arbitrary, fc.integer({ min: 2, max: 65_599 })), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 1200 }),
        (pairs, chunkSize) => {
          const bytes = Buffer.concat([
            encodeMessageChunks(setChunkSize(chunkSize), 128, 2),
            ...pairs.map(([m, csid]) => encodeMessageChunks(m, chunkSize, csid)),
          ]);
          const out = new ChunkReader({ maxChunkStreams: 16 }).push(bytes);
          expect(out.slice(1)).toEqual(pairs.map(([m]) => m));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('encodeMessages concatenates self-contained messages', () => {
    const a = message(Buffer.from([1]));
    const b = message(Buffer.from([2]), 5);
    expect(
      encodeMessages([a, b], 128, 3).equals(
        Buffer.concat([encodeMessageChunks(a, 128, 3), encodeMessageChunks(b, 128, 3)]),
      ),
    ).toBe(true);
  });
});
