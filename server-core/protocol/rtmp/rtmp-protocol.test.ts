import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChunkReader } from './chunk-reader.js';
import { encodeMessageChunks } from './chunk-writer.js';
import { RtmpClientSession } from './client-session.js';
import { setChunkSize } from './control-messages.js';
import { RtmpClientHandshake, RtmpServerHandshake } from './handshake.js';
import { digestOffset, findDigest, HANDSHAKE_SIZE, makeDigestBlock, verifyDigestResponse } from './handshake-digest.js';
import { RtmpError, type RtmpMessage } from './message.js';
import { RtmpServerSession } from './server-session.js';

const message = fc.record({
  typeId: fc.constantFrom(8, 9, 18, 20),
  streamId: fc.integer({ min: 0, max: 5 }),
  timestamp: fc.oneof(fc.integer({ min: 0, max: 0xfffffe }), fc.integer({ min: 0xffffff, max: 0xffffffff })),
  payload: fc.uint8Array({ maxLength: 600 }).map((a) => Buffer.from(a)),
});

/** Feeds bytes to a reader in pieces cut at the given points. */
function readInPieces(reader: ChunkReader, bytes: Buffer, cuts: number[]): RtmpMessage[] {
  const out: RtmpMessage[] = [];
  let last = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b).concat(bytes.length)) {
    out.push(...reader.push(bytes.subarray(last, cut)));
    last = cut;
  }
  return out;
}

describe('RTMP chunk stream (spec 5.3)', () => {
  it('encodes a message byte for byte: fmt 0 header, then fmt 3 continuation chunks', () => {
    const bytes = encodeMessageChunks(
      { typeId: 9, streamId: 1, timestamp: 0x123456, payload: Buffer.alloc(200, 0xaa) },
      128,
      6,
    );
    // basic header fmt 0 csid 6 | ts 12 34 56 | length 00 00 c8 | type 09 | stream id 01 00 00 00 (LE)
    expect(bytes.subarray(0, 12).toString('hex')).toBe('06123456' + '0000c8' + '09' + '01000000');
    expect(bytes[12 + 128]).toBe(0xc6); // fmt 3, csid 6
    expect(bytes.length).toBe(12 + 200 + 1);
  });

  it('writes extended timestamps on the first and every continuation chunk', () => {
    const bytes = encodeMessageChunks(
      { typeId: 8, streamId: 1, timestamp: 0x01000000, payload: Buffer.alloc(150) },
      128,
      4,
    );
    expect(bytes.readUIntBE(1, 3)).toBe(0xffffff);
    expect(bytes.readUInt32BE(12)).toBe(0x01000000);
    expect(bytes[16 + 128]).toBe(0xc4);
    expect(bytes.readUInt32BE(16 + 128 + 1)).toBe(0x01000000);
    const [decoded] = new ChunkReader().push(bytes);
    expect(decoded.timestamp).toBe(0x01000000);
    expect(decoded.payload.length).toBe(150);
  });

  it('round-trips any messages at any chunk size, split at any byte, across chunk size changes', () => {
    fc.assert(
      fc.property(
        fc.array(message, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 700 }),
        fc.integer({ min: 1, max: 700 }),
        fc.array(fc.nat(5000), { maxLength: 8 }),
        (messages, firstSize, secondSize, cuts) => {
          const half = Math.ceil(messages.length / 2);
          // The peer announces its chunk size, then changes it mid-stream.
          const bytes = Buffer.concat([
            encodeMessageChunks(setChunkSize(firstSize), 128, 2),
            ...messages.slice(0, half).map((m) => encodeMessageChunks(m, firstSize, 3 + (m.typeId % 5))),
            encodeMessageChunks(setChunkSize(secondSize), firstSize, 2),
            ...messages.slice(half).map((m) => encodeMessageChunks(m, secondSize, 3 + (m.typeId % 5))),
          ]);
          const out = readInPieces(
            new ChunkReader(),
            bytes,
            cuts.map((c) => c % (bytes.length + 1)),
          );
          const media = out.filter((m) => m.typeId !== 1);
          expect(media).toEqual(messages);
        },
      ),
    );
  });

  it('discards a partial message on Abort', () => {
    const reader = new ChunkReader();
    const big = encodeMessageChunks({ typeId: 9, streamId: 1, timestamp: 0, payload: Buffer.alloc(300, 1) }, 128, 6);
    const abort: RtmpMessage = { typeId: 2, streamId: 0, timestamp: 0, payload: Buffer.from([0, 0, 0, 6]) };
    const next = { typeId: 9, streamId: 1, timestamp: 40, payload: Buffer.from([7, 7]) };
    const out = reader.push(
      Buffer.concat([big.subarray(0, 12 + 128), encodeMessageChunks(abort, 128, 2), encodeMessageChunks(next, 128, 6)]),
    );
    expect(out.filter((m) => m.typeId === 9)).toEqual([next]);
  });

  it('never throws anything but RtmpError on random bytes, and refuses oversized messages', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        try {
          new ChunkReader().push(Buffer.from(bytes));
        } catch (error) {
          expect(error).toBeInstanceOf(RtmpError);
        }
      }),
    );
    const huge = encodeMessageChunks({ typeId: 9, streamId: 1, timestamp: 0, payload: Buffer.alloc(2000) }, 4096, 6);
    expect(() => new ChunkReader({ maxMessageSize: 1000 }).push(huge)).toThrow(RtmpError);
  });
});

