import { randomBytes } from 'node:crypto';
import { ByteQueue, EMPTY } from './byte-queue.js';
import {
  findDigest,
  HANDSHAKE_SIZE,
  makeDigestBlock,
  makeDigestResponse,
  verifyDigestResponse,
} from './handshake-digest.js';
import { RtmpError } from './message.js';

/**
 * RTMP handshake (RTMP spec 1.0 section 5.2):
 *   C0/S0: version u8 (3)
 *   C1/S1: time u32 | zero u32 | 1528 random bytes
 *   C2/S2: time u32 | time2 u32 | the peer's random bytes echoed
 * A C1 with a non-zero second field may carry a digest (handshake-digest.ts); the server answers in kind when it
 * validates, and with the plain echo otherwise.
 */
export const RTMP_VERSION = 3;

export interface HandshakeStep {
  /** Bytes to write to the peer, in order. */
  send: Buffer[];
  done: boolean;
  /** Bytes after the handshake (the first chunks), to feed the chunk reader. */
  rest: Buffer;
}

function checkVersion(input: ByteQueue, who: string): void {
  if (input.length === 0) return;
  const version = input.peekAll()[0];
  if (version !== RTMP_VERSION) {
    throw new RtmpError('RTMP_BAD_VERSION', `${who} sent RTMP version ${version} (only ${RTMP_VERSION} is supported)`);
  }
}

/** A plain C1/S1: time, four zero bytes, random. */
function plainBlock(time: number): Buffer {
  const block = randomBytes(HANDSHAKE_SIZE);
  block.writeUInt32BE(time >>> 0, 0);
  block.writeUInt32BE(0, 4);
  return block;
}

/** Server side: C0+C1 in -> S0+S1+S2 out; C2 in -> done. C2 is not checked: encoders send it carelessly. */
export class RtmpServerHandshake {
  private readonly input = new ByteQueue();
  private phase: 'c0c1' | 'c2' | 'done' = 'c0c1';
  /** Whether the client's C1 carried a valid digest (set once C1 has arrived). */
  complex = false;

  push(bytes: Buffer): HandshakeStep {
    if (this.phase === 'done') return { send: [], done: true, rest: bytes };
    this.input.push(bytes);
    const send: Buffer[] = [];
    if (this.phase === 'c0c1') {
      checkVersion(this.input, 'client');
      if (this.input.length < 1 + HANDSHAKE_SIZE) return { send, done: false, rest: EMPTY };
      const c1 = this.input.take(1 + HANDSHAKE_SIZE).subarray(1);
      const client = c1.readUInt32BE(4) !== 0 ? findDigest(c1, 'player') : undefined;
      this.complex = client !== undefined;
      send.push(Buffer.from([RTMP_VERSION]));
      if (client) send.push(makeDigestBlock(client.schema, 'server'), makeDigestResponse(client.digest, 'server'));
      else send.push(plainBlock(0), Buffer.from(c1));
      this.phase = 'c2';
    }
    if (this.input.length < HANDSHAKE_SIZE) return { send, done: false, rest: EMPTY };
    this.input.take(HANDSHAKE_SIZE);
    const rest = this.input.peekAll();
    this.input.replace(EMPTY);
    this.phase = 'done';
    return { send, done: true, rest };
  }
}

/**
 * Client side: start() gives C0+C1; S0+S1+S2 in -> C2 out and done. With `complex`, C1 carries a Flash Player
 * digest and, when the server answers with a digest, its S2 is verified and C2 is signed in return.
 */
export class RtmpClientHandshake {
  private readonly input = new ByteQueue();
  private phase: 'start' | 's0s1s2' | 'done' = 'start';
  private ourDigest?: Buffer;

  constructor(private readonly options: { complex?: boolean } = {}) {}

  start(time = 0): Buffer {
    this.phase = 's0s1s2';
    if (!this.options.complex) return Buffer.concat([Buffer.from([RTMP_VERSION]), plainBlock(time)]);
    const c1 = makeDigestBlock(1, 'player', time);
    this.ourDigest = findDigest(c1, 'player')?.digest;
    return Buffer.concat([Buffer.from([RTMP_VERSION]), c1]);
  }

  push(bytes: Buffer): HandshakeStep {
    if (this.phase === 'done') return { send: [], done: true, rest: bytes };
    if (this.phase === 'start') throw new RtmpError('RTMP_BAD_STATE', 'handshake bytes before start()');
    this.input.push(bytes);
    checkVersion(this.input, 'server');
    if (this.input.length < 1 + 2 * HANDSHAKE_SIZE) return { send: [], done: false, rest: EMPTY };
    const s0s1s2 = this.input.take(1 + 2 * HANDSHAKE_SIZE);
    const s1 = s0s1s2.subarray(1, 1 + HANDSHAKE_SIZE);
    const s2 = s0s1s2.subarray(1 + HANDSHAKE_SIZE);
    const rest = this.input.peekAll();
    this.input.replace(EMPTY);
    this.phase = 'done';
    const server = this.ourDigest ? findDigest(s1, 'server') : undefined;
    if (!server || !this.ourDigest) return { send: [Buffer.from(s1)], done: true, rest };
    if (!verifyDigestResponse(s2, this.ourDigest, 'server')) {
      throw new RtmpError('RTMP_BAD_HANDSHAKE', 'S2 does not sign our C1 digest');
    }
    return { send: [makeDigestResponse(server.digest, 'player')], done: true, rest };
  }
}
