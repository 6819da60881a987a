import { parseArgs } from 'node:util';
import { createDtlsCertificate } from '../server-core/servers/rtc/dtls-certificate.js';
import { RtcTestPeer } from '../test/interop/support/rtc-test-peer.js';
import { KernelRtpCounter } from './kernel-rtp-counter.js';
import { median } from './proc-sampler.js';

/**
 * The WHEP load: N viewers in this one process, each a minimal WebRTC peer (our STUN, werift-dtls's client, SRTP
 * left undecrypted: the RTP header is in the clear) on its own loopback socket, signalled by a WHEP POST. Prints
 * the same JSON lines as readers.ts; each result counts the RTP packets lost in the window (sequence gaps).
 * With --kernel-count (Linux, root), every viewer but the first --reference ones has its RTP counted and dropped
 * by nftables before its socket (kernel-rtp-counter.ts), so the viewers' own CPU no longer limits how many one
 * machine can hold; such a viewer's loss is what it got short of the best counted viewer (exact to a packet),
 * and the best one's count is compared with the read viewers' sequence span (on stderr).
 */
interface WhepReaderResult {
  connected: boolean;
  firstVideoMs: number | null;
  windowBytes: number;
  ended: boolean;
  lost: number;
  packets: number;
  /** Counted by nftables rather than read (--kernel-count). */
  kernelCounted?: boolean;
}

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    count: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '5' },
    duration: { type: 'string', default: '20' },
    /** Set-ups in flight at once (each is a DTLS handshake on both sides). */
    parallel: { type: 'string', default: '8' },
    protocol: { type: 'string', default: 'whep' },
    'kernel-count': { type: 'boolean', default: false },
    reference: { type: 'string', default: '8' },
  },
});
const count = Number(values.count);
const warmupMs = Number(values.warmup) * 1000;
const durationMs = Number(values.duration) * 1000;
const url = values.url ?? 'http://127.0.0.1:1985/rtc/v1/whep/?app=live&stream=bench';
const now = () => performance.now();
const KEEPALIVE_MS = 2000;
/** A keyframe reaches a viewer as this many packets within this many ms (other frames are a few packets). */
const BURST_PACKETS = 30;
const BURST_MS = 30;
/** Edges of the counted window fall this long after a keyframe burst (the source's GOP is 2 s). */
const QUIET_AFTER_BURST_MS = 400;
const RECEIVE_BUFFER = 2 * 1024 * 1024;
const OPEN_ATTEMPTS = 3;

class WhepBenchReader {
  readonly result: WhepReaderResult = {
    connected: false,
    firstVideoMs: null,
    windowBytes: 0,
    ended: false,
    lost: 0,
    packets: 0,
  };
  peer?: RtcTestPeer;
  /** The server's port this viewer's media comes from. */
  serverPort = 0;
  /** Highest sequence number and packets seen per SSRC since the window started. */
  private readonly tracks = new Map<number, { first: number; last: number; received: number }>();
  private windowStart = 0;
  private counting = false;
  /** When this viewer last got a keyframe's burst of packets. */
  readonly bursts = new BurstClock();

  async open(certificate: Awaited<ReturnType<typeof createDtlsCertificate>>): Promise<void> {
    const started = now();
    const peer = new RtcTestPeer(certificate, 'whep');
    peer.decrypt = false;
    // A browser's socket buffer, not the kernel default: a keyframe reaches every viewer at loopback speed.
    peer.receiveBufferSize = RECEIVE_BUFFER;
    this.peer = peer;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/sdp' },
      body: peer.offer(),
    });
    const answer = await response.text();
    if (response.status !== 201) throw new Error(`WHEP ${response.status}: ${answer.trim()}`);
    const candidate = /a=candidate:\S+ 1 udp \d+ (\S+) (\d+) typ host/i.exec(answer);
    if (!candidate) throw new Error('answer without a UDP host candidate');
    peer.onRtp = (datagram) => {
      if (this.result.firstVideoMs === null) this.result.firstVideoMs = now() - started;
      this.bursts.arrived(now());
      if (!this.counting) return;
      const ssrc = datagram.readUInt32BE(8);
      const seq = datagram.readUInt16BE(2);
      const t = this.tracks.get(ssrc);
      if (!t) this.tracks.set(ssrc, { first: seq, last: seq, received: 1 });
      else {
        if (((seq - t.last) & 0xffff) < 0x8000) t.last = seq;
        t.received++;
      }
    };
    this.serverPort = Number(candidate[2]);
    await peer.connect(answer, { address: candidate[1], port: this.serverPort });
    this.result.connected = true;
  }

  markWindowStart(): void {
    this.windowStart = this.peer?.bytesReceived ?? 0;
    this.rtcpAtStart = this.peer?.rtcpReceived ?? 0;
    this.counting = true;
  }

  /** RTCP that came in the window (sender reports: the server was sending). */
  windowRtcp = 0;
  private rtcpAtStart = 0;

  finish(): WhepReaderResult {
    this.counting = false;
    this.windowRtcp = (this.peer?.rtcpReceived ?? 0) - this.rtcpAtStart;
    // A session the server ended (its DTLS alert) is not a connected viewer, whatever the handshake said.
    if (this.peer?.closedByPeer) this.result.connected = false;
    this.result.windowBytes = (this.peer?.bytesReceived ?? 0) - this.windowStart;
    for (const t of this.tracks.values()) {
      const expected = ((t.last - t.first) & 0xffff) + 1;
      this.result.lost += Math.max(0, expected - t.received);
      this.result.packets += t.received;
    }
    this.peer?.close();
    return this.result;
  }
}

