import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DvrError } from '../../server-core/outputs/dvr/dvr-error.js';
import type { DvrFileSystem } from '../../server-core/outputs/dvr/dvr-file-system.js';
import { type CloseReason, DvrRecorder, type RecordedFile } from '../../server-core/outputs/dvr/dvr-recorder.js';
import { Fmp4ContainerWriter } from '../../server-core/outputs/dvr/fmp4-container-writer.js';
import { nodeFileSystem } from '../../server-core/outputs/dvr/node-file-system.js';
import { decode, firstVideoFrameIsKey, probe, publish } from './support/ffmpeg.js';
import { runProcess, startProcess } from './support/run-process.js';
import { ensureSample, SAMPLE_720P } from './support/sample-media.js';
import { pollFor, type RunningServer, startTestServer, waitFor } from './support/test-server.js';

interface ApiRecording {
  app: string;
  stream: string;
  file: string;
  duration: number;
  size: number;
  recording: boolean;
}

async function api(env: RunningServer, method: string, path: string, body?: unknown) {
  const response = await fetch(env.apiUrl(path), {
    method,
    headers: body ? { 'Content-Type': 'application/json' } : undefined,
    body: body ? JSON.stringify(body) : undefined,
  });
  return (await response.json()) as Record<string, unknown>;
}

async function formatDuration(file: string): Promise<number> {
  const result = await runProcess(
    'ffprobe',
    ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file],
    20_000,
  );
  return Number.parseFloat(result.stdout.trim());
}

async function decodesCleanly(file: string): Promise<boolean> {
  const result = await runProcess('ffmpeg', ['-v', 'error', '-xerror', '-i', file, '-f', 'null', '-'], 60_000);
  return result.code === 0;
}

/**
 * The real file system with a small disk: a write that does not fit is short, the next fails with ENOSPC (as
 * write(2) on a full disk), and free space is what is left of `capacity`.
 */
