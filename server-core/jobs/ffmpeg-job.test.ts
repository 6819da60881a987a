import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { findFfmpeg } from './ffmpeg-binary.js';
import { FfmpegJob, type JobState } from './ffmpeg-job.js';
import { FfmpegJobs, FfmpegMissingError } from './ffmpeg-jobs.js';

const logger = pino({ level: 'silent' });
const jobs: FfmpegJob[] = [];
afterEach(() => {
  for (const job of jobs.splice(0)) job.stop();
});

function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) resolve();
      else if (Date.now() > deadline) reject(new Error('condition not met in time'));
      else setTimeout(tick, 20);
    };
    tick();
  });
}

describe('findFfmpeg', () => {
  it('skips a configured path that is not there and finds the system ffmpeg with its version', async () => {
    const found = await findFfmpeg({ configuredPath: '/nonexistent/ffmpeg', bundledDirs: ['/nonexistent'] });
    expect(found).toMatchObject({ path: 'ffmpeg', source: 'system' });
    expect((found as { version: string }).version).toMatch(/^\d/);
  });

  it('says what to install when there is no ffmpeg anywhere', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const found = await findFfmpeg({ configuredPath: '/nonexistent/ffmpeg' });
      expect('problem' in found && found.problem).toMatch(/apt-get install ffmpeg.*ffmpeg\.path/);
      const service = new FfmpegJobs({}, logger);
      await expect(service.ffmpeg()).rejects.toBeInstanceOf(FfmpegMissingError);
    } finally {
      process.env.PATH = path;
    }
  });
});

describe('FfmpegJob', () => {
  it('pipes what ffmpeg writes to stdout and finishes', async () => {
    let bytes = 0;
    const states: JobState[] = [];
    const job = new FfmpegJob({
      binary: 'ffmpeg',
      kind: 'test',
      label: 'sine',
      inputs: [{ url: 'sine=frequency=440:sample_rate=8000', options: ['-f', 'lavfi'] }],
      output: { pipe: true, options: ['-t', '0.5', '-ac', '1', '-f', 's16le'] },
      restart: false,
      logger,
      onOutput: (chunk) => {
        bytes += chunk.length;
      },
      onStateChange: (state) => states.push(state),
    });
    jobs.push(job);
    job.start();
    await waitFor(() => job.state === 'finished');
    // Half a second of 8 kHz mono 16-bit samples.
    expect(bytes).toBe(8000);
    expect(states).toEqual(['running', 'finished']);
  });

  it('feeds stdin to ffmpeg and reads the result from stdout', async () => {
    let bytes = 0;
    const job = new FfmpegJob({
      binary: 'ffmpeg',
      kind: 'test',
      label: 'copy',
      // A pipe is read at once only when ffmpeg is told not to probe it.
      inputs: [
        {
          pipe: true,
          options: ['-probesize', '32', '-analyzeduration', '0', '-f', 's16le', '-ar', '8000', '-ac', '1'],
        },
      ],
      output: { pipe: true, options: ['-f', 's16le', '-ar', '16000', '-flush_packets', '1'] },
      restart: false,
      logger,
      onOutput: (chunk) => {
        bytes += chunk.length;
      },
    });
    jobs.push(job);
    job.start();
    await waitFor(() => job.state === 'running');
    // One second of silence at 8 kHz comes back as one second at 16 kHz.
    expect(job.write(Buffer.alloc(16000))).toBe(true);
    await waitFor(() => bytes >= 30_000);
    job.stop();
    await waitFor(() => job.state === 'stopped');
    expect(bytes).toBeGreaterThanOrEqual(30_000);
    expect(job.write(Buffer.alloc(10))).toBe(false);
  });

  it('restarts a failing job with growing delays, keeps its error, and stops for good', async () => {
    const job = new FfmpegJob({
      binary: 'ffmpeg',
      kind: 'test',
      label: 'missing input',
      inputs: [{ url: '/nonexistent/input.mp4' }],
      output: { url: '-', options: ['-f', 'null'] },
      restart: { initialDelayMs: 50, maxDelayMs: 200, healthyAfterMs: 60_000 },
      logger,
    });
    jobs.push(job);
    job.start();
    await waitFor(() => job.snapshot().runs >= 3);
    expect(job.snapshot().lastError).toMatch(/No such file/);
    job.stop();
    await waitFor(() => job.state === 'stopped');
    const runs = job.snapshot().runs;
    await new Promise((r) => setTimeout(r, 400));
    expect(job.snapshot().runs).toBe(runs);
  });

  it('reports the CPU and memory of a running ffmpeg', async () => {
    const job = new FfmpegJob({
      binary: 'ffmpeg',
      kind: 'test',
      label: 'long',
      inputs: [{ url: 'anullsrc', options: ['-f', 'lavfi', '-re'] }],
      output: { url: '-', options: ['-f', 'null'] },
      restart: false,
      logger,
    });
    jobs.push(job);
    job.start();
    await waitFor(() => job.state === 'running' && job.snapshot().rssBytes !== undefined);
    const snapshot = job.snapshot();
    expect(snapshot.pid).toBeGreaterThan(0);
    expect(snapshot.rssBytes).toBeGreaterThan(1024 * 1024);
    expect(snapshot.cpuSeconds).toBeGreaterThanOrEqual(0);
  });
});
