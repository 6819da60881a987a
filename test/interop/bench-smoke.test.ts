import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runProcess } from './support/run-process.js';

/** The benchmark harness itself, tiny: both servers, 5 readers, 5 seconds. Speed targets live in `npm run bench`. */
describe('benchmark harness smoke run', () => {
  it('measures Tally and Node-Media-Server side by side and reports per-reader bitrates', async () => {
    const result = await runProcess(
      process.execPath,
      [
        '--import',
        'tsx',
        'bench/run.ts',
        '--readers',
        '5',
        '--duration',
        '5',
        '--warmup',
        '2',
        '--json',
        '--min-delivery',
        '0',
      ],
      120_000,
    );
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as {
      results: { server: string; readers: number; connected: number; readerKbpsMin: number; sourceKbps: number }[];
    };
    expect(report.results.map((r) => r.server).sort()).toEqual(['nms', 'tally']);
    for (const run of report.results) {
      expect(run.connected).toBe(5);
      expect(run.sourceKbps).toBeGreaterThan(1500);
      // Every reader measured something; how much of the source it got is a target `npm run bench` checks.
      expect(run.readerKbpsMin).toBeGreaterThan(0);
    }
  }, 180_000);

  it.skipIf(process.getuid?.() !== 0 || spawnSync('nft', ['--version']).status !== 0)(
    'WHEP viewers counted by nftables: all but the 8 reference viewers, each with its share of the stream',
    async () => {
      // biome-ignore format: flag/value pairs
      const args = [
        '--import', 'tsx', 'bench/run.ts', '--protocol', 'whep', '--servers', 'tally', '--readers', '12',
        '--duration', '4', '--warmup', '2', '--json', '--min-delivery', '0', '--whep-kernel-count',
      ];
      const result = await runProcess(process.execPath, args, 120_000);
      expect(result.code, result.stderr).toBe(0);
      const [run] = (JSON.parse(result.stdout) as { results: Record<string, number>[] }).results;
      expect(run.connected).toBe(12);
      expect(run.kernelCounted).toBe(4);
      // The slowest viewer, kernel-counted or not, got media: the counters saw its RTP.
      expect(run.readerKbpsMin).toBeGreaterThan(100);
      expect(spawnSync('nft', ['list', 'tables']).stdout.toString()).not.toMatch(/tally_bench_/);
    },
    180_000,
  );

  it('the latency benchmark reads the publisher clock back out of the frames each player presents', async () => {
    // biome-ignore format: flag/value pairs
    const args = [
      '--import', 'tsx', 'bench/latency.ts', '--protocols', 'll-hls,http-flv', '--duration', '3', '--warmup', '4', '--json',
    ];
    const result = await runProcess(process.execPath, args, 120_000);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { protocol: string; frames: number; minMs: number; maxMs: number }[];
    expect(report.map((r) => r.protocol)).toEqual(['ll-hls', 'http-flv']);
    for (const run of report) {
      // 30 fps for 3 s; a stamp read wrong would be off by hours or negative (dropped), not a few seconds.
      expect(run.frames, run.protocol).toBeGreaterThan(45);
      expect(run.minMs).toBeGreaterThan(0);
      expect(run.maxMs).toBeLessThan(30_000);
    }
  }, 180_000);
});
