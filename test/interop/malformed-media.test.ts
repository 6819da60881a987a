import { mkdtempSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publish } from './support/ffmpeg.js';
import { malformedCases } from './support/malformed-flv.js';
import { TestRtmpClient } from './support/rtmp-client.js';
import { type RunningProcess, startProcess } from './support/run-process.js';
import { ensureSample } from './support/sample-media.js';
import { type RunningServer, startTestServer, waitFor } from './support/test-server.js';

/** Reads an HTTP stream in the background (so its format's encoder runs) and counts the bytes. */
function backgroundReader(url: string): { bytes: () => number; close: () => void } {
  let bytes = 0;
  const req = get(url, (res) => {
    res.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    res.on('error', () => {});
  });
  req.on('error', () => {});
  return { bytes: () => bytes, close: () => req.destroy() };
}

describe('malformed media from an RTMP publisher never takes the server down', () => {
  let env: RunningServer;
  let legit: RunningProcess;
  let legitReader: RunningProcess;

  beforeAll(async () => {
    const sample = await ensureSample();
    env = await startTestServer('malformed-media', {
      // Each case's stream ends with its publisher (no grace window), so the next case starts clean.
      hub: { publisherGraceMs: 0 },
      // Every output runs for every stream: HLS and DASH segmenters, DVR, plus HTTP-TS readers below.
      dvr: { recordAll: true, dir: mkdtempSync(join(tmpdir(), 'tally-fuzz-dvr-')), minFreeMb: 0 },
    });
    legit = publish(sample, env.rtmpUrl('/live/legit'));
    await waitFor(() => env.server.registry.list().some((s) => s.key.stream === 'legit'), 15_000, 'the legit publish');
    // A strict decoder of the legit stream for the whole run: any corruption or drop makes it fail.
    legitReader = startProcess('ffmpeg', [
      '-hide_banner',
      '-xerror',
      '-i',
      env.httpUrl('/live/legit.flv'),
      '-f',
      'null',
      '-',
    ]);
  });

  afterAll(async () => {
    await legitReader?.stop();
    await legit?.stop();
    await env?.close();
  });

  for (const [index, testCase] of malformedCases().entries()) {
    it(`survives ${testCase.name}`, async () => {
      const path = `/live/fuzz${index}`;
      const client = new TestRtmpClient(env.rtmpUrl(path), 'publish');
      await client.open();
      await waitFor(() => env.server.registry.list().some((s) => s.key.stream === `fuzz${index}`), 5000, 'publish');
      const ts = backgroundReader(env.httpUrl(`${path}.ts`));
      const flv = backgroundReader(env.httpUrl(`${path}.flv`));
      const framesBefore = env.server.registry.list().find((s) => s.key.stream === 'legit')?.stats.videoFrames ?? 0;
      for (const [i, tag] of testCase.tags.entries()) client.send(tag.type, i * 40, tag.body);
      // Let every output process what was sent.
      await new Promise((r) => setTimeout(r, 400));
      client.close();
      ts.close();
      flv.close();
      await waitFor(() => !env.server.registry.list().some((s) => s.key.stream === `fuzz${index}`), 5000, 'unpublish');

      // The legit stream kept flowing through all of it, and its strict reader is still decoding.
      const legitSource = env.server.registry.list().find((s) => s.key.stream === 'legit');
      expect(legitSource, 'the legit stream is still published').toBeDefined();
      await waitFor(
        () => (legitSource?.stats.videoFrames ?? 0) > framesBefore,
        5000,
        'the legit stream to keep receiving frames',
      );
      expect(legitReader.child.exitCode, 'the strict reader of the legit stream is still running').toBeNull();
      // A fresh publish of the same name works.
      const again = new TestRtmpClient(env.rtmpUrl(path), 'publish');
      await again.open();
      again.close();
    });
  }

  it('still serves the legit stream everywhere after every case', async () => {
    const playlist = await fetch(env.httpUrl('/live/legit.m3u8'));
    expect(playlist.status).toBe(200);
    expect(await playlist.text()).toContain('#EXTINF');
    const mpd = await fetch(env.httpUrl('/live/legit.mpd'));
    expect(mpd.status).toBe(200);
    const result = await legitReader.stop();
    const frames = [...result.stderr.matchAll(/frame=\s*(\d+)/g)].map((m) => Number(m[1]));
    expect(result.stderr).not.toMatch(/Error while decoding|Invalid data found/);
    expect(Math.max(0, ...frames)).toBeGreaterThan(100);
    // The faults were seen, logged and counted, not silently swallowed.
    expect(env.server.faults.total).toBeGreaterThan(0);
  });
});
