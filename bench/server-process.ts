import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** Tally as the benchmarks run it: bench/server-tally.ts in node itself (no tsx wrapper process in between). */
export function startTallyProcess(
  root: string,
  ports: { rtmp: number; http: number; api: number },
  extraArgs: string[] = [],
): ChildProcess {
  // TALLY_BENCH_SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the server alone.
  const nodeArgs = process.env.TALLY_BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  // biome-ignore format: flag/value pairs
  const args = [
    ...nodeArgs,
    '--import', 'tsx', join(root, 'bench', 'server-tally.ts'),
    '--rtmp', String(ports.rtmp), '--http', String(ports.http), '--api', String(ports.api), ...extraArgs,
  ];
  return spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
}