async function main(): Promise<void> {
  const certificate = await createDtlsCertificate();
  const readers = Array.from({ length: count }, () => new WhepBenchReader());
  const parallel = Math.max(1, Number(values.parallel));
  let next = 0;
  const failures: string[] = [];
  let retries = 0;
  // Consent checks from the first connect on: setting up hundreds of viewers takes longer than the server's
  // 30 s consent timeout.
  const keepAlive = setInterval(() => {
    for (const r of readers) if (r.result.connected) r.peer?.keepAlive();
  }, KEEPALIVE_MS);
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < readers.length) {
        const at = next++;
        // werift-dtls's client (our viewers, not the server) sometimes fails a handshake under load; a browser
        // would try again too. The server's own refusals (a 4xx/5xx) are not retried.
        for (let attempt = 1; ; attempt++) {
          const reader = readers[at];
          const error = await reader.open(certificate).then(
            () => undefined,
            (e: Error) => e,
          );
          if (!error) break;
          reader.peer?.close();
          if (attempt >= OPEN_ATTEMPTS || error.message.startsWith('WHEP ')) {
            reader.result.ended = true;
            failures.push(error.message);
            break;
          }
          retries++;
          readers[at] = new WhepBenchReader();
        }
      }
    }),
  );
  if (retries) process.stderr.write(`whep readers: ${retries} handshakes retried\n`);
  const endedByServer = () => readers.filter((r) => r.peer?.closedByPeer).length;
  if (failures.length) process.stderr.write(`whep readers: ${failures.length} failed, e.g. ${failures[0]}\n`);
  const reference = values['kernel-count'] ? Math.max(1, Number(values.reference)) : readers.length;
  const counted = readers.slice(reference).filter((r) => r.result.connected && r.peer?.socket);
  const countedPorts = counted.map((r) => r.peer?.socket?.address().port ?? 0);
  const kernel = counted.length ? new KernelRtpCounter(counted[0].serverPort, countedPorts) : undefined;
  kernel?.install();
  await sleep(warmupMs);
  // The counters start and stop at one instant each, just before the read viewers' window opens and closes,
  // and between keyframes: a worker takes some 100 ms to send a keyframe to its hundreds of viewers, so an edge
  // inside that burst would count it for some viewers and not for others.
  const sentBefore = await serverSends();
  if (kernel) await readers[0].bursts.betweenKeyframes();
  const kernelStart = kernel && timed(() => kernel.startCounting());
  for (const r of readers) r.markWindowStart();
  const windowStart = now();
  process.stdout.write(`${JSON.stringify({ type: 'window-start' })}\n`);
  await sleep(durationMs);
  if (kernel) await readers[0].bursts.betweenKeyframes();
  const kernelEnd = kernel && timed(() => kernel.stopCounting());
  const sentAfter = await serverSends();
  const results = readers.map((r) => r.finish());
  const windowMs = now() - windowStart;
  const counts = kernel?.read();
  if (endedByServer()) process.stderr.write(`whep readers: the server ended ${endedByServer()} sessions\n`);
  clearInterval(keepAlive);
  kernel?.remove();
  if (kernelStart && kernelEnd && counts) {
    const countedMs = kernelEnd.at - kernelStart.at;
    const delivered = countedPorts.map((port) => counts.get(port) ?? { packets: 0, bytes: 0 });
    // Every viewer sent every packet has the same count, give or take the one packet being sent to all of them
    // at the instant counting started or stopped. A counted viewer's loss is what it got short of the best
    // counted one; the best one is checked against the read viewers' sequence span.
    const best = Math.max(...delivered.map((d) => d.packets));
    counted.forEach((r, i) => {
      const result = r.result;
      result.kernelCounted = true;
      result.packets = delivered[i].packets;
      // As bytes over the read viewers' window, so the caller's kbps holds for both kinds.
      result.windowBytes = Math.round((delivered[i].bytes * windowMs) / countedMs);
      result.lost = best - delivered[i].packets;
    });
    const span = median(
      results
        .slice(0, reference)
        .filter((r) => r.connected)
        .map((r) => r.packets + r.lost),
    );
    const expected = Math.round((span * countedMs) / windowMs);
    const shortBy = new Map<number, number>();
    for (const r of counted) shortBy.set(r.result.lost, (shortBy.get(r.result.lost) ?? 0) + 1);
    const readShort = results.slice(0, reference).filter((r) => r.connected && r.lost > 0).length;
    // What the silent ones did get says where they were lost: RTCP means the server was sending to them; RTP
    // before the window means they had been playing.
    const silent = counted
      .map((r, i) => ({ port: countedPorts[i], rtcp: r.windowRtcp, playedBefore: r.result.firstVideoMs !== null }))
      .filter((_, i) => delivered[i].packets === 0);
    if (silent.length) process.stderr.write(`whep readers: no RTP at all in the window to ${JSON.stringify(silent)}\n`);
    process.stderr.write(
      `whep readers: the best kernel-counted viewer got ${best} packets where the read viewers' span makes ` +
        `${expected} (nft took ${kernelStart.tookMs.toFixed(0)} and ${kernelEnd.tookMs.toFixed(0)} ms); ` +
        `${readShort} of ${reference} read viewers saw a sequence gap; counted viewers by packets short of the ` +
        `best: ${[...shortBy]
          .sort((a, b) => a[0] - b[0])
          .map(([n, k]) => `${n}: ${k}`)
          .join(', ')}\n`,
    );
  }
  if (sentBefore && sentAfter) {
    // What the server handed each play session in the window: a viewer short of its share was short there.
    const kB = [...sentAfter].map(([id, c]) => (c.sendBytes - (sentBefore.get(id)?.sendBytes ?? c.sendBytes)) / 1000);
    const dropped = [...sentAfter.values()].reduce((n, c) => n + c.framesDropped, 0);
    process.stderr.write(
      `whep readers: the server handed its ${kB.length} play sessions ${Math.min(...kB).toFixed(0)}–` +
        `${Math.max(...kB).toFixed(0)} kB each in the window and dropped ${dropped} frames\n`,
    );
  }

  process.stdout.write(`${JSON.stringify({ type: 'results', windowMs, results })}\n`);
  await sleep(100);
  process.exit(0);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Tells keyframe bursts (many packets within a few ms) from the steady stream, for one viewer. */
