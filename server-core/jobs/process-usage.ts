import { readFileSync } from 'node:fs';

export interface ProcessUsage {
  /** User + system CPU time so far, seconds. */
  cpuSeconds: number;
  rssBytes: number;
}

/** Linux reports in USER_HZ (100 on every mainstream kernel) and pages of 4 KiB. */
const TICKS_PER_SECOND = 100;
const PAGE_BYTES = 4096;

/** CPU and memory of a child process from /proc; undefined where there is no /proc (Windows, macOS). */
export function processUsage(pid: number): ProcessUsage | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const rssPages = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
    return { cpuSeconds: (utime + stime) / TICKS_PER_SECOND, rssBytes: rssPages * PAGE_BYTES };
  } catch {
    return undefined;
  }
}
