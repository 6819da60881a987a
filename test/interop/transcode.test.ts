import { existsSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, PageServer } from './support/browser.js';
import { decode, probe, publish } from './support/ffmpeg.js';
import { type RunningProcess, runProcess } from './support/run-process.js';
import { ensureSample, SAMPLE_720P } from './support/sample-media.js';
import { pollFor, type RunningServer, startTestServer, waitFor } from './support/test-server.js';

/** A 3 s MP4 cut from the cached sample (keyframe every second, so the cut is exact): short, to loop often. */
async function shortMp4(): Promise<string> {
  const sample = await ensureSample();
  const file = sample.replace(/\.flv$/, '-3s.mp4');
  if (existsSync(file)) return file;
  const tmp = `${file}.${process.pid}.tmp.mp4`;
  const args = ['-hide_banner', '-loglevel', 'error', '-y', '-i', sample, '-t', '3', '-c', 'copy', tmp];
  const result = await runProcess('ffmpeg', args, 30_000);
  if (result.code !== 0) throw new Error(`ffmpeg could not cut the sample: ${result.stderr}`);
  renameSync(tmp, file);
  return file;
}

/** The DTS (seconds) of the video packets an RTMP player receives in its first `seconds` of a live stream. */
async function videoPacketTimes(env: RunningServer, seconds: number): Promise<number[]> {
  // biome-ignore format: ffprobe arguments read best as flag/value pairs
  const args = [
    '-v', 'error', '-select_streams', 'v:0', '-read_intervals', `%+${seconds}`,
    '-show_entries', 'packet=dts_time', '-of', 'csv=p=0', env.rtmpUrl('/live/looped'),
  ];
  const result = await runProcess('ffprobe', args, (seconds + 20) * 1000);
  if (result.code !== 0) throw new Error(`ffprobe failed: ${result.stderr}`);
  return result.stdout
    .split('\n')
    .map((line) => Number.parseFloat(line))
    .filter((t) => Number.isFinite(t));
}

