import { randomInt } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { parseArgs } from 'node:util';
import {
  decodeHsExtension,
  ExtensionType,
  encodeControlPacket,
  encodeHsExtension,
  encodePeerIp,
  findExtension,
  type Handshake,
  HandshakeFlag,
  HandshakeType,
  parsePacket,
  SrtFlag,
  SrtReceiver,
} from '../server-core/protocol/srt/index.js';
import { encodeStreamIdExtension } from '../server-core/protocol/srt/stream-id-extension.js';

/**
 * The SRT load: N players in this one process, each a caller of its own UDP socket running the project's own
 * SrtReceiver (500 srt-live-transmit processes would measure the machine, not the server). Prints the same JSON
 * lines as readers.ts, each result with the SRT counters of that player: packets lost after recovery (given up
 * by the receiver's too-late drop), retransmissions received, NAKs sent.
 */
interface SrtReaderResult {
  connected: boolean;
  firstVideoMs: number | null;
  windowBytes: number;
  ended: boolean;
  lost: number;
  retransmitted: number;
  naks: number;
  rttMs: number;
}

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    count: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '5' },
    duration: { type: 'string', default: '20' },
    ramp: { type: 'string', default: '2000' },
    latency: { type: 'string', default: '120' },
    /** Accepted for the same command line as readers.ts (always srt here). */
    protocol: { type: 'string', default: 'srt' },
  },
});
const count = Number(values.count);
const warmupMs = Number(values.warmup) * 1000;
const durationMs = Number(values.duration) * 1000;
const rampMs = Number(values.ramp);
const latencyMs = Number(values.latency);
const target = new URL(values.url ?? 'srt://127.0.0.1:10080?streamid=%23!%3A%3Ar%3Dlive%2Fbench');
const host = target.hostname;
const port = Number(target.port);
const streamId = target.searchParams.get('streamid') ?? '';
const now = () => performance.now();
const HANDSHAKE_RETRY_MS = 250;

class SrtBenchReader {
  result: SrtReaderResult = {
    connected: false,
    firstVideoMs: null,
    windowBytes: 0,
    ended: false,
    lost: 0,
    retransmitted: 0,
    naks: 0,
    rttMs: 0,
  };
  bytes = 0;
  receiver?: SrtReceiver;
  private readonly socket: Socket = createSocket('udp4');
  private readonly socketId = randomInt(1, 0x7fffffff);
  private readonly initialSeq = randomInt(0, 0x7fffffff);
  private started = 0;
  /** Bound and handshaking (the shared poll timer must not send, and so bind, before open). */
  private opened = false;
  private cookie = 0;
  private lastHandshakeMs = 0;
  private windowStart = 0;
  private windowStats = { lost: 0, retransmitted: 0, naks: 0 };

  async open(): Promise<void> {
    this.started = now();
    this.socket.on('message', (bytes) => this.onDatagram(bytes));
    this.socket.on('error', () => {});
    // The buffer size can only be set on a bound socket (before bind it throws, and the player kept the 208 KB
    // default: a GOP burst overflowed it, and the retransmissions that followed loaded the server).
    await new Promise<void>((resolve) => this.socket.bind(0, '127.0.0.1', resolve));
    try {
      this.socket.setRecvBufferSize(4 << 20);
    } catch {
      // The system default.
    }
    this.opened = true;
    this.sendHandshake();
  }

  poll(t: number): void {
    if (this.result.ended || !this.opened) return;
    if (!this.receiver) {
      if (t - this.lastHandshakeMs >= HANDSHAKE_RETRY_MS) this.sendHandshake();
      return;
    }
    this.handle(this.receiver.poll(t));
  }

  markWindowStart(): void {
    this.windowStart = this.bytes;
    const s = this.receiver?.stats;
    if (s) this.windowStats = { lost: s.dropped, retransmitted: s.retransmittedReceived, naks: s.naksSent };
  }

  finish(): SrtReaderResult {
    this.result.windowBytes = this.bytes - this.windowStart;
    const s = this.receiver?.stats;
    if (s) {
      this.result.lost = s.dropped - this.windowStats.lost;
      this.result.retransmitted = s.retransmittedReceived - this.windowStats.retransmitted;
      this.result.naks = s.naksSent - this.windowStats.naks;
      this.result.rttMs = Math.round(s.rttMs * 100) / 100;
      for (const b of this.receiver?.close(now()).send ?? []) this.socket.send(b, port, host);
    }
    setTimeout(() => this.socket.close(), 50);
    return this.result;
  }