function smallDisk(capacity: number) {
  const disk = { used: 0, shortWrites: 0 };
  const fs: DvrFileSystem = {
    ...nodeFileSystem,
    freeBytes: async () => capacity - disk.used,
    async createExclusive(path) {
      const handle = await nodeFileSystem.createExclusive(path);
      return {
        ...handle,
        async write(bytes, offset, length, position) {
          const room = capacity - disk.used;
          if (room <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
          if (room < length) disk.shortWrites++;
          const written = await handle.write(bytes, offset, Math.min(length, room), position);
          disk.used += written;
          return written;
        },
        async truncate(size) {
          await handle.truncate(size);
          disk.used = size;
        },
      };
    },
  };
  return { fs, disk };
}

describe('DVR', () => {
  let sample: string;
  const root = mkdtempSync(join(tmpdir(), 'tally-dvr-'));

  beforeAll(async () => {
    sample = await ensureSample();
  });

  for (const format of ['mp4', 'flv'] as const) {
    it(`records 10 s as ${format}: codecs, resolution and duration are right, the whole file decodes`, async () => {
      const dir = join(root, format);
      const env = await startTestServer(`dvr-${format}`, { dvr: { dir, format, minFreeMb: 0 } });
      const publisher = publish(sample, env.rtmpUrl('/live/rec'));
      try {
        await waitFor(() => env.server.registry.list().length === 1, 15_000, 'publish');
        const on = await api(env, 'POST', '/api/v1/dvr', { app: 'live', stream: 'rec', enabled: true });
        expect(on.code).toBe(0);
        const startedAt = Date.now();
        await new Promise((r) => setTimeout(r, 10_000));
        await api(env, 'POST', '/api/v1/dvr', { app: 'live', stream: 'rec', enabled: false });
        const recordedMs = Date.now() - startedAt;
        const list = (await api(env, 'GET', '/api/v1/dvr')).recordings as ApiRecording[];
        expect(list).toHaveLength(1);
        const file = list[0].file;
        expect(file.startsWith(dir)).toBe(true);
        expect(file.endsWith(`.${format}`)).toBe(true);
        expect(list[0].recording).toBe(false);
        const streams = await probe(file);
        expect(streams.find((s) => s.codec_type === 'video')).toMatchObject({
          codec_name: 'h264',
          width: SAMPLE_720P.width,
          height: SAMPLE_720P.height,
        });
        expect(streams.find((s) => s.codec_type === 'audio')?.codec_name).toBe('aac');
        const duration = await formatDuration(file);
        // Recording starts at the cached GOP's keyframe (up to one GOP before the toggle).
        expect(Math.abs(duration - list[0].duration)).toBeLessThan(0.5);
        expect(duration).toBeGreaterThan(recordedMs / 1000 - 0.5);
        expect(duration).toBeLessThan(recordedMs / 1000 + SAMPLE_720P.gopFrames / SAMPLE_720P.fps + 0.5);
        expect(await decodesCleanly(file)).toBe(true);
      } finally {
        await publisher.stop();
        await env.close();
      }
    });
  }

  it('segment plan: consecutive files join without gaps, each starting on a keyframe', async () => {
    const dir = join(root, 'segments');
    const env = await startTestServer('dvr-segment', {
      dvr: { dir, plan: 'segment', segment: 3, recordAll: true, minFreeMb: 0 },
    });
    const publisher = publish(sample, env.rtmpUrl('/live/seg'));
    let source: (typeof env.server.registry.list extends () => (infer S)[] ? S : never) | undefined;
    try {
      await waitFor(() => env.server.registry.list().length === 1, 15_000, 'publish');
      source = env.server.registry.list()[0];
      await new Promise((r) => setTimeout(r, 10_000));
    } finally {
      await publisher.stop();
    }
    await waitFor(() => env.server.registry.list().length === 0, 10_000, 'unpublish');
    const publishedFrames = source?.stats.videoFrames ?? 0;
    const list = await pollFor(
      async () => {
        const recs = (await api(env, 'GET', '/api/v1/dvr')).recordings as ApiRecording[];
        return recs.length >= 3 && recs.every((r) => !r.recording) ? recs : undefined;
      },
      10_000,
      'closed segment files',
    );
    await env.close();
    const files = list.map((r) => r.file).sort();
    let totalFrames = 0;
    for (const file of files) {
      expect(await firstVideoFrameIsKey(file)).toBe(true);
      const counted = await probe(file, ['-count_frames', '-select_streams', 'v']);
      totalFrames += Number(counted[0].nb_read_frames);
    }
    // Every published frame lands in exactly one file: no gap, no duplicate.
    expect(files.length).toBeGreaterThanOrEqual(3);
    expect(totalFrames).toBe(publishedFrames);
  });

  it('toggle on, off, on during one publish gives two playable files', async () => {
    const dir = join(root, 'toggle');
    const env = await startTestServer('dvr-toggle', { dvr: { dir, minFreeMb: 0 } });
    const publisher = publish(sample, env.rtmpUrl('/live/toggle'));
    try {
      await waitFor(() => env.server.registry.list().length === 1, 15_000, 'publish');
      for (const enabled of [true, false, true, false]) {
        await api(env, 'POST', '/api/v1/dvr', { app: 'live', stream: 'toggle', enabled });
        await new Promise((r) => setTimeout(r, 2500));
      }
      const list = (await api(env, 'GET', '/api/v1/dvr')).recordings as ApiRecording[];
      expect(list).toHaveLength(2);
      expect(new Set(list.map((r) => r.file)).size).toBe(2);
      for (const r of list) expect(await decodesCleanly(r.file)).toBe(true);
    } finally {
      await publisher.stop();
      await env.close();
    }
  });

  it('a killed server leaves an fMP4 file that still probes and decodes', async () => {
    const dir = join(root, 'crash');
    // node itself (not npx) so SIGKILL hits the server process.
    const script = join(process.cwd(), 'test', 'interop', 'support', 'crash-server.ts');
    const server = startProcess(process.execPath, ['--import', 'tsx', script, dir], 60_000);
    let output = '';
    server.child.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
    });
    const rtmpPort = await pollFor(async () => /rtmp=(\d+)/.exec(output)?.[1], 30_000, 'the crash server');
    const publisher = publish(sample, `rtmp://127.0.0.1:${rtmpPort}/live/crash`);
    try {
      const file = await pollFor(
        async () => {
          const files = existsSync(join(dir, 'live')) ? readdirSync(join(dir, 'live')) : [];
          return files.find((f) => f.endsWith('.mp4'));
        },
        20_000,
        'the recording file',
      );
      await new Promise((r) => setTimeout(r, 6000));
      server.child.kill('SIGKILL');
      await server.exited;
      const path = join(dir, 'live', file);
      const streams = await probe(path);
      expect(streams.find((s) => s.codec_type === 'video')?.codec_name).toBe('h264');
      expect(await formatDuration(path)).toBeGreaterThan(3);
      expect(await decodesCleanly(path)).toBe(true);
    } finally {
      await publisher.stop();
    }
  });

  it('a full disk (ENOSPC mid-fragment, or free space below the minimum) leaves a file that decodes strictly', async () => {
    const dir = join(root, 'full');
    const env = await startTestServer('dvr-full', { dvr: { dir, minFreeMb: 0 } });
    const publisher = publish(sample, env.rtmpUrl('/live/full'));
    try {
      await waitFor(() => env.server.registry.list().length === 1, 15_000, 'publish');
      const source = env.server.registry.list()[0];
      for (const mode of ['enospc', 'min-free'] as const) {
        // About 3.5 s of the 1.5 Mb/s sample.
        const capacity = 700_000;
        const { fs, disk } = smallDisk(mode === 'enospc' ? capacity : 10 * capacity);
        const closed: { file: RecordedFile; reason: CloseReason }[] = [];
        const failed: DvrError[] = [];
        const recorder = new DvrRecorder({
          source,
          plan: 'session',
          segmentMs: 0,
          createWriter: () => new Fmp4ContainerWriter(),
          pathFor: (_at, extension) => join(dir, `${mode}.${extension}`),
          minFreeBytes: mode === 'enospc' ? 0 : 9 * capacity,
          logger: pino({ level: 'silent' }),
          now: Date.now,
          fs,
          onFileOpened: () => {},
          onFileClosed: (file, reason) => closed.push({ file: { ...file }, reason }),
          onFailed: (error) => failed.push(error),
        });
        recorder.start();
        await waitFor(() => failed.length > 0, 20_000, `the ${mode} fault`);
        await recorder.stop();
        expect(failed.map((e) => e.code)).toEqual(['DVR_DISK_FULL']);
        if (mode === 'enospc') expect(disk.shortWrites).toBe(1);
        else expect(disk.shortWrites).toBe(0);
        expect(closed).toHaveLength(1);
        const { file, reason } = closed[0];
        expect(reason).toBe('DVR_DISK_FULL');
        expect(file.size).toBe(statSync(file.file).size);
        expect(await formatDuration(file.file)).toBeGreaterThan(1);
        expect(await decodesCleanly(file.file)).toBe(true);
      }
      // The stream went on all along.
      expect(env.server.registry.list()).toHaveLength(1);
    } finally {
      await publisher.stop();
      await env.close();
    }
  });

  it('an unwritable folder stops recording with an error the API reports, and the stream goes on', async () => {
    // A regular file where the folder should be: unwritable even for root (tests may run as root).
    const blocker = join(root, 'not-a-folder');
    writeFileSync(blocker, 'x');
    const env = await startTestServer('dvr-unwritable', { dvr: { dir: join(blocker, 'sub'), minFreeMb: 0 } });
    const publisher = publish(sample, env.rtmpUrl('/live/locked'));
    try {
      await waitFor(() => env.server.registry.list().length === 1, 15_000, 'publish');
      await api(env, 'POST', '/api/v1/dvr', { app: 'live', stream: 'locked', enabled: true });
      const state = await pollFor(
        async () => {
          const streams = (await api(env, 'GET', '/api/v1/dvr')).streams as { stream: string; error?: string }[];
          return streams.find((s) => s.stream === 'locked' && s.error);
        },
        10_000,
        'the recording error',
      );
      expect(state.error).toMatch(/ENOTDIR|EACCES|EEXIST|not a directory|permission/i);
      const result = await decode(env.httpUrl('/live/locked.flv'), 2, { copy: true });
      expect(result.code, result.stderr).toBe(0);
      expect(result.videoFrames).toBeGreaterThan(40);
      expect(env.server.registry.list()).toHaveLength(1);
    } finally {
      await publisher.stop();
      await env.close();
    }
  });
});