describe('RTMP handshake (spec 5.2)', () => {
  it('completes the plain handshake between our client and server', () => {
    const server = new RtmpServerHandshake();
    const client = new RtmpClientHandshake();
    const c0c1 = client.start();
    expect(c0c1.length).toBe(1 + HANDSHAKE_SIZE);
    const reply = server.push(c0c1);
    const s = Buffer.concat(reply.send);
    expect(s.length).toBe(1 + 2 * HANDSHAKE_SIZE);
    expect(s.subarray(1 + HANDSHAKE_SIZE).equals(c0c1.subarray(1))).toBe(true); // S2 echoes C1
    const done = client.push(s);
    expect(done.done).toBe(true);
    const finished = server.push(Buffer.concat([...done.send, Buffer.from([1, 2, 3])]));
    expect(finished.done).toBe(true);
    expect([...finished.rest]).toEqual([1, 2, 3]);
  });

  it('answers a digest (complex) C1 with a digest S1 and an S2 keyed by the client digest', () => {
    for (const schema of [0, 1] as const) {
      const c1 = makeDigestBlock(schema, 'player');
      const found = findDigest(c1, 'player');
      expect(found?.schema).toBe(schema);
      const reply = new RtmpServerHandshake().push(Buffer.concat([Buffer.from([3]), c1]));
      const [s0, s1, s2] = reply.send;
      expect(s0[0]).toBe(3);
      expect(s1.length).toBe(HANDSHAKE_SIZE);
      const offset = digestOffset(s1, schema);
      expect(offset).toBeGreaterThan(0);
      const clientDigest = c1.subarray(digestOffset(c1, schema), digestOffset(c1, schema) + 32);
      expect(verifyDigestResponse(s2, clientDigest, 'server')).toBe(true);
    }
  });

  it('refuses a wrong version and survives truncated handshakes', () => {
    expect(() => new RtmpServerHandshake().push(Buffer.from([6]))).toThrow(RtmpError);
    const partial = new RtmpServerHandshake().push(Buffer.concat([Buffer.from([3]), Buffer.alloc(700)]));
    expect(partial.done).toBe(false);
    expect(partial.send).toHaveLength(0);
  });
});

describe('RTMP sessions', () => {
  /** Runs a client against a server in memory until neither has anything to say. */
  function converse(
    client: RtmpClientSession,
    server: RtmpServerSession,
    onServer: (e: ReturnType<RtmpServerSession['push']>[number]) => Buffer | undefined,
  ) {
    const clientEvents: ReturnType<RtmpClientSession['push']> = [];
    let toServer = [client.start(0)];
    for (let round = 0; round < 20 && toServer.length > 0; round++) {
      const toClient: Buffer[] = [];
      for (const bytes of toServer) {
        for (const event of server.push(bytes, 0)) {
          if (event.type === 'send') toClient.push(event.bytes);
          const reply = onServer(event);
          if (reply) toClient.push(reply);
        }
      }
      toServer = [];
      for (const bytes of toClient) {
        for (const event of client.push(bytes, 0)) {
          if (event.type === 'send') toServer.push(event.bytes);
          else clientEvents.push(event);
        }
      }
    }
    return clientEvents;
  }

  it('publishes: connect, createStream, publish with the query split off, media arrives intact', () => {
    const server = new RtmpServerSession({ chunkSize: 4096 });
    const client = new RtmpClientSession({ url: 'rtmp://127.0.0.1/live/cam?secret=x', mode: 'publish' });
    const seen: string[] = [];
    const media: RtmpMessage[] = [];
    const events = converse(client, server, (e) => {
      if (e.type === 'connect') seen.push(`connect ${e.app} ${e.tcUrl}`);
      if (e.type === 'publish') {
        seen.push(`publish ${e.streamName} ${e.query}`);
        return server.acceptPublish(e.streamId);
      }
      if (e.type === 'media') media.push(e.message);
      return undefined;
    });
    expect(seen).toEqual(['connect live rtmp://127.0.0.1:1935/live', 'publish cam secret=x']);
    expect(events.some((e) => e.type === 'ready')).toBe(true);
    const payload = Buffer.alloc(10_000, 5);
    const out = server.push(client.sendMedia(9, 40, payload), 0);
    const delivered = out.find((e) => e.type === 'media');
    expect(delivered?.type === 'media' && delivered.message.payload.equals(payload)).toBe(true);
  });

  it('plays: the client is ready on Play.Start and receives shared media chunks', () => {
    const server = new RtmpServerSession({ chunkSize: 4096 });
    const client = new RtmpClientSession({ url: 'rtmp://127.0.0.1/live/cam', mode: 'play' });
    let streamId = 0;
    const events = converse(client, server, (e) => {
      if (e.type === 'play') {
        streamId = e.streamId;
        return server.acceptPlay(e.streamId);
      }
      return undefined;
    });
    expect(events.some((e) => e.type === 'ready')).toBe(true);
    const tag = { typeId: 9, streamId, timestamp: 0x1000000, payload: Buffer.alloc(9000, 3) };
    const received = client.push(encodeMessageChunks(tag, server.outChunkSize, 6), 0);
    const got = received.find((e) => e.type === 'media');
    expect(got?.type === 'media' && got.message).toEqual(tag);
  });

  it('turns random or truncated input into an error event, never an exception', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4000 }), fc.boolean(), (bytes, handshaken) => {
        const server = new RtmpServerSession();
        if (handshaken) {
          const client = new RtmpClientHandshake();
          server.push(client.start(), 0);
          server.push(Buffer.alloc(HANDSHAKE_SIZE), 0);
        }
        const events = server.push(Buffer.from(bytes), 0);
        for (const e of events) if (e.type === 'error') expect(e.error).toBeInstanceOf(RtmpError);
      }),
    );
  });
});
