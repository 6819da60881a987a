import { randomInt } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { CallerHandshake, SrtReceiver } from '../server-core/protocol/srt/index.js';

/**
 * The SRT load: N players in this one process (over --threads worker threads if asked), each a caller of
 * its own UDP socket, connect()ed to the server, running the project's own SrtReceiver (500 srt-live-transmit
 * processes would measure the machine, not the server). Prints the same JSON
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
    /**
     * Threads the players are spread over (default $TALLY_BENCH_SRT_THREADS, else 1). Two threads at 500 players
     * left a third of them unconnected in one run on a loaded machine (not understood yet): one is the default.
     */
    threads: { type: 'string' },
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
  private handshake!: CallerHandshake;
  private windowStart = 0;
  private windowStats = { lost: 0, retransmitted: 0, naks: 0 };

  async open(): Promise<void> {
    this.started = now();
    this.handshake = new CallerHandshake(
      { socketId: this.socketId, initialSeq: this.initialSeq, streamId, latencyMs, listenerAddress: host },
      this.started,
    );
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
    // Connected: its sends skip the per-datagram address handling, and only the server is heard.
    await new Promise<void>((resolve) => this.socket.connect(port, host, resolve));
    this.opened = true;
    this.sendHandshake();
  }

  poll(t: number): void {
    if (this.result.ended || !this.opened) return;
    if (!this.receiver) {
      this.sendHandshake();
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
      for (const b of this.receiver?.close(now()).send ?? []) this.socket.send(b);
    }
    setTimeout(() => this.socket.close(), 50);
    return this.result;
  }

  private sendHandshake(): void {
    const out = this.handshake.poll(now());
    if (out.kind === 'send') this.socket.send(out.datagram);
  }

  private onDatagram(bytes: Buffer): void {
    if (this.receiver) {
      this.handle(this.receiver.push(bytes, now()));
      return;
    }
    const out = this.handshake.push(bytes, now());
    if (out.kind === 'send') this.socket.send(out.datagram);
    else if (out.kind === 'rejected') this.result.ended = true;
    else if (out.kind === 'connected') {
      this.receiver = new SrtReceiver({
        socketId: this.socketId,
        peerSocketId: out.peerSocketId,
        initialSeq: this.initialSeq,
        latencyMs: out.receiverLatencyMs,
        peerTimestampUs: out.peerTimestampUs,
        startMs: now(),
      });
      this.result.connected = true;
    }
  }

  private handle(out: ReturnType<SrtReceiver['poll']>): void {
    for (const b of out.send) this.socket.send(b);
    for (const p of out.payloads) this.bytes += p.payload.length;
    if (out.payloads.length > 0 && this.result.firstVideoMs === null) this.result.firstVideoMs = now() - this.started;
    for (const e of out.events) if (e.type === 'closed') this.result.ended = true;
  }
}

/** A share of the players with their shared poll timer, in this thread. */
class PlayerGroup {
  private readonly readers: SrtBenchReader[];
  private timer?: NodeJS.Timeout;

  constructor(size: number) {
    this.readers = Array.from({ length: size }, () => new SrtBenchReader());
  }

  async open(): Promise<void> {
    // One timer for every player: ACKs every 10 ms, NAK and TSBPD release on time.
    this.timer = setInterval(() => {
      const t = now();
      for (const r of this.readers) r.poll(t);
    }, 10);
    const n = this.readers.length;
    for (let i = 0; i < n; i++) {
      await this.readers[i].open();
      if (rampMs > 0 && i % 50 === 49) await sleep((rampMs * 50) / n);
    }
  }

  mark(): void {
    for (const r of this.readers) r.markWindowStart();
  }

  finish(): SrtReaderResult[] {
    clearInterval(this.timer);
    return this.readers.map((r) => r.finish());
  }
}

type GroupCommand = 'open' | 'mark' | 'finish';

/** A share of the players in a worker thread: the same commands, answered by message. */
class WorkerGroup {
  private readonly worker: Worker;
  private readonly replies: Array<(value: unknown) => void> = [];

  constructor(size: number) {
    // The worker registers tsx itself (the --import of the main thread does not reach a worker), then loads
    // this TypeScript file.
    const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
    const self = JSON.stringify(import.meta.url);
    this.worker = new Worker(`import(${tsx}).then((api) => { api.register(); return import(${self}); })`, {
      eval: true,
      workerData: { groupSize: size },
      execArgv: process.execArgv,
      argv: process.argv.slice(2),
    });
    this.worker.on('message', (m: unknown) => this.replies.shift()?.(m));
    this.worker.on('error', (e) => {
      process.stderr.write(`srt readers worker failed: ${e.stack}\n`);
      process.exit(1);
    });
  }

  command(c: GroupCommand): Promise<unknown> {
    return new Promise((resolve) => {
      this.replies.push(resolve);
      this.worker.postMessage(c);
    });
  }
}

/** In a worker: one group, driven by the main thread. */
function serveGroup(size: number): void {
  const group = new PlayerGroup(size);
  parentPort?.on('message', async (c: GroupCommand) => {
    if (c === 'open') await group.open();
    if (c === 'mark') group.mark();
    parentPort?.postMessage(c === 'finish' ? group.finish() : c);
    if (c === 'finish') setTimeout(() => process.exit(0), 100);
  });
}

async function main(): Promise<void> {
  if (!isMainThread) {
    serveGroup((workerData as { groupSize: number }).groupSize);
    return;
  }
  // Several threads for many players: one loop receiving every player's datagrams can itself fall behind (the
  // players then look slow, and their late ACKs load the server). They share the same cores.
  const threads = Math.max(1, Math.min(Number(values.threads ?? process.env.TALLY_BENCH_SRT_THREADS ?? 1), count));
  const shares = Array.from({ length: threads }, (_, i) => Math.floor(count / threads) + (i < count % threads ? 1 : 0));
  let results: SrtReaderResult[];
  let windowMs: number;
  if (threads === 1) {
    const group = new PlayerGroup(count);
    await group.open();
    await sleep(warmupMs);
    group.mark();
    const windowStart = now();
    process.stdout.write(`${JSON.stringify({ type: 'window-start' })}\n`);
    await sleep(durationMs);
    windowMs = now() - windowStart;
    results = group.finish();
  } else {
    const groups = shares.map((n) => new WorkerGroup(n));
    await Promise.all(groups.map((g) => g.command('open')));
    await sleep(warmupMs);
    await Promise.all(groups.map((g) => g.command('mark')));
    const windowStart = now();
    process.stdout.write(`${JSON.stringify({ type: 'window-start' })}\n`);
    await sleep(durationMs);
    windowMs = now() - windowStart;
    const byGroup = (await Promise.all(groups.map((g) => g.command('finish')))) as SrtReaderResult[][];
    const connected = byGroup.map((g) => `${g.filter((r) => r.connected).length}/${g.length}`);
    process.stderr.write(`srt players connected by thread: ${connected.join(', ')}\n`);
    results = byGroup.flat();
  }
  process.stdout.write(`${JSON.stringify({ type: 'results', windowMs, results })}\n`);
  await sleep(100);
  process.exit(0);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
void main();
