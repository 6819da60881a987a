import { readFile } from 'node:fs/promises';
import { cpus, freemem, loadavg, totalmem, uptime } from 'node:os';

export interface SystemSample {
  /** This process. */
  selfCpuPercent: number;
  selfMemKbyte: number;
  selfMemPercent: number;
  /** The whole machine. */
  cpuPercent: number;
  cpus: number;
  memRamKbyte: number;
  memRamPercent: number;
  load1m: number;
  load5m: number;
  load15m: number;
  uptimeSeconds: number;
  /** Network bytes of every non-loopback interface (Linux), and their rates. */
  netRecvBytes: number;
  netSendBytes: number;
  netRecvKbps: number;
  netSendKbps: number;
  sampledAt: number;
}

/** Samples CPU, memory, load and network once per interval, for the API, metrics and the UI's health charts. */
export class SystemSampler {
  private timer?: NodeJS.Timeout;
  private lastCpu = cpuTimes();
  private lastSelf = { usage: process.cpuUsage(), at: Date.now() };
  private lastNet?: { recv: number; send: number; at: number };
  latest: SystemSample = emptySample();

  constructor(private readonly intervalMs = 2000) {}

  start(): void {
    void this.sample();
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
    this.timer.unref();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async sample(): Promise<void> {
    const now = Date.now();
    const cpu = cpuTimes();
    const busy = cpu.busy - this.lastCpu.busy;
    const total = cpu.total - this.lastCpu.total;
    this.lastCpu = cpu;
    const usage = process.cpuUsage();
    const selfMicros = usage.user + usage.system - (this.lastSelf.usage.user + this.lastSelf.usage.system);
    const elapsedMs = Math.max(1, now - this.lastSelf.at);
    this.lastSelf = { usage, at: now };
    const rss = process.memoryUsage.rss();
    const net = await readNetDev();
    let netRecvKbps = 0;
    let netSendKbps = 0;
    if (net && this.lastNet) {
      const ms = Math.max(1, now - this.lastNet.at);
      netRecvKbps = Math.round(((net.recv - this.lastNet.recv) * 8) / ms);
      netSendKbps = Math.round(((net.send - this.lastNet.send) * 8) / ms);
    }
    if (net) this.lastNet = { ...net, at: now };
    const [load1m, load5m, load15m] = loadavg();
    this.latest = {
      selfCpuPercent: round2((selfMicros / 1000 / elapsedMs) * 100),
      selfMemKbyte: Math.round(rss / 1024),
      selfMemPercent: round2((rss / totalmem()) * 100),
      cpuPercent: total > 0 ? round2((busy / total) * 100) : 0,
      cpus: cpus().length,
      memRamKbyte: Math.round(totalmem() / 1024),
      memRamPercent: round2(((totalmem() - freemem()) / totalmem()) * 100),
      load1m,
      load5m,
      load15m,
      uptimeSeconds: Math.round(uptime()),
      netRecvBytes: net?.recv ?? 0,
      netSendBytes: net?.send ?? 0,
      netRecvKbps,
      netSendKbps,
      sampledAt: now,
    };
  }
}

function cpuTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const cpu of cpus()) {
    const t = cpu.times;
    const all = t.user + t.nice + t.sys + t.idle + t.irq;
    total += all;
    busy += all - t.idle;
  }
  return { busy, total };
}

/** Sums /proc/net/dev over non-loopback interfaces; undefined where there is no such file (macOS, Windows). */
async function readNetDev(): Promise<{ recv: number; send: number } | undefined> {
  let text: string;
  try {
    text = await readFile('/proc/net/dev', 'utf8');
  } catch {
    return undefined;
  }
  let recv = 0;
  let send = 0;
  for (const line of text.split('\n').slice(2)) {
    const [name, rest] = line.split(':');
    if (!rest || name.trim() === 'lo') continue;
    const fields = rest.trim().split(/\s+/).map(Number);
    recv += fields[0] ?? 0;
    send += fields[8] ?? 0;
  }
  return { recv, send };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function emptySample(): SystemSample {
  return {
    selfCpuPercent: 0,
    selfMemKbyte: 0,
    selfMemPercent: 0,
    cpuPercent: 0,
    cpus: cpus().length,
    memRamKbyte: Math.round(totalmem() / 1024),
    memRamPercent: 0,
    load1m: 0,
    load5m: 0,
    load15m: 0,
    uptimeSeconds: Math.round(uptime()),
    netRecvBytes: 0,
    netSendBytes: 0,
    netRecvKbps: 0,
    netSendKbps: 0,
    sampledAt: 0,
  };
}