describe('virtual live', () => {
  let env: RunningServer;

  afterAll(async () => {
    await env?.close();
  });

  it('an MP4 file looped into a live stream decodes across two loop points without an error', async () => {
    const file = await shortMp4();
    env = await startTestServer('virtual-live', {
      security: { publishSecret: 'vl-secret' },
      virtualLive: { sources: [{ name: 'loop', input: file, stream: 'looped', loop: true }] },
    });
    const start = await fetch(env.apiUrl('/api/v1/virtual-live/loop/start'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(start.status).toBe(200);
    await waitFor(
      () =>
        env.server.registry.find({ vhost: '__defaultVhost__', app: 'live', stream: 'looped' })?.isPublishing === true,
      15_000,
      'the virtual-live stream',
    );
    // 8 s of a 3 s file: at least two loop points, every frame decoded with -xerror, and the video timestamps a
    // player sees keep rising at the frame rate (no jump back or gap at the loop point).
    const [result, times] = await Promise.all([decode(env.rtmpUrl('/live/looped'), 8), videoPacketTimes(env, 8)]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.videoFrames).toBeGreaterThanOrEqual(8 * SAMPLE_720P.fps * 0.9);
    const steps = times.slice(1).map((t, i) => t - times[i]);
    expect(times[times.length - 1] - times[0]).toBeGreaterThan(7);
    expect(Math.min(...steps)).toBeGreaterThan(0);
    expect(Math.max(...steps)).toBeLessThan(0.2);
    const list = (await (await fetch(env.apiUrl('/api/v1/virtual-live'))).json()) as {
      sources: { name: string; running: boolean; job?: { runs: number; state: string } }[];
    };
    // One ffmpeg run did the looping (no restart at the loop point).
    expect(list.sources[0]).toMatchObject({ name: 'loop', running: true, job: { runs: 1, state: 'running' } });
    const stop = await fetch(env.apiUrl('/api/v1/virtual-live/loop/stop'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(stop.status).toBe(200);
    const unknown = await fetch(env.apiUrl('/api/v1/virtual-live/nope/start'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(unknown.status).toBe(404);
  });
});

const ABR_PAGE = `<!doctype html><video id="v" muted autoplay playsinline></video><script src="/hls.js"></script>
<script>
  const url = new URL(location.href).searchParams.get('src');
  const hls = new Hls({ liveSyncDurationCount: 2, capLevelToPlayerSize: false });
  window.hls = hls;
  hls.on(Hls.Events.ERROR, (e, data) => { if (data.fatal) window.playerError = data.details; });
  // Load the top rendition (manual, so a slow machine's bandwidth estimate cannot drop it first): forcing the
  // lowest one later is then a real switch that the picture shows.
  hls.on(Hls.Events.MANIFEST_PARSED, (e, data) => { hls.loadLevel = data.levels.length - 1; });
  hls.loadSource(url);
  hls.attachMedia(document.getElementById('v'));
</script>`;

interface Variant {
  bandwidth: number;
  resolution: string;
  codecs: string;
  uri: string;
}

function parseMaster(text: string): Variant[] {
  const lines = text.split('\n');
  const variants: Variant[] = [];
  lines.forEach((line, i) => {
    if (!line.startsWith('#EXT-X-STREAM-INF:')) return;
    const attr = (name: string) => new RegExp(`${name}=("[^"]*"|[^,]*)`).exec(line)?.[1].replace(/"/g, '') ?? '';
    variants.push({
      bandwidth: Number(attr('BANDWIDTH')),
      resolution: attr('RESOLUTION'),
      codecs: attr('CODECS'),
      uri: lines[i + 1],
    });
  });
  return variants;
}

describe('transcode profile (ABR) and thumbnails', () => {
  let env: RunningServer;
  let publisher: RunningProcess;
  let browser: Browser;
  const pages = new PageServer();
  let variants: Variant[] = [];

  beforeAll(async () => {
    const sample = await ensureSample();
    env = await startTestServer('transcode-abr', {
      hls: { fragment: 1 },
      dash: { enabled: false },
      hub: { publisherGraceMs: 1000 },
      transcode: {
        preset: 'ultrafast',
        profiles: [
          {
            name: 'test',
            renditions: [
              { name: 'source', height: 0 },
              { name: '360p', height: 360, videoKbps: 600 },
              { name: '240p', height: 240, videoKbps: 300 },
            ],
          },
        ],
        streams: [{ app: 'live', stream: 'abr', profile: 'test' }],
      },
    });
    publisher = publish(sample, env.rtmpUrl('/live/abr'));
    const master = await pollFor(
      async () => {
        const res = await fetch(env.httpUrl('/live/abr.m3u8'));
        const text = res.ok ? await res.text() : '';
        return parseMaster(text).length >= 3 ? text : undefined;
      },
      40_000,
      'a master playlist with 3 variants',
    );
    variants = parseMaster(master);
    pages.addPage('/abr.html', ABR_PAGE);
    await pages.start();
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    pages.close();
    await publisher?.stop();
    await env?.close();
  });

  it('the master playlist lists each rendition with BANDWIDTH, CODECS and the RESOLUTION ffprobe finds', async () => {
    expect(variants.map((v) => v.uri).sort()).toEqual(['abr_240p.m3u8', 'abr_360p.m3u8', 'abr_source.m3u8']);
    for (const variant of variants) {
      expect(variant.bandwidth).toBeGreaterThan(0);
      expect(variant.codecs).toMatch(/^avc1\.[0-9a-f]{6},mp4a\.40\.2$/);
      const streams = await probe(env.httpUrl(`/live/${variant.uri}`));
      const video = streams.find((s) => s.codec_type === 'video');
      expect(`${video?.width}x${video?.height}`).toBe(variant.resolution);
    }
    const heights = variants.map((v) => Number(v.resolution.split('x')[1])).sort((a, b) => a - b);
    expect(heights).toEqual([240, 360, SAMPLE_720P.height]);
    // Each rendition is a normal stream on every protocol, RTMP too.
    const rtmp = await probe(env.rtmpUrl('/live/abr_360p'));
    expect(rtmp.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', height: 360 });
  });

  it('hls.js plays the master playlist and switches to the level it is forced to', async () => {
    const tab = await browser.newPage();
    try {
      await tab.goto(`${pages.url('/abr.html')}?src=${encodeURIComponent(env.httpUrl('/live/abr.m3u8'))}`);
      // LEVEL_SWITCHED is not asserted: hls.js only fires it when it can match the playing time to a fragment,
      // which a loaded machine sometimes misses. The picture's height is what a viewer sees.
      await tab.waitForFunction(
        (top) => {
          const w = window as unknown as { playerError?: string; hls: { levels: unknown[] } };
          const v = document.querySelector('video');
          return (
            w.playerError !== undefined ||
            (w.hls.levels.length >= 3 && v !== null && v.videoHeight === top && v.currentTime > 1)
          );
        },
        SAMPLE_720P.height,
        { timeout: 30_000 },
      );
      const target = await tab.evaluate(() => {
        const w = window as unknown as { hls: { levels: { height: number }[]; currentLevel: number } };
        const lowest = w.hls.levels.reduce((best, l, i) => (l.height < w.hls.levels[best].height ? i : best), 0);
        w.hls.currentLevel = lowest;
        return { index: lowest, height: w.hls.levels[lowest].height };
      });
      await tab.waitForFunction(
        (height) => {
          const w = window as unknown as { playerError?: string };
          const v = document.querySelector('video');
          return w.playerError !== undefined || v?.videoHeight === height;
        },
        target.height,
        { timeout: 30_000 },
      );
      const state = await tab.evaluate(() => {
        const w = window as unknown as { playerError?: string; hls: { loadLevel: number } };
        const v = document.querySelector('video') as HTMLVideoElement;
        return { error: w.playerError, loadLevel: w.hls.loadLevel, height: v.videoHeight, time: v.currentTime };
      });
      expect(state.error).toBeUndefined();
      expect(state.loadLevel).toBe(target.index);
      expect(state.height).toBe(240);
      // Playback goes on at the new level.
      await tab.waitForFunction(
        (t) => (document.querySelector('video') as HTMLVideoElement).currentTime > t + 1,
        state.time,
        {
          timeout: 15_000,
        },
      );
    } finally {
      await tab.close();
    }
  });

  it('GET /api/v1/streams/{id}/thumbnail is a decodable JPEG with the stream aspect ratio', async () => {
    const list = (await (await fetch(env.apiUrl('/api/v1/streams'))).json()) as {
      streams: { id: string; app: string; name: string }[];
    };
    const stream = list.streams.find((s) => s.app === 'live' && s.name === 'abr');
    expect(stream).toBeDefined();
    const res = await fetch(env.apiUrl(`/api/v1/streams/${stream?.id}/thumbnail`));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    const file = join(mkdtempSync(join(tmpdir(), 'tally-thumb-')), 'thumb.jpg');
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const decoded = await runProcess('ffmpeg', ['-hide_banner', '-xerror', '-i', file, '-f', 'null', '-'], 10_000);
    expect(decoded.code, decoded.stderr).toBe(0);
    const [image] = await probe(file);
    expect(image.codec_name).toBe('mjpeg');
    expect(image.width).toBe(320);
    expect((image.width ?? 0) / (image.height ?? 1)).toBeCloseTo(SAMPLE_720P.width / SAMPLE_720P.height, 2);
    const missing = await fetch(env.apiUrl('/api/v1/streams/vid-nope/thumbnail'));
    expect(missing.status).toBe(404);
  });

  it('the ladder and the snapshot job stop when the source stream ends', async () => {
    const kinds = () => env.server.jobs.list().map((j) => j.kind);
    expect(kinds()).toEqual(expect.arrayContaining(['transcode', 'thumbnail']));
    await publisher.stop();
    await waitFor(() => !kinds().includes('transcode') && !kinds().includes('thumbnail'), 20_000, 'jobs to stop');
    const ladders = (await (await fetch(env.apiUrl('/api/v1/transcode'))).json()) as { ladders: unknown[] };
    expect(ladders.ladders).toEqual([]);
  });
});