  private sendHandshake(): void {
    this.lastHandshakeMs = now();
    const base = {
      encryption: 0,
      initialSeq: this.initialSeq,
      mtu: 1500,
      flowWindow: 8192,
      socketId: this.socketId,
      peerIp: encodePeerIp(host),
    };
    const hs: Handshake =
      this.cookie === 0
        ? {
            ...base,
            version: 4,
            extensionField: 2,
            handshakeType: HandshakeType.INDUCTION,
            synCookie: 0,
            extensions: [],
          }
        : {
            ...base,
            version: 5,
            extensionField: HandshakeFlag.HSREQ | HandshakeFlag.CONFIG,
            handshakeType: HandshakeType.CONCLUSION,
            synCookie: this.cookie,
            extensions: [
              {
                type: ExtensionType.HSREQ,
                body: encodeHsExtension({
                  srtVersion: 0x010501,
                  flags:
                    SrtFlag.TSBPDSND | SrtFlag.TSBPDRCV | SrtFlag.TLPKTDROP | SrtFlag.PERIODICNAK | SrtFlag.REXMITFLG,
                  receiverDelayMs: latencyMs,
                  senderDelayMs: latencyMs,
                }),
              },
              { type: ExtensionType.SID, body: encodeStreamIdExtension(streamId) },
            ],
          };
    const timestamp = Math.round((now() - this.started) * 1000) >>> 0;
    this.socket.send(encodeControlPacket({ type: 'handshake', timestamp, destSocketId: 0, handshake: hs }), port, host);
  }

  private onDatagram(bytes: Buffer): void {
    if (this.receiver) {
      this.handle(this.receiver.push(bytes, now()));
      return;
    }
    let packet: ReturnType<typeof parsePacket>;
    try {
      packet = parsePacket(bytes);
    } catch {
      return;
    }
    if (packet.type !== 'handshake') return;
    const hs = packet.handshake;
    if (hs.handshakeType === HandshakeType.INDUCTION && this.cookie === 0) {
      this.cookie = hs.synCookie;
      this.sendHandshake();
      return;
    }
    if (hs.handshakeType !== HandshakeType.CONCLUSION) {
      // A rejection (type 1000 + reason): this player is not connected.
      this.result.ended = true;
      return;
    }
    const hsrsp = findExtension(hs, ExtensionType.HSRSP);
    // The listener's sender delay is the latency of what we receive.
    const negotiated = hsrsp ? decodeHsExtension(hsrsp.body).senderDelayMs : latencyMs;
    this.receiver = new SrtReceiver({
      socketId: this.socketId,
      peerSocketId: hs.socketId,
      initialSeq: this.initialSeq,
      latencyMs: negotiated,
      peerTimestampUs: packet.timestamp,
      startMs: now(),
    });
    this.result.connected = true;
  }

  private handle(out: ReturnType<SrtReceiver['poll']>): void {
    for (const b of out.send) this.socket.send(b, port, host);
    for (const p of out.payloads) this.bytes += p.payload.length;
    if (out.payloads.length > 0 && this.result.firstVideoMs === null) this.result.firstVideoMs = now() - this.started;
    for (const e of out.events) if (e.type === 'closed') this.result.ended = true;
  }
}

async function main(): Promise<void> {
  const readers = Array.from({ length: count }, () => new SrtBenchReader());
  // One timer for every player: ACKs every 10 ms, NAK and TSBPD release on time.
  const timer = setInterval(() => {
    const t = now();
    for (const r of readers) r.poll(t);
  }, 10);
  for (let i = 0; i < readers.length; i++) {
    await readers[i].open();
    if (rampMs > 0 && i % 50 === 49) await sleep((rampMs * 50) / count);
  }
  await sleep(warmupMs);
  for (const r of readers) r.markWindowStart();
  const windowStart = now();
  process.stdout.write(`${JSON.stringify({ type: 'window-start' })}\n`);
  await sleep(durationMs);
  const windowMs = now() - windowStart;
  clearInterval(timer);
  const results = readers.map((r) => r.finish());
  process.stdout.write(`${JSON.stringify({ type: 'results', windowMs, results })}\n`);
  await sleep(100);
  process.exit(0);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
void main();
