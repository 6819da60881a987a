import { readdirSync } from 'node:fs';
import { get, type IncomingMessage } from 'node:http';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FlvPublisher } from './flv-publisher.js';
import { freePort, sleep, waitForPort } from './net-util.js';
import { ProcSampler } from './proc-sampler.js';
import { startTallyProcess } from './server-process.js';
import { ensureBenchSource } from './source.js';

/**
 * `npm run soak [-- --minutes 60 --readers 200]`: the server under churn for a long time, to show that memory
 * and handles stay flat. A real-time publisher (republishing every --republish seconds, a blip of 1 s),
 * --readers HTTP-FLV readers of which a tenth leave and are replaced every 5 s, and an HLS poller (playlist
 * and newest segment every 2 s). Every --every seconds it prints the server's RSS, open file descriptors and
 * the readers' intake; at the end a Markdown table for the README. Not part of npm test.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '60' },
    readers: { type: 'string', default: '200' },
    republish: { type: 'string', default: '60' },
    every: { type: 'string', default: '60' },
  },
});
const MINUTES = Number(values.minutes);
const READERS = Number(values.readers);
const CHURN_INTERVAL_MS = 5000;
const HLS_POLL_MS = 2000;

interface Sample {
  minute: number;
  rssMb: number;
  fds: number;
  readers: number;
  intakeMbps: number;
  joins: number;
  hlsOk: number;
  hlsFailed: number;
  republishes: number;
}

class FlvReader {
  bytes = 0;
  private res?: IncomingMessage;
  private readonly req;
  constructor(url: string, onEnd: () => void) {
    this.req = get(url, (res) => {
      this.res = res;
      res.on('data', (chunk: Buffer) => {
        this.bytes += chunk.length;
      });
      res.on('end', onEnd);
      res.on('error', onEnd);
    });
    this.req.on('error', onEnd);
  }
  close(): void {
    this.res?.destroy();
    this.req.destroy();
  }
}

async function main(): Promise<void> {
  const source = ensureBenchSource(ROOT);
  const ports = { rtmp: await freePort(), http: await freePort(), api: await freePort() };
  const child = startTallyProcess(ROOT, ports, ['--hls']);
  const sampler = new ProcSampler(child.pid ?? 0);
  const url = `http://127.0.0.1:${ports.http}/live/soak`;
  const counters = { joins: 0, hlsOk: 0, hlsFailed: 0, republishes: 0 };
  const readers = new Set<FlvReader>();
  /** Bytes of readers that left since the last sample, so the intake counts every reader's share. */
  let departedBytes = 0;
  const leave = (reader: FlvReader) => {
    if (!readers.delete(reader)) return;
    departedBytes += reader.bytes;
  };
  const join_ = () => {
    const reader: FlvReader = new FlvReader(`${url}.flv`, () => leave(reader));
    readers.add(reader);
    counters.joins++;
  };
  let publisher = new FlvPublisher(source, `rtmp://127.0.0.1:${ports.rtmp}/live/soak`);
  const timers: NodeJS.Timeout[] = [];
  const samples: Sample[] = [];
  try {
    await waitForPort(ports.rtmp);
    await waitForPort(ports.http);
    await publisher.start();
    await sleep(2000);
    for (let i = 0; i < READERS; i++) join_();
    timers.push(
      setInterval(() => {
        // A tenth leave, and the set is filled back up (readers dropped at a republish rejoin here too).
        const leaving = [...readers].slice(0, Math.ceil(READERS / 10));
        for (const r of leaving) {
          leave(r);
          r.close();
        }
        while (readers.size < READERS) join_();
      }, CHURN_INTERVAL_MS),
      setInterval(() => void pollHls(url, counters), HLS_POLL_MS),
      setInterval(() => {
        publisher.stop();
        counters.republishes++;
        setTimeout(() => {
          publisher = new FlvPublisher(source, `rtmp://127.0.0.1:${ports.rtmp}/live/soak`);
          publisher.start().catch((error: Error) => log(`republish failed: ${error.message}`));
        }, 1000);
      }, Number(values.republish) * 1000),
    );
    const startedAt = Date.now();
    let lastAt = startedAt;
    const every = Number(values.every) * 1000;
    while (Date.now() - startedAt < MINUTES * 60_000) {
      await sleep(Math.min(every, MINUTES * 60_000 - (Date.now() - startedAt)));
      sampler.sample();
      const bytes = [...readers].reduce((n, r) => n + r.bytes, 0) + departedBytes;
      const now = Date.now();
      const sample: Sample = {
        minute: Math.round((now - startedAt) / 600) / 100,
        rssMb: Math.round(sampler.rssMb[sampler.rssMb.length - 1]),
        fds: readdirSync(`/proc/${child.pid}/fd`).length,
        readers: readers.size,
        intakeMbps: Math.round((bytes * 8) / ((now - lastAt) / 1000) / 1e4) / 100,
        ...counters,
      };
      // Per-interval intake: restart the byte counts so departed readers do not skew it.
      for (const r of readers) r.bytes = 0;
      departedBytes = 0;
      lastAt = now;
      samples.push(sample);
      log(`soak: ${JSON.stringify(sample)}`);
    }
  } finally {
    for (const t of timers) clearInterval(t);
    for (const r of readers) r.close();
    publisher.stop();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('close', r));
  }
  process.stdout.write(table(samples));
}

async function pollHls(url: string, counters: { hlsOk: number; hlsFailed: number }): Promise<void> {
  try {
    const playlist = await fetch(`${url}.m3u8`, { signal: AbortSignal.timeout(5000) });
    const text = await playlist.text();
    const last = text
      .split('\n')
      .filter((l) => l.endsWith('.ts'))
      .pop();
    if (!playlist.ok || !last) throw new Error('no segment');
    const segment = await fetch(new URL(last, `${url}.m3u8`), { signal: AbortSignal.timeout(5000) });
    await segment.arrayBuffer();
    if (segment.ok) counters.hlsOk++;
    else counters.hlsFailed++;
  } catch {
    counters.hlsFailed++;
  }
}

function table(samples: Sample[]): string {
  const header = '| minute | RSS MB | fds | readers | intake Mbps | joins | HLS ok/failed | republishes |';
  const rows = samples.map(
    (s) =>
      `| ${s.minute} | ${s.rssMb} | ${s.fds} | ${s.readers} | ${s.intakeMbps} | ${s.joins} | ${s.hlsOk}/${s.hlsFailed} | ${s.republishes} |`,
  );
  return `${[header, '|---|---|---|---|---|---|---|---|', ...rows].join('\n')}\n`;
}

const log = (text: string) => process.stderr.write(`${text}\n`);

main().catch((error: unknown) => {
  process.stderr.write(`soak failed: ${(error as Error).stack}\n`);
  process.exit(1);
});