class BurstClock {
  private readonly times: number[] = [];
  private lastBurst?: number;

  arrived(at: number): void {
    const times = this.times;
    times.push(at);
    if (times.length > BURST_PACKETS) times.shift();
    if (times.length === BURST_PACKETS && at - times[0] < BURST_MS) this.lastBurst = at;
  }

  /** Resolves well after a keyframe burst and well before the next one (at most a few seconds' wait). */
  async betweenKeyframes(): Promise<void> {
    const deadline = now() + 5000;
    while (now() < deadline) {
      const since = this.lastBurst === undefined ? -1 : now() - this.lastBurst;
      if (since >= QUIET_AFTER_BURST_MS && since <= QUIET_AFTER_BURST_MS + 400) return;
      await sleep(5);
    }
  }
}

/** Bytes the server has handed each play session so far, and the frames it skipped for them (its API). */
async function serverSends(): Promise<Map<string, { sendBytes: number; framesDropped: number }> | undefined> {
  try {
    const response = await fetch(`${new URL(url).origin}/api/v1/clients/?count=10000`);
    const body = (await response.json()) as {
      clients: { id: string; publish: boolean; send_bytes: number; frames_dropped: number }[];
    };
    const plays = body.clients.filter((c) => !c.publish);
    return new Map(plays.map((c) => [c.id, { sendBytes: c.send_bytes, framesDropped: c.frames_dropped }]));
  } catch {
    return undefined;
  }
}

/** Runs an nft change, dated at its end (the transaction commits after nft has parsed it). */
function timed(change: () => void): { at: number; tookMs: number } {
  const before = now();
  change();
  const after = now();
  return { at: after, tookMs: after - before };
}
void main();
