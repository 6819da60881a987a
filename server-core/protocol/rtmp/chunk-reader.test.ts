import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChunkReader, MAX_ACCEPTED_CHUNK_SIZE } from './chunk-reader.js';
import { encodeMessageChunks } from './chunk-writer.js';
import { abortMessage, setChunkSize } from './control-messages.js';
import { RtmpError, type RtmpMessage } from './message.js';

const fill = (n: number, byte: number) => Array.from({ length: n }, (_, i) => (byte + i) & 0xff);
const b = (...parts: number[][]) => Buffer.from(parts.flat());

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(RtmpError);
    return (error as RtmpError).code;
  }
}

/** Pushes bytes cut at the given offsets, collecting every message. */
function readInPieces(bytes: Buffer, cuts: number[], reader = new ChunkReader()): RtmpMessage[] {
  const out: RtmpMessage[] = [];
  let last = 0;
  for (const cut of [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((x, y) => x - y)) {
    out.push(...reader.push(bytes.subarray(last, cut)));
    last = cut;
  }
  out.push(...reader.push(bytes.subarray(last)));
  return out;
}

interface WriterState {
  streamId: number;
  typeId: number;
  length: number;
  timestamp: number;
  /** What a fmt 3 header starting a new message would add. */
  delta: number;
  /** The last fmt 0-2 header's extended timestamp value, if it had one. */
  extended?: number;
}

/**
 * A test-side chunk writer that compresses headers like ffmpeg/librtmp do (fmt 1/2/3 for later messages on a
 * chunk stream), following the spec's rules independently of chunk-writer.ts. `repeatExtended` decides whether
 * fmt 3 chunks repeat the extended timestamp.
 */
function compressedChunks(messages: RtmpMessage[], chunkSize: number, csid: number, repeatExtended: boolean): Buffer {
  const out: number[] = [];
  let prev: WriterState | undefined;
  const u24 = (v: number) => [(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
  const u32 = (v: number) => [(v >>> 24) & 0xff, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
  for (const m of messages) {
    const length = m.payload.length;
    let fmt: number;
    let field: number;
    if (!prev || prev.streamId !== m.streamId || m.timestamp < prev.timestamp) {
      fmt = 0;
      field = m.timestamp;
    } else {
      field = m.timestamp - prev.timestamp;
      if (prev.length !== length || prev.typeId !== m.typeId) fmt = 1;
      else if (field !== prev.delta) fmt = 2;
      else fmt = 3;
    }
    const ext = field >= 0xffffff;
    out.push((fmt << 6) | csid);
    if (fmt <= 2) out.push(...u24(ext ? 0xffffff : field));
    if (fmt <= 1) out.push(...u24(length), m.typeId);
    if (fmt === 0) out.push(m.streamId & 0xff, (m.streamId >> 8) & 0xff, (m.streamId >> 16) & 0xff, m.streamId >>> 24);
    const extended = fmt <= 2 ? (ext ? field : undefined) : prev?.extended;
    if (fmt <= 2 ? ext : extended !== undefined && repeatExtended) out.push(...u32(extended ?? 0));
    for (let offset = 0; ; ) {
      const end = Math.min(length, offset + chunkSize);
      out.push(...m.payload.subarray(offset, end));
      offset = end;
      if (offset >= length) break;
      out.push(0xc0 | csid);
      if (extended !== undefined && repeatExtended) out.push(...u32(extended));
    }
    prev = { streamId: m.streamId, typeId: m.typeId, length, timestamp: m.timestamp, delta: field, extended };
  }
  return Buffer.from(out);
}

describe('ChunkReader (RTMP 1.0 section 5.3)', () => {
  it('reads the spec example 5.3.2.1: fmt 0, fmt 2, then fmt 3 headers adding the same delta', () => {
    const bytes = b(
      [0x03, 0x00, 0x03, 0xe8, 0x00, 0x00, 0x20, 0x08, 0x39, 0x30, 0x00, 0x00], // ts 1000, len 32, audio, id 12345
      fill(32, 0),
      [0x83, 0x00, 0x00, 0x14], // fmt 2: delta 20
      fill(32, 1),
      [0xc3],
      fill(32, 2),
      [0xc3],
      fill(32, 3),
    );
    const messages = new ChunkReader().push(bytes);
    expect(messages.map((m) => m.timestamp)).toEqual([1000, 1020, 1040, 1060]);
    expect(messages.every((m) => m.typeId === 8 && m.streamId === 12345 && m.payload.length === 32)).toBe(true);
    expect([...messages[3].payload]).toEqual(fill(32, 3));
  });

  it('reads the spec example 5.3.2.2: one 307-byte message in three chunks', () => {
    const bytes = b(
      [0x04, 0x00, 0x03, 0xe8, 0x00, 0x01, 0x33, 0x09, 0x3a, 0x30, 0x00, 0x00], // ts 1000, len 307, video, 12346
      fill(128, 0),
      [0xc4],
      fill(128, 128),
      [0xc4],
      fill(51, 0),
    );
    const [message, ...more] = new ChunkReader().push(bytes);
    expect(more).toEqual([]);
    expect(message).toEqual({
      typeId: 9,
      streamId: 12346,
      timestamp: 1000,
      payload: Buffer.from([...fill(256, 0), ...fill(51, 0)]),
    });
  });

  it('takes a fmt 0 timestamp as the delta of a following fmt 3 message (5.3.1.2.4)', () => {
    const bytes = b([0x03, 0x00, 0x00, 0x28, 0x00, 0x00, 0x01, 0x08, 0x01, 0, 0, 0], [7], [0xc3], [8], [0xc3], [9]);
    expect(new ChunkReader().push(bytes).map((m) => m.timestamp)).toEqual([40, 80, 120]);
  });

  it('reads one-, two- and three-byte basic headers (5.3.1.1)', () => {
    const header = [0x00, 0x00, 0x05, 0x00, 0x00, 0x01, 0x12, 0x01, 0x00, 0x00, 0x00];
    const bytes = b(
      [0x3f, ...header, 1], // csid 63
      [0x00, 0x00, ...header, 2], // csid 64
      [0x00, 0xff, ...header, 3], // csid 319
      [0x01, 0x00, 0x01, ...header, 4], // csid 320 (64 + 256, little-endian)
      [0x01, 0xff, 0xff, ...header, 5], // csid 65599
      [0xc1, 0xff, 0xff, 6], // fmt 3 on csid 65599: a new message, same header, delta 5
    );
    const messages = new ChunkReader().push(bytes);
    expect(messages.map((m) => m.payload[0])).toEqual([1, 2, 3, 4, 5, 6]);
    expect(messages[5].timestamp).toBe(10);
  });

  it('reads extended timestamps whether or not fmt 3 chunks repeat them', () => {
    const message = { typeId: 9, streamId: 1, timestamp: 0x12345678, payload: Buffer.from(fill(300, 9)) };
    for (const repeat of [true, false]) {
      const bytes = compressedChunks([message], 128, 6, repeat);
      expect(bytes.length).toBe(1 + 11 + 4 + 300 + 2 * (1 + (repeat ? 4 : 0)));
      expect(new ChunkReader().push(bytes)).toEqual([message]);
    }
  });

  it('does not hold back the last chunk of a non-repeating encoder when it cannot be a repeat', () => {
    const message = { typeId: 9, streamId: 1, timestamp: 0x01000000, payload: Buffer.from([...fill(128, 0), 0x55]) };
    const bytes = compressedChunks([message], 128, 6, false);
    expect(bytes.length).toBe(1 + 11 + 4 + 128 + 1 + 1);
    expect(new ChunkReader().push(bytes)).toEqual([message]);
  });

  it('adds extended deltas (fmt 1/2) and wraps timestamps at 2^32', () => {
    const messages = [
      { typeId: 8, streamId: 1, timestamp: 0xfffffff0, payload: Buffer.from([1]) },
      { typeId: 8, streamId: 1, timestamp: 0xfffffff0 + 0x1000000, payload: Buffer.from([2, 2]) },
    ];
    const bytes = compressedChunks([messages[0], { ...messages[1], timestamp: messages[1].timestamp }], 128, 4, true);
    const out = new ChunkReader().push(bytes);
    expect(out.map((m) => m.timestamp)).toEqual([0xfffffff0, (0xfffffff0 + 0x1000000) >>> 0]);
  });

  it('applies Set Chunk Size to the very next chunk and still returns it', () => {
    const big = { typeId: 9, streamId: 1, timestamp: 0, payload: Buffer.from(fill(1000, 1)) };
    const bytes = Buffer.concat([encodeMessageChunks(setChunkSize(1000), 128, 2), encodeMessageChunks(big, 1000, 6)]);
    const reader = new ChunkReader();
    const out = reader.push(bytes);
    expect(out.map((m) => m.typeId)).toEqual([1, 9]);
    expect(out[1]).toEqual(big);
    expect(reader.incomingChunkSize).toBe(1000);
  });

  it('discards the partial message of an aborted chunk stream (5.4.2)', () => {
    const big = encodeMessageChunks({ typeId: 9, streamId: 1, timestamp: 0, payload: Buffer.alloc(300, 1) }, 128, 6);
    const next = { typeId: 9, streamId: 1, timestamp: 40, payload: Buffer.from([7, 7]) };
    const out = new ChunkReader().push(
      Buffer.concat([
        big.subarray(0, 12 + 128),
        encodeMessageChunks(abortMessage(6), 128, 2),
        encodeMessageChunks(next, 128, 6),
      ]),
    );
    expect(out.map((m) => m.typeId)).toEqual([2, 9]);
    expect(out[1]).toEqual(next);
  });

  it('drops a message interrupted by a new full header on the same chunk stream', () => {
    const first = encodeMessageChunks({ typeId: 9, streamId: 1, timestamp: 0, payload: Buffer.alloc(200) }, 128, 6);
    const second = { typeId: 9, streamId: 1, timestamp: 5, payload: Buffer.from([1]) };
    const out = new ChunkReader().push(Buffer.concat([first.subarray(0, 140), encodeMessageChunks(second, 128, 6)]));
    expect(out).toEqual([second]);
  });

  it('enforces its limits with RtmpError codes, and stays broken after an error', () => {
    const huge = encodeMessageChunks({ typeId: 9, streamId: 1, timestamp: 0, payload: Buffer.alloc(2000) }, 4096, 6);
    expect(codeOf(() => new ChunkReader({ maxMessageSize: 1000 }).push(huge))).toBe('RTMP_MESSAGE_TOO_LARGE');
    const many = Buffer.concat(
      Array.from({ length: 5 }, (_, i) =>
        encodeMessageChunks({ typeId: 8, streamId: 1, timestamp: 0, payload: Buffer.alloc(1) }, 128, 10 + i),
      ),
    );
    expect(codeOf(() => new ChunkReader({ maxChunkStreams: 4 }).push(many))).toBe('RTMP_TOO_MANY_CHUNK_STREAMS');
    for (const size of [0, MAX_ACCEPTED_CHUNK_SIZE + 1]) {
      const bytes = encodeMessageChunks({ ...setChunkSize(1), payload: b([0, 0, 0, 0]) }, 128, 2);
      bytes.writeUInt32BE(size, 12);
      expect(codeOf(() => new ChunkReader().push(bytes))).toBe('RTMP_BAD_CHUNK_SIZE');
    }
    expect(codeOf(() => new ChunkReader().push(b([0xc3, 1, 2, 3])))).toBe('RTMP_BAD_CHUNK');
    const reader = new ChunkReader();
    expect(codeOf(() => reader.push(b([0xc5])))).toBe('RTMP_BAD_CHUNK');
    expect(codeOf(() => reader.push(b([0x05])))).toBe('RTMP_BAD_CHUNK');
  });

  it('yields the same messages however the bytes are split, with compressed headers and extended times', () => {
    const message = fc.record({
      typeId: fc.constantFrom(8, 9, 18),
      streamId: fc.constantFrom(1, 2),
      timestamp: fc.oneof(fc.integer({ min: 0, max: 0xfffffe }), fc.integer({ min: 0xffffff, max: 0xffffffff })),
      payload: fc.uint8Array({ maxLength: 400 }).map((a) => Buffer.from(a)),
    });
    fc.assert(
      fc.property(
        fc.array(message, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 300 }),
        fc.boolean(),
        fc.array(fc.nat(10_000), { maxLength: 10 }),
        (messages, chunkSize, repeat, cuts) => {
          // Deltas must be non-negative within a run: sort per message stream like a real encoder's clock.
          const sorted = [...messages].sort((x, y) => x.timestamp - y.timestamp);
          // Without repetition, a last chunk whose bytes start like the extended timestamp waits for 4 more
          // bytes to tell: a following message (as a live stream always has) settles it.
          const flush = { typeId: 8, streamId: 1, timestamp: 0, payload: Buffer.from([0xaf, 1]) };
          const bytes = Buffer.concat([
            encodeMessageChunks(setChunkSize(chunkSize), 128, 2),
            compressedChunks(sorted, chunkSize, 7, repeat),
            encodeMessageChunks(flush, chunkSize, 4),
          ]);
          const out = readInPieces(bytes, cuts).filter((m) => m.typeId !== 1);
          expect(out).toEqual([...sorted, flush]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reassembles chunks interleaved across chunk streams', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 500 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 16, max: 200 }),
        (payloads, chunkSize) => {
          const messages = payloads.map((p, i) => ({ typeId: 9, streamId: 1, timestamp: i, payload: Buffer.from(p) }));
          // Cut each message's chunks apart and deal them out round-robin.
          const perStream = messages.map((m, i) => splitChunks(encodeMessageChunks(m, chunkSize, 10 + i), chunkSize));
          const interleaved: Buffer[] = [encodeMessageChunks(setChunkSize(chunkSize), 128, 2)];
          for (let round = 0; perStream.some((chunks) => round < chunks.length); round++) {
            for (const chunks of perStream) if (round < chunks.length) interleaved.push(chunks[round]);
          }
          const out = new ChunkReader().push(Buffer.concat(interleaved)).filter((m) => m.typeId === 9);
          expect([...out].sort((x, y) => x.timestamp - y.timestamp)).toEqual(messages);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('throws only RtmpError on random bytes, and never hangs', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.array(fc.nat(3000), { maxLength: 5 }), (bytes, cuts) => {
        codeOf(() => readInPieces(Buffer.from(bytes), cuts, new ChunkReader({ maxMessageSize: 4096 })));
      }),
      { numRuns: 1000 },
    );
  });
});

/** Splits encodeMessageChunks output (1-byte basic headers, no extended timestamp) into its chunks. */
function splitChunks(bytes: Buffer, chunkSize: number): Buffer[] {
  const chunks: Buffer[] = [];
  const length = bytes.readUIntBE(4, 3);
  let pos = 0;
  let left = length;
  for (let first = true; first || left > 0; first = false) {
    const size = (first ? 12 : 1) + Math.min(chunkSize, left);
    chunks.push(bytes.subarray(pos, pos + size));
    pos += size;
    left -= Math.min(chunkSize, left);
  }
  return chunks;
}
