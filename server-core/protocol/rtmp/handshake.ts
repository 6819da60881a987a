import { createHmac, randomBytes } from 'node:crypto';
import { RtmpError } from './message.js';

/**
 * RTMP handshake (RTMP spec 1.0 section 5.2): C0/S0 is the version byte (3), C1/S1 and C2/S2 are 1536 bytes.
 *   C1/S1: time u32 | zero-or-version u32 | 1528 random bytes
 * The "complex" (digest) form Flash-era clients use hides an HMAC-SHA256 digest inside the random bytes, at an
 * offset derived from four bytes at position 8 (schema 1) or 772 (schema 0); the server answers in kind.
 */
export const HANDSHAKE_SIZE = 1536;
const RTMP_VERSION = 3;
const DIGEST_LENGTH = 32;
const KEY_TAIL = Buffer.from('f0eec24a8068bee82e00d0d1029e7e576eec5d2d29806fab93b8e636cfeb31ae', 'hex');
const FP_KEY = Buffer.concat([Buffer.from('Genuine Adobe Flash Player 001'), KEY_TAIL]);
const FMS_KEY = Buffer.concat([Buffer.from('Genuine Adobe Flash Media Server 001'), KEY_TAIL]);
const FP_KEY_SHORT = FP_KEY.subarray(0, 30);
const FMS_KEY_SHORT = FMS_KEY.subarray(0, 36);

type Schema = 0 | 1;

function hmac(key: Buffer, ...data: Buffer[]): Buffer {
  const h = createHmac('sha256', key);
  for (const d of data) h.update(d);
  return h.digest();
}

/** Where the 32-byte digest sits inside a 1536-byte C1/S1 for a schema. */
export function digestOffset(block: Buffer, schema: Schema): number {
  const base = schema === 0 ? 772 : 8;
  return ((block[base] + block[base + 1] + block[base + 2] + block[base + 3]) % 728) + base + 4;
}

function digestOf(block: Buffer, offset: number, key: Buffer): Buffer {
  return hmac(key, block.subarray(0, offset), block.subarray(offset + DIGEST_LENGTH));
}

/** Returns the schema whose digest validates with the Flash Player key, or undefined for a plain C1. */
export function findClientDigest(c1: Buffer): { schema: Schema; digest: Buffer } | undefined {
  for (const schema of [1, 0] as const) {
    const offset = digestOffset(c1, schema);
    const expected = digestOf(c1, offset, FP_KEY_SHORT);
    if (expected.equals(c1.subarray(offset, offset + DIGEST_LENGTH))) {
      return { schema, digest: c1.subarray(offset, offset + DIGEST_LENGTH) };
    }
  }
  return undefined;
}

/** Builds a digest-carrying block (S1 with the FMS key, or a test C1 with the FP key). */
export function makeDigestBlock(schema: Schema, key: 'fms' | 'fp'): Buffer {
  const block = randomBytes(HANDSHAKE_SIZE);
  block.writeUInt32BE(0, 0);
  block.writeUInt32BE(0x0d0e0a0d, 4);
  const offset = digestOffset(block, schema);
  digestOf(block, offset, key === 'fms' ? FMS_KEY_SHORT : FP_KEY_SHORT).copy(block, offset);
  return block;
}

/** S2 for a complex handshake: random bytes whose last 32 are keyed by the client's digest. */
export function makeComplexS2(clientDigest: Buffer): Buffer {
  const s2 = randomBytes(HANDSHAKE_SIZE);
  const key = hmac(FMS_KEY, clientDigest);
  hmac(key, s2.subarray(0, HANDSHAKE_SIZE - DIGEST_LENGTH)).copy(s2, HANDSHAKE_SIZE - DIGEST_LENGTH);
  return s2;
}

