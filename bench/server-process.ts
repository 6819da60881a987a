import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** Tally as the benchmarks run it: bench/server-tally.ts in node itself (no tsx wrapper process in between). */
export function startTallyProcess(
  root: string,
  ports: { rtmp: number; http: number; api: number },
  extraArgs: string[] = [],
): ChildProcess {
  // biome-ignore format: flag/value pairs
  const args = [
    '--import', 'tsx', join(root, 'bench', 'server-tally.ts'),
    '--rtmp', String(ports.rtmp), '--http', String(ports.http), '--api', String(ports.api), ...extraArgs,
  ];
  return spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
}
