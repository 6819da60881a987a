import { createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RTMP_VERSION, RtmpClientHandshake, RtmpServerHandshake } from './handshake.js';
import { HANDSHAKE_SIZE } from './handshake-digest.js';
import { RtmpError } from './message.js';

/** The digest handshake, written out in the test from the published facts (independent of handshake-digest.ts). */
const TAIL = Buffer.from('f0eec24a8068bee82e00d0d1029e7e576eec5d2d29806fab93b8e636cfeb31ae', 'hex');
const PLAYER = Buffer.from('Genuine Adobe Flash Player 001');
const SERVER = Buffer.from('Genuine Adobe Flash Media Server 001');
const hmac = (key: Buffer, data: Buffer) => createHmac('sha256', key).update(data).digest();
const offsetOf = (block: Buffer, schema: 0 | 1) => {
  const base = schema === 0 ? 772 : 8;
  return ((block[base] + block[base + 1] + block[base + 2] + block[base + 3]) % 728) + base + 4;
};
const withoutDigest = (block: Buffer, at: number) => Buffer.concat([block.subarray(0, at), block.subarray(at + 32)]);

function flashC1(schema: 0 | 1): { c1: Buffer; digest: Buffer } {
  const c1 = randomBytes(HANDSHAKE_SIZE);
  c1.writeUInt32BE(0, 0);
  c1.writeUInt32BE(0x80000702, 4); // Flash Player 9+ version field: non-zero means "digest inside"
  const at = offsetOf(c1, schema);
  const digest = hmac(PLAYER, withoutDigest(c1, at));
  digest.copy(c1, at);
  return { c1, digest };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(RtmpError);
    return (error as RtmpError).code;
  }
}

