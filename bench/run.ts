import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FlvPublisher } from './flv-publisher.js';
import { LatencyProbe } from './latency-probe.js';
import { freePort, sleep, waitForPort } from './net-util.js';
import { mean, median, ProcSampler, percentile } from './proc-sampler.js';
import { startTallyProcess } from './server-process.js';
import { ensureBenchSource } from './source.js';

/**
 * `npm run bench`: Tally and Node-Media-Server side by side, same source, same machine, same readers.
 *   --protocol flv|rtmp|srt|whep   --readers 100,500,1000   --duration 30   --warmup 5   --servers tally,nms   --json
 * SRT (Tally only: NMS has no SRT): the players are in-house SrtReceivers (bench/srt-readers.ts) of the same
 * RTMP-published source; the table adds the packets players lost after recovery and the retransmissions.
 * WHEP (Tally only): minimal WebRTC viewers (bench/whep-readers.ts); the table adds the RTP packets they missed
 * and the server's CPU-seconds per viewer-second. --whep-kernel-count (Linux, root) has nftables count and drop
 * the RTP of all viewers but 8, which keeps reading theirs: the viewers' process no longer competes with the
 * server for the machine's cores.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Runs a TypeScript entry in node itself (not through the tsx CLI, which would put a wrapper process in between). */
const TS_NODE = [process.execPath, '--import', 'tsx'] as const;

const { values } = parseArgs({
  options: {
    protocol: { type: 'string', default: 'flv' },
    readers: { type: 'string', default: '100,500,1000' },
    duration: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '5' },
    servers: { type: 'string', default: 'tally,nms' },
    json: { type: 'boolean', default: false },
    /** Minimum share of the source bitrate every Tally reader must get; below it the run exits non-zero. */
    'min-delivery': { type: 'string', default: '0.99' },
    'whep-kernel-count': { type: 'boolean', default: false },
  },
});

interface RunResult {
  server: string;
  protocol: string;
  readers: number;
  connected: number;
  cpuPercent: number;
  rssMbStart: number;
  rssMbEnd: number;
  rssMbMax: number;
  readerKbpsMin: number;
  readerKbpsMedian: number;
  sourceKbps: number;
  startupMsMedian: number;
  startupMsP95: number;
  latencyMsMedian: number;
  latencyMsP95: number;
  framesDropped: number | null;
  /** SRT: packets given up by the players (lost after recovery), in total and by the worst player. */
  srtLostTotal?: number;
  srtLostMax?: number;
  srtRetransmitted?: number;
  /** SRT: NAKs the players sent (a retransmission nobody asked for is srtRetransmitted beyond what these list). */
  srtNaks?: number;
  srtRttMsMedian?: number;
  /** WHEP: RTP packets the viewers missed (sequence gaps) and received, over the window. */
  rtpLostTotal?: number;
  /** WHEP: the most one viewer missed. */
  rtpLostMax?: number;
  rtpPackets?: number;
  /** WHEP --whep-kernel-count: viewers whose RTP nftables counted instead of their socket. */
  kernelCounted?: number;
  /** SRT: CPU % of the players' process (all N players run in it: when it nears 100 %, the players are the limit). */
  readersCpuPercent?: number;
}

const SRT = values.protocol === 'srt';
const WHEP = values.protocol === 'whep';