/** Checks an S2 against the C1 digest it answers (used by tests and clients doing the complex form). */
export function verifyComplexS2(s2: Buffer, clientDigest: Buffer): boolean {
  const key = hmac(FMS_KEY, clientDigest);
  const expected = hmac(key, s2.subarray(0, HANDSHAKE_SIZE - DIGEST_LENGTH));
  return expected.equals(s2.subarray(HANDSHAKE_SIZE - DIGEST_LENGTH));
}

export interface HandshakeStep {
  send: Buffer[];
  done: boolean;
  /** Bytes after the handshake (the first chunks), to feed the chunk reader. */
  rest: Buffer;
}

/** Server side: C0+C1 in -> S0+S1+S2 out; C2 in -> done. */
export class RtmpServerHandshake {
  private buffer: Buffer = Buffer.alloc(0);
  private phase: 'c0c1' | 'c2' | 'done' = 'c0c1';

  push(bytes: Buffer): HandshakeStep {
    this.buffer = this.buffer.length === 0 ? bytes : Buffer.concat([this.buffer, bytes]);
    const send: Buffer[] = [];
    if (this.phase === 'c0c1') {
      if (this.buffer.length >= 1 && this.buffer[0] !== RTMP_VERSION) {
        throw new RtmpError('RTMP_BAD_VERSION', `RTMP version ${this.buffer[0]} (only 3 is supported)`);
      }
      if (this.buffer.length < 1 + HANDSHAKE_SIZE) return { send, done: false, rest: Buffer.alloc(0) };
      const c1 = this.buffer.subarray(1, 1 + HANDSHAKE_SIZE);
      this.buffer = this.buffer.subarray(1 + HANDSHAKE_SIZE);
      const complex = c1.readUInt32BE(4) !== 0 ? findClientDigest(c1) : undefined;
      if (complex) {
        send.push(Buffer.from([RTMP_VERSION]), makeDigestBlock(complex.schema, 'fms'), makeComplexS2(complex.digest));
      } else {
        const s1 = randomBytes(HANDSHAKE_SIZE);
        s1.writeUInt32BE(0, 0);
        s1.writeUInt32BE(0, 4);
        send.push(Buffer.from([RTMP_VERSION]), s1, Buffer.from(c1));
      }
      this.phase = 'c2';
    }
    if (this.phase === 'c2' && this.buffer.length >= HANDSHAKE_SIZE) {
      // C2 is not checked: many encoders send it carelessly, and it proves nothing about the stream.
      const rest = this.buffer.subarray(HANDSHAKE_SIZE);
      this.buffer = Buffer.alloc(0);
      this.phase = 'done';
      return { send, done: true, rest };
    }
    return { send, done: false, rest: Buffer.alloc(0) };
  }
}

/** Client side (plain form): start() gives C0+C1; S0+S1+S2 in -> C2 out and done. */
export class RtmpClientHandshake {
  private buffer: Buffer = Buffer.alloc(0);
  private done = false;

  start(): Buffer {
    const c1 = randomBytes(HANDSHAKE_SIZE);
    c1.writeUInt32BE(0, 0);
    c1.writeUInt32BE(0, 4);
    return Buffer.concat([Buffer.from([RTMP_VERSION]), c1]);
  }

  push(bytes: Buffer): HandshakeStep {
    if (this.done) return { send: [], done: true, rest: bytes };
    this.buffer = this.buffer.length === 0 ? bytes : Buffer.concat([this.buffer, bytes]);
    if (this.buffer.length >= 1 && this.buffer[0] !== RTMP_VERSION) {
      throw new RtmpError('RTMP_BAD_VERSION', `server answered RTMP version ${this.buffer[0]}`);
    }
    const need = 1 + 2 * HANDSHAKE_SIZE;
    if (this.buffer.length < need) return { send: [], done: false, rest: Buffer.alloc(0) };
    const s1 = Buffer.from(this.buffer.subarray(1, 1 + HANDSHAKE_SIZE));
    const rest = this.buffer.subarray(need);
    this.buffer = Buffer.alloc(0);
    this.done = true;
    return { send: [s1], done: true, rest };
  }
}