describe('RTMP handshake (RTMP 1.0 section 5.2)', () => {
  it('completes the plain handshake byte by byte, echoing C1 in S2 and handing on what follows C2', () => {
    const server = new RtmpServerHandshake();
    const client = new RtmpClientHandshake();
    const c0c1 = client.start(1234);
    expect(c0c1[0]).toBe(RTMP_VERSION);
    expect(c0c1.readUInt32BE(1)).toBe(1234);
    expect(c0c1.readUInt32BE(5)).toBe(0);
    const sent: Buffer[] = [];
    for (const byte of c0c1) {
      const step = server.push(Buffer.from([byte]));
      sent.push(...step.send);
      expect(step.done).toBe(false);
    }
    const s0s1s2 = Buffer.concat(sent);
    expect(s0s1s2.length).toBe(1 + 2 * HANDSHAKE_SIZE);
    expect(s0s1s2.subarray(1 + HANDSHAKE_SIZE).equals(c0c1.subarray(1))).toBe(true);
    expect(server.complex).toBe(false);
    const reply = client.push(Buffer.concat([s0s1s2, Buffer.from([9])]));
    expect(reply.done).toBe(true);
    expect([...reply.rest]).toEqual([9]);
    expect(reply.send[0].equals(s0s1s2.subarray(1, 1 + HANDSHAKE_SIZE))).toBe(true); // C2 echoes S1
    const finished = server.push(Buffer.concat([...reply.send, Buffer.from([1, 2, 3])]));
    expect(finished).toEqual({ send: [], done: true, rest: Buffer.from([1, 2, 3]) });
    expect(server.push(Buffer.from([4]))).toEqual({ send: [], done: true, rest: Buffer.from([4]) });
  });

  it('answers a Flash Player digest C1 (either schema) with a server-signed S1 and an S2 keyed by the C1 digest', () => {
    for (const schema of [0, 1] as const) {
      const { c1, digest } = flashC1(schema);
      const server = new RtmpServerHandshake();
      const [s0, s1, s2] = server.push(Buffer.concat([Buffer.from([3]), c1])).send;
      expect(server.complex).toBe(true);
      expect(s0[0]).toBe(3);
      // S1 carries the server's digest at the same schema's offset.
      const at = offsetOf(s1, schema);
      expect(hmac(SERVER, withoutDigest(s1, at)).equals(s1.subarray(at, at + 32))).toBe(true);
      // S2's last 32 bytes: HMAC(HMAC(full server key, C1 digest), S2's first 1504 bytes).
      const key = hmac(Buffer.concat([SERVER, TAIL]), digest);
      expect(hmac(key, s2.subarray(0, 1504)).equals(s2.subarray(1504))).toBe(true);
    }
  });

  it('answers a C1 with a version but no valid digest with the plain echo', () => {
    const { c1 } = flashC1(1);
    c1[offsetOf(c1, 1)] ^= 0xff;
    const server = new RtmpServerHandshake();
    const [, , s2] = server.push(Buffer.concat([Buffer.from([3]), c1])).send;
    expect(server.complex).toBe(false);
    expect(s2.equals(c1)).toBe(true);
  });

  it('runs the digest handshake between our client and server, the client checking S2 and signing C2', () => {
    const client = new RtmpClientHandshake({ complex: true });
    const server = new RtmpServerHandshake();
    const c0c1 = client.start();
    const s = Buffer.concat(server.push(c0c1).send);
    expect(server.complex).toBe(true);
    const reply = client.push(s);
    expect(reply.done).toBe(true);
    const c2 = reply.send[0];
    // C2's last 32 bytes are keyed by the S1 digest with the full player key.
    const s1 = s.subarray(1, 1 + HANDSHAKE_SIZE);
    const schema = [0, 1].find((n) => {
      const at = offsetOf(s1, n as 0 | 1);
      return hmac(SERVER, withoutDigest(s1, at)).equals(s1.subarray(at, at + 32));
    }) as 0 | 1;
    const s1Digest = s1.subarray(offsetOf(s1, schema), offsetOf(s1, schema) + 32);
    const key = hmac(Buffer.concat([PLAYER, TAIL]), s1Digest);
    expect(hmac(key, c2.subarray(0, 1504)).equals(c2.subarray(1504))).toBe(true);
    expect(server.push(c2).done).toBe(true);
  });

  it('a digest client accepts a plain server and refuses a forged S2', () => {
    const plain = new RtmpClientHandshake({ complex: true });
    plain.start();
    const s1 = Buffer.alloc(HANDSHAKE_SIZE, 1);
    const reply = plain.push(Buffer.concat([Buffer.from([3]), s1, Buffer.alloc(HANDSHAKE_SIZE)]));
    expect(reply.send[0].equals(s1)).toBe(true);

    const forged = new RtmpClientHandshake({ complex: true });
    const c0c1 = forged.start();
    const answer = Buffer.concat(new RtmpServerHandshake().push(c0c1).send);
    answer[answer.length - 1] ^= 1;
    expect(codeOf(() => forged.push(answer))).toBe('RTMP_BAD_HANDSHAKE');
  });

  it('refuses any version but 3, on both sides', () => {
    for (const version of [0, 6, 0x47]) {
      expect(codeOf(() => new RtmpServerHandshake().push(Buffer.from([version])))).toBe('RTMP_BAD_VERSION');
      const client = new RtmpClientHandshake();
      client.start();
      expect(codeOf(() => client.push(Buffer.from([version, 0])))).toBe('RTMP_BAD_VERSION');
    }
    expect(codeOf(() => new RtmpClientHandshake().push(Buffer.from([3])))).toBe('RTMP_BAD_STATE');
  });

  it('throws only RtmpError on random or truncated input, split anywhere, and finishes once enough arrived', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 4000 }),
        fc.array(fc.nat(4000), { maxLength: 6 }),
        fc.boolean(),
        (random, cuts, validVersion) => {
          const bytes = Buffer.from(random);
          if (validVersion && bytes.length > 0) bytes[0] = 3;
          const server = new RtmpServerHandshake();
          let done = false;
          codeOf(() => {
            let last = 0;
            for (const cut of [...cuts.map((c) => c % (bytes.length + 1)).sort((a, b) => a - b), bytes.length]) {
              done = server.push(bytes.subarray(last, cut)).done || done;
              last = cut;
            }
          });
          if (bytes[0] === 3 && bytes.length >= 1 + 2 * HANDSHAKE_SIZE) expect(done).toBe(true);
          const client = new RtmpClientHandshake({ complex: validVersion });
          client.start();
          codeOf(() => client.push(bytes));
        },
      ),
      { numRuns: 300 },
    );
  });
});
