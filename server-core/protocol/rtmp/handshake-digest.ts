import { createHmac, randomBytes } from 'node:crypto';

/**
 * The digest ("complex") handshake Flash-era peers use inside C1/S1 and C2/S2. It is not in the RTMP 1.0 spec;
 * these are the facts every server (FMS, nginx-rtmp, SRS) agrees on:
 *
 *   C1/S1 (1536): time u32 | version u32 (non-zero) | 764-byte block | 764-byte block
 *     schema 0: key block first, digest block at 772;  schema 1: digest block at 8, key block after it
 *     digest block: 4 offset bytes | ... | 32-byte digest at base + 4 + (sum of the 4 offset bytes % 728)
 *     digest = HMAC-SHA256(public key, the 1536 bytes without the 32 digest bytes)
 *   C2/S2 (1536): 1504 random bytes | HMAC-SHA256(HMAC-SHA256(full key, peer's C1/S1 digest), the 1504 bytes)
 *
 * Client keys use "Genuine Adobe Flash Player 001", server keys "Genuine Adobe Flash Media Server 001"; the
 * public key is that text alone, the full key adds 32 fixed bytes.
 */
export const HANDSHAKE_SIZE = 1536;
export const DIGEST_SIZE = 32;
const KEY_TAIL = Buffer.from('f0eec24a8068bee82e00d0d1029e7e576eec5d2d29806fab93b8e636cfeb31ae', 'hex');
const PLAYER_TEXT = Buffer.from('Genuine Adobe Flash Player 001');
const SERVER_TEXT = Buffer.from('Genuine Adobe Flash Media Server 001');

export const HANDSHAKE_KEYS = {
  player: { public: PLAYER_TEXT, full: Buffer.concat([PLAYER_TEXT, KEY_TAIL]) },
  server: { public: SERVER_TEXT, full: Buffer.concat([SERVER_TEXT, KEY_TAIL]) },
} as const;

export type HandshakeParty = keyof typeof HANDSHAKE_KEYS;
export type DigestSchema = 0 | 1;

function hmac(key: Buffer, ...data: Buffer[]): Buffer {
  const h = createHmac('sha256', key);
  for (const d of data) h.update(d);
  return h.digest();
}

/** Where the 32-byte digest sits inside a 1536-byte C1/S1 for a schema. */
export function digestOffset(block: Buffer, schema: DigestSchema): number {
  const base = schema === 0 ? 772 : 8;
  return ((block[base] + block[base + 1] + block[base + 2] + block[base + 3]) % 728) + base + 4;
}

function digestAt(block: Buffer, offset: number, key: Buffer): Buffer {
  return hmac(key, block.subarray(0, offset), block.subarray(offset + DIGEST_SIZE));
}

/** Finds a valid digest signed by `party` in a C1/S1, trying both schemas; undefined for a plain block. */
export function findDigest(block: Buffer, party: HandshakeParty): { schema: DigestSchema; digest: Buffer } | undefined {
  if (block.length !== HANDSHAKE_SIZE) return undefined;
  for (const schema of [1, 0] as const) {
    const offset = digestOffset(block, schema);
    const digest = block.subarray(offset, offset + DIGEST_SIZE);
    if (digestAt(block, offset, HANDSHAKE_KEYS[party].public).equals(digest)) return { schema, digest };
  }
  return undefined;
}

/** A C1/S1 carrying `party`'s digest at the schema's offset. */
export function makeDigestBlock(schema: DigestSchema, party: HandshakeParty, time = 0): Buffer {
  const block = randomBytes(HANDSHAKE_SIZE);
  block.writeUInt32BE(time >>> 0, 0);
  // Any non-zero version tells the peer this is a digest block; these are the versions FMS and Flash send.
  block.writeUInt32BE(party === 'server' ? 0x04050001 : 0x80000702, 4);
  const offset = digestOffset(block, schema);
  digestAt(block, offset, HANDSHAKE_KEYS[party].public).copy(block, offset);
  return block;
}

/** The C2/S2 answering a peer digest: its last 32 bytes sign the rest with a key derived from that digest. */
export function makeDigestResponse(peerDigest: Buffer, party: HandshakeParty): Buffer {
  const response = randomBytes(HANDSHAKE_SIZE);
  const key = hmac(HANDSHAKE_KEYS[party].full, peerDigest);
  hmac(key, response.subarray(0, HANDSHAKE_SIZE - DIGEST_SIZE)).copy(response, HANDSHAKE_SIZE - DIGEST_SIZE);
  return response;
}

/** Checks a C2/S2 signed by `party` against the digest we sent in our C1/S1. */
export function verifyDigestResponse(response: Buffer, ourDigest: Buffer, party: HandshakeParty): boolean {
  if (response.length !== HANDSHAKE_SIZE) return false;
  const key = hmac(HANDSHAKE_KEYS[party].full, ourDigest);
  const expected = hmac(key, response.subarray(0, HANDSHAKE_SIZE - DIGEST_SIZE));
  return expected.equals(response.subarray(HANDSHAKE_SIZE - DIGEST_SIZE));
}