async function main(): Promise<void> {
  const source = ensureBenchSource(ROOT);
  const counts = values.readers.split(',').map(Number);
  const servers = SRT || WHEP ? ['tally'] : values.servers.split(',');
  const results: RunResult[] = [];
  for (const count of counts) {
    for (const server of servers) {
      log(`bench: ${server} ${values.protocol} x${count}...`);
      results.push(await runOne(server, count, source));
    }
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ machine: machine(), results }, null, 2)}\n`);
  } else {
    process.stdout.write(table(results));
  }
  // The delivery target: every reader keeps up with the source (a slow one would drop frames or lag).
  const minDelivery = Number(values['min-delivery']);
  const short = results.filter((r) => r.server === 'tally' && r.readerKbpsMin < r.sourceKbps * minDelivery);
  for (const r of short) {
    log(`bench: below target at N=${r.readers}: slowest reader ${r.readerKbpsMin} kbps of ${r.sourceKbps} kbps`);
  }
  if (short.length > 0) process.exitCode = 2;
}

async function runOne(server: string, count: number, source: string): Promise<RunResult> {
  const ports = {
    rtmp: await freePort(),
    http: await freePort(),
    api: await freePort(),
    srt: await freePort(),
    rtc: await freePort(),
  };
  const child = server === 'nms' ? startNms(ports) : startTally(ports);
  const sampler = new ProcSampler(child.pid!);
  const publisher = new FlvPublisher(source, `rtmp://127.0.0.1:${ports.rtmp}/live/bench`);
  const probe = new LatencyProbe(publisher.sentAt);
  try {
    await waitForPort(ports.rtmp);
    await waitForPort(ports.http);
    await publisher.start();
    await sleep(2500);
    const streamUrl = WHEP
      ? `http://127.0.0.1:${ports.api}/rtc/v1/whep/?app=live&stream=bench`
      : SRT
        ? `srt://127.0.0.1:${ports.srt}?streamid=${encodeURIComponent('#!::r=live/bench,m=request')}`
        : values.protocol === 'rtmp'
          ? `rtmp://127.0.0.1:${ports.rtmp}/live/bench`
          : `http://127.0.0.1:${ports.http}/live/bench.flv`;
    probe.start(`http://127.0.0.1:${ports.http}/live/bench.flv`);
    // TALLY_BENCH_READERS_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the players' process.
    const readerNodeArgs = process.env.TALLY_BENCH_READERS_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    const readers = spawn(
      TS_NODE[0],
      [
        ...readerNodeArgs,
        ...TS_NODE.slice(1),
        join(ROOT, 'bench', SRT ? 'srt-readers.ts' : WHEP ? 'whep-readers.ts' : 'readers.ts'),
        '--protocol',
        String(values.protocol),
        '--url',
        streamUrl,
        '--count',
        String(count),
        '--warmup',
        String(values.warmup),
        '--duration',
        String(values.duration),
        ...(WHEP && values['whep-kernel-count'] ? ['--kernel-count'] : []),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    let windowStarted = false;
    let sourceBytesAtWindow = 0;
    const windowStart = new Promise<void>((resolveStart, rejectStart) => {
      // Players that exit before their window (a crash) end the run instead of leaving it waiting.
      readers.on('close', (code) => {
        if (!windowStarted) rejectStart(new Error(`the players exited (${code}) before their window`));
      });
      readers.stdout.on('data', (d: Buffer) => {
        output += d.toString();
        if (!windowStarted && output.includes('"window-start"')) {
          windowStarted = true;
          sourceBytesAtWindow = publisher.bytesSent;
          probe.reset();
          resolveStart();
        }
      });
    });
    const done = new Promise<void>((r) => readers.on('close', () => r()));
    await windowStart;
    const windowStartedAt = performance.now();
    const readerSampler = new ProcSampler(readers.pid!);
    const sampleBoth = () => {
      sampler.sample();
      try {
        readerSampler.sample();
      } catch {
        // The readers have exited.
      }
    };
    const samplerTimer = setInterval(sampleBoth, 1000);
    sampleBoth();
    await done;
    clearInterval(samplerTimer);
    const windowMs = performance.now() - windowStartedAt;
    const sourceKbps = ((publisher.bytesSent - sourceBytesAtWindow) * 8) / windowMs;
    const line = output.split('\n').find((l) => l.includes('"results"'));
    if (!line) throw new Error(`readers printed no results: ${output.slice(0, 500)}`);
    const parsed = JSON.parse(line) as {
      windowMs: number;
      results: {
        connected: boolean;
        firstVideoMs: number | null;
        windowBytes: number;
        lost?: number;
        packets?: number;
        kernelCounted?: boolean;
        retransmitted?: number;
        naks?: number;
        rttMs?: number;
      }[];
    };
    const kbps = parsed.results.map((r) => (r.windowBytes * 8) / parsed.windowMs);
    const startups = parsed.results.map((r) => r.firstVideoMs).filter((v): v is number => v !== null);
    const dropped = server === 'tally' ? await tallyDroppedFrames(ports.api) : null;
    const srt = SRT
      ? {
          srtLostTotal: parsed.results.reduce((n, r) => n + (r.lost ?? 0), 0),
          srtLostMax: Math.max(...parsed.results.map((r) => r.lost ?? 0)),
          srtRetransmitted: parsed.results.reduce((n, r) => n + (r.retransmitted ?? 0), 0),
          srtNaks: parsed.results.reduce((n, r) => n + (r.naks ?? 0), 0),
          srtRttMsMedian: round(median(parsed.results.map((r) => r.rttMs ?? 0))),
          readersCpuPercent: round(mean(readerSampler.cpu)),
        }
      : {};
    const whep = WHEP
      ? {
          rtpLostTotal: parsed.results.reduce((n, r) => n + (r.lost ?? 0), 0),
          rtpLostMax: Math.max(...parsed.results.map((r) => r.lost ?? 0)),
          kernelCounted: parsed.results.filter((r) => r.kernelCounted).length,
          rtpPackets: parsed.results.reduce((n, r) => n + (r.packets ?? 0), 0),
          readersCpuPercent: round(mean(readerSampler.cpu)),
        }
      : {};
    return {
      ...srt,
      ...whep,
      server,
      protocol: String(values.protocol),
      readers: count,
      connected: parsed.results.filter((r) => r.connected).length,
      cpuPercent: round(mean(sampler.cpu)),
      rssMbStart: round(sampler.rssMb[0] ?? 0),
      rssMbEnd: round(sampler.rssMb[sampler.rssMb.length - 1] ?? 0),
      rssMbMax: round(Math.max(...sampler.rssMb)),
      readerKbpsMin: round(Math.min(...kbps)),
      readerKbpsMedian: round(median(kbps)),
      sourceKbps: round(sourceKbps),
      startupMsMedian: round(median(startups)),
      startupMsP95: round(percentile(startups, 95)),
      latencyMsMedian: round(median(probe.delays)),
      latencyMsP95: round(percentile(probe.delays, 95)),
      framesDropped: dropped,
    };
  } finally {
    probe.stop();
    publisher.stop();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('close', r));
  }
}

