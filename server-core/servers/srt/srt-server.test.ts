import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Admission, AdmissionResult } from '../../defs/admission.js';
import { StreamRegistry } from '../../hub/stream-registry.js';
import { sourceOptions } from '../../hub/test-support.js';
import { CAPTURED_HANDSHAKES } from '../../protocol/srt/captured-handshakes.fixture.js';
import { SessionPath } from '../session/session-path.js';
import { SrtServer } from './srt-server.js';

/** Offsets in a handshake packet: 16-byte header, then the CIF (draft-sharabayko-srt-01 section 3.2.1). */
const TIMESTAMP = 8;
const HS_TYPE = 16 + 20;
const SYN_COOKIE = 16 + 28;
const CONCLUSION = 0xffffffff;

/** An admission whose verdicts the test gives by hand. */
function manualAdmission() {
  const waiting: Array<(r: AdmissionResult) => void> = [];
  const admission: Admission = {
    check: (action) =>
      action === 'connect' ? Promise.resolve({ allowed: true }) : new Promise((resolve) => waiting.push(resolve)),
    departed: () => {},
  };
  return { admission, waiting };
}

/** A caller replaying ffmpeg's captured handshake with the cookie our induction answer carries. */
class Caller {
  readonly replies: Buffer[] = [];
  /** The source port of every datagram received. */
  readonly fromPorts: number[] = [];
  private wake?: () => void;
  constructor(
    private readonly socket: Socket,
    private readonly port: number,
  ) {
    socket.on('message', (m, rinfo) => {
      this.replies.push(m);
      this.fromPorts.push(rinfo.port);
      this.wake?.();
    });
  }

  static async open(port: number): Promise<Caller> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new Caller(socket, port);
  }

  send(bytes: Buffer): void {
    this.socket.send(bytes, this.port, '127.0.0.1');
  }

  /** The next reply, or undefined after `ms`. */
  async next(ms = 500): Promise<Buffer | undefined> {
    if (this.replies.length === 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
    return this.replies.shift();
  }

  /** Induction, then the conclusion carrying the cookie we were given. */
  async conclusion(): Promise<Buffer> {
    const hs = CAPTURED_HANDSHAKES.ffmpegPublish;
    this.send(Buffer.from(hs.induction, 'hex'));
    const induction = await this.next();
    if (!induction) throw new Error('no induction answer');
    const conclusion = Buffer.from(hs.conclusion, 'hex');
    conclusion.writeUInt32BE(induction.readUInt32BE(SYN_COOKIE), SYN_COOKIE);
    return conclusion;
  }

  close(): void {
    this.socket.close();
  }
}

/** Shutdown: control type 5, with the 4-byte CIF libsrt sends. */
function shutdownPacket(socketId: number): Buffer {
  const shutdown = Buffer.alloc(20);
  shutdown.writeUInt32BE(0x80050000, 0);
  shutdown.writeUInt32BE(socketId, 12);
  return shutdown;
}

