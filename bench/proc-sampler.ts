import { readFileSync } from 'node:fs';

const CLOCK_TICKS = 100;
const PAGE_SIZE = 4096;

/** CPU % (of one core) and RSS of a process, read from /proc (Linux): what the benchmark reports per server. */
export class ProcSampler {
  private last?: { ticks: number; at: number };
  readonly cpu: number[] = [];
  readonly rssMb: number[] = [];

  constructor(private readonly pid: number) {}

  sample(): void {
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    const rssPages = Number(fields[21]);
    const at = performance.now();
    if (this.last) this.cpu.push(((ticks - this.last.ticks) / CLOCK_TICKS / ((at - this.last.at) / 1000)) * 100);
    this.last = { ticks, at };
    this.rssMb.push((rssPages * PAGE_SIZE) / 1024 / 1024);
  }
}

export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function mean(values: number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}