function startTally(ports: { rtmp: number; http: number; api: number; srt: number; rtc: number }): ChildProcess {
  const extra = SRT ? ['--srt', String(ports.srt)] : WHEP ? ['--rtc', String(ports.rtc)] : [];
  return startTallyProcess(ROOT, ports, extra);
}

function startNms(ports: { rtmp: number; http: number }): ChildProcess {
  const dir = mkdtempSync(join(tmpdir(), 'tally-bench-nms-'));
  const config = join(dir, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      bind: '127.0.0.1',
      rtmp: { port: ports.rtmp },
      http: { port: ports.http },
      store: { path: join(dir, 'data') },
      webadmin: { enable: false },
    }),
  );
  return spawn(
    process.execPath,
    [join(ROOT, 'node_modules', 'node-media-server', 'bin', 'app.js'), '-c', config, '--no-admin'],
    {
      stdio: ['ignore', 'ignore', 'ignore'],
      cwd: dir,
    },
  );
}

async function tallyDroppedFrames(apiPort: number): Promise<number | null> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${apiPort}/metrics`)).text();
    const match = /^tally_frames_dropped_total (\d+)/m.exec(text);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

function table(results: RunResult[]): string {
  const header = [
    'server',
    'proto',
    'N',
    'conn',
    'cpu%',
    'rss MB (start/end/max)',
    'kbps min/med',
    'src kbps',
    'start ms med/p95',
    'delay ms med/p95',
    'dropped',
    ...(SRT ? ['srt lost total/max', 'srt rexmit/naks', 'srt rtt ms', 'players cpu%', 'cpu-s per player-s'] : []),
    ...(WHEP ? ['rtp lost total/max', 'rtp received', 'kernel-counted', 'cpu-s per viewer-s', 'viewers cpu%'] : []),
  ];
  const rows = results.map((r) => [
    r.server,
    r.protocol,
    String(r.readers),
    String(r.connected),
    r.cpuPercent.toFixed(1),
    `${r.rssMbStart}/${r.rssMbEnd}/${r.rssMbMax}`,
    `${r.readerKbpsMin}/${r.readerKbpsMedian}`,
    String(r.sourceKbps),
    `${r.startupMsMedian}/${r.startupMsP95}`,
    `${r.latencyMsMedian}/${r.latencyMsP95}`,
    r.framesDropped === null ? 'n/a' : String(r.framesDropped),
    ...(SRT
      ? [
          `${r.srtLostTotal}/${r.srtLostMax}`,
          `${r.srtRetransmitted}/${r.srtNaks}`,
          String(r.srtRttMsMedian),
          String(r.readersCpuPercent),
          (r.cpuPercent / 100 / Math.max(1, r.connected)).toFixed(5),
        ]
      : []),
    ...(WHEP
      ? [
          `${r.rtpLostTotal}/${r.rtpLostMax}`,
          String(r.rtpPackets),
          String(r.kernelCounted ?? 0),
          (r.cpuPercent / 100 / Math.max(1, r.connected)).toFixed(4),
          String(r.readersCpuPercent),
        ]
      : []),
  ]);
  const lines = [header, ...rows].map((cells) => `| ${cells.join(' | ')} |`);
  lines.splice(1, 0, `|${header.map(() => '---').join('|')}|`);
  const ratios: string[] = [];
  for (const n of new Set(results.map((r) => r.readers))) {
    const t = results.find((r) => r.server === 'tally' && r.readers === n);
    const m = results.find((r) => r.server === 'nms' && r.readers === n);
    if (t && m && m.cpuPercent > 0) {
      ratios.push(
        `N=${n}: CPU Tally/NMS = ${(t.cpuPercent / m.cpuPercent).toFixed(2)}, RSS max Tally/NMS = ${(t.rssMbMax / m.rssMbMax).toFixed(2)}`,
      );
    }
  }
  return `${lines.join('\n')}\n\n${ratios.join('\n')}\n`;
}

function machine(): Record<string, unknown> {
  return { node: process.version, platform: process.platform, arch: process.arch };
}

const round = (n: number) => Math.round(n * 10) / 10;
const log = (text: string) => process.stderr.write(`${text}\n`);

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack}\n`);
  process.exit(1);
});