describe('SrtServer', () => {
  let server: SrtServer;
  let registry: StreamRegistry;
  let manual: ReturnType<typeof manualAdmission>;
  let caller: Caller;
  /** A conclusion the admission then allows: returns the server's socket id for the connection. */
  const admitPublisher = async (): Promise<number> => {
    caller.send(await caller.conclusion());
    await new Promise((r) => setTimeout(r, 20));
    manual.waiting[0]({ allowed: true });
    const reply = await caller.next();
    return reply?.readUInt32BE(16 + 24) ?? 0;
  };
  const newServer = (port: number) =>
    new SrtServer({
      host: '127.0.0.1',
      port,
      latencyMs: 120,
      passphrase: '',
      pbkeylen: 16,
      peerIdleTimeoutMs: 5000,
      maxConnections: 10,
      vhost: 'v',
      sessions: new SessionPath(registry, manual.admission),
      logger: pino({ level: 'silent' }),
      now: Date.now,
    });

  beforeEach(async () => {
    manual = manualAdmission();
    registry = new StreamRegistry(sourceOptions({ now: 0 }));
    server = newServer(0);
    await server.start();
    caller = await Caller.open(server.port);
  });

  afterEach(async () => {
    caller.close();
    await server.close();
    registry.close();
  });

  it('holds the conclusion while admission runs, asks once for repeats, then accepts with our clock at 0', async () => {
    const conclusion = await caller.conclusion();
    caller.send(conclusion);
    caller.send(conclusion);
    expect(await caller.next(100)).toBeUndefined();
    expect(manual.waiting).toHaveLength(1);
    manual.waiting[0]({ allowed: true });
    const reply = await caller.next();
    expect(reply?.readUInt32BE(HS_TYPE)).toBe(CONCLUSION);
    expect(reply?.readUInt32BE(TIMESTAMP)).toBe(0);
    expect(server.connections.size).toBe(1);
    expect(registry.find({ vhost: 'v', app: 'live', stream: 'livestream' })?.isPublishing).toBe(true);
    // A repeat after the answer (ours was lost) gets the same answer (stamped from the connection start), not a
    // second connection.
    caller.send(conclusion);
    const again = (await caller.next()) as Buffer;
    const timeless = (b: Buffer) => Buffer.concat([b.subarray(0, TIMESTAMP), b.subarray(TIMESTAMP + 4)]);
    expect(timeless(again).equals(timeless(reply as Buffer))).toBe(true);
    expect(server.connections.size).toBe(1);
    const [stats] = server.allConnectionStats();
    expect(stats).toMatchObject({ role: 'publish', app: 'live', stream: 'livestream', latencyMs: 200 });
    expect(server.connectionStats(stats.cid)?.cid).toBe(stats.cid);
  });

  it('answers a refusal with the access-control rejection, and the same again to a repeat', async () => {
    const conclusion = await caller.conclusion();
    caller.send(conclusion);
    await new Promise((r) => setTimeout(r, 20));
    manual.waiting[0]({ allowed: false, reason: 'no' });
    expect((await caller.next())?.readUInt32BE(HS_TYPE)).toBe(1000 + 1403);
    caller.send(conclusion);
    expect((await caller.next())?.readUInt32BE(HS_TYPE)).toBe(1000 + 1403);
    expect(manual.waiting).toHaveLength(1);
    expect(server.connections.size).toBe(0);
  });

  it('the connection ends its publish session when the peer shuts down', async () => {
    const socketId = await admitPublisher();
    caller.send(shutdownPacket(socketId));
    await new Promise((r) => setTimeout(r, 50));
    expect(server.connections.size).toBe(0);
    expect(registry.find({ vhost: 'v', app: 'live', stream: 'livestream' })?.isPublishing ?? false).toBe(false);
  });

  it('refuses to start on a port another listener holds (its sockets share the port only among themselves)', async () => {
    const second = newServer(server.port);
    await expect(second.start()).rejects.toThrow(/EADDRINUSE/);
    await second.close();
  });

  it('a connection keeps talking from the listener port and is heard once it has its own socket', async () => {
    const socketId = await admitPublisher();
    // The publisher's receiver sends a keepalive after a second without sending.
    const keepalive = await caller.next(1500);
    expect(keepalive?.readUInt32BE(0)).toBe(0x80010000);
    expect(new Set(caller.fromPorts)).toEqual(new Set([server.port]));
    caller.send(shutdownPacket(socketId));
    await new Promise((r) => setTimeout(r, 50));
    expect(server.connections.size).toBe(0);
  });

  it('counts garbage and goes on answering', async () => {
    for (let i = 0; i < 200; i++) caller.send(randomBytes(i % 300));
    const data = randomBytes(100);
    data[0] &= 0x7f;
    data.writeUInt32BE(12345, 12);
    caller.send(data);
    await new Promise((r) => setTimeout(r, 100));
    expect(server.ignoredDatagrams).toBeGreaterThan(150);
    await caller.conclusion();
  });
});
