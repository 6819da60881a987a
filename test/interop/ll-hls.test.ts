import { Agent, get as httpGet } from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, PageServer } from './support/browser.js';
import { decode, probe, publish } from './support/ffmpeg.js';
import { parsePlaylist } from './support/hls.js';
import { parseLlPlaylist, trackRuns } from './support/ll-hls.js';
import type { RunningProcess } from './support/run-process.js';
import { ensureSample, SAMPLE_720P } from './support/sample-media.js';
import { type RunningServer, startTestServer, waitFor } from './support/test-server.js';

/**
 * hls.js in low-latency mode, allowed to play up to 1.5x to reach its target latency (PART-HOLD-BACK) after a
 * slow start (off by default in hls.js; real LL players do it). The page records hls.latency twice a second,
 * from 3 s after playback started (the catch-up) on.
 */
const LL_PAGE = `<!doctype html><video id="v" muted autoplay playsinline></video><script src="/hls.js"></script>
<script>
  const video = document.getElementById('v');
  window.latencies = [];
  video.addEventListener('playing', () => { if (window.startedAt === undefined) { window.startedAt = video.currentTime; window.playingSince = Date.now(); } });
  const hls = new Hls({ lowLatencyMode: true, maxLiveSyncPlaybackRate: 1.5 });
  hls.on(Hls.Events.ERROR, (e, data) => { if (data.fatal) window.playerError = data.details; });
  hls.loadSource(new URL(location.href).searchParams.get('src'));
  hls.attachMedia(video);
  setInterval(() => { if (Date.now() - window.playingSince > 3000 && hls.latency > 0) window.latencies.push(hls.latency); }, 500);
</script>`;

const PLAYLIST = '/live/ll/index.m3u8';

/** LL-HLS over fMP4 from a live RTMP publish (1 s GOP, 1 s parts, 2 s segments) with real players. */
describe('LL-HLS and HLS over fMP4', () => {
  let env: RunningServer;
  let publisher: RunningProcess;
  let browser: Browser;
  const pages = new PageServer();
  const stream = () => env.server.llHls?.find('live', 'll');
  const get = (path: string) => fetch(env.httpUrl(path));
  const playlist = async (query = '') => {
    const res = await get(`${PLAYLIST}${query}`);
    return { res, text: await res.text() };
  };

  beforeAll(async () => {
    const sample = await ensureSample();
    env = await startTestServer('ll-hls', { hls: { fragment: 2, partDuration: 1 } });
    publisher = publish(sample, env.rtmpUrl('/live/ll'));
    await waitFor(() => (stream()?.windowSegments.length ?? 0) >= 3, 20_000, 'fMP4 segments');
    pages.addPage('/ll.html', LL_PAGE);
    await pages.start();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    pages.close();
    await publisher?.stop();
    await env?.close();
  });

  it('serves a low-latency fMP4 playlist: EXT-X-MAP, parts, server control, a preload hint', async () => {
    const { res, text } = await playlist();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const p = parseLlPlaylist(text);
    expect(p.version).toBeGreaterThanOrEqual(9);
    expect(p.serverControl).toMatchObject({ 'CAN-BLOCK-RELOAD': 'YES' });
    expect(Number(p.serverControl['PART-HOLD-BACK'])).toBeGreaterThanOrEqual(2 * p.partTarget);
    expect(Number(p.serverControl['CAN-SKIP-UNTIL'])).toBeGreaterThanOrEqual(6 * p.targetDuration);
    expect(p.partTarget).toBe(1);
    expect(p.parts.length).toBeGreaterThan(0);
    expect(p.preloadHint).toMatch(/^part-\d+-\d+\.m4s$/);
    expect(text).toContain('#EXT-X-PROGRAM-DATE-TIME:');
    const init = await get(`/live/ll/${p.map}`);
    expect(init.status).toBe(200);
    expect(init.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const part = await get(`/live/ll/${p.parts[0].uri}`);
    expect(part.headers.get('content-type')).toBe('video/mp4');
    expect(part.headers.get('cache-control')).toMatch(/max-age=\d+/);
  });

  it('ffprobe and ffmpeg read the fMP4 playlist: codecs, resolution, 100+ frames decoded', async () => {
    const streams = await probe(env.httpUrl(PLAYLIST));
    expect(streams.find((s) => s.codec_type === 'video')).toMatchObject({
      codec_name: 'h264',
      width: SAMPLE_720P.width,
      height: SAMPLE_720P.height,
    });
    expect(streams.find((s) => s.codec_type === 'audio')?.codec_name).toBe('aac');
    const result = await decode(env.httpUrl(PLAYLIST), 5);
    expect(result.code, result.stderr).toBe(0);
    expect(result.videoFrames).toBeGreaterThanOrEqual(100);
  });

  it('a blocking reload for the next part is answered once that part exists, and lists it', async () => {
    const hint = parseLlPlaylist((await playlist()).text).preloadHint!;
    const [, msn, index] = /^part-(\d+)-(\d+)\.m4s$/.exec(hint)!.map(Number);
    // Not there when asked: the answer had to wait for it.
    expect(stream()?.part(msn, index)).toBeUndefined();
    const { res, text } = await playlist(`?_HLS_msn=${msn}&_HLS_part=${index}`);
    expect(res.status).toBe(200);
    expect(stream()?.part(msn, index)).toBeDefined();
    expect(parseLlPlaylist(text).parts.map((p) => p.uri)).toContain(hint);
  });

  it('blocking reloads one after another reuse one keep-alive connection', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const blockingGet = (path: string) =>
      new Promise<{ status: number; reused: boolean; text: string }>((resolve, reject) => {
        const req = httpGet(env.httpUrl(path), { agent }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket, text }));
        });
        req.on('error', reject);
      });
    try {
      let next = parseLlPlaylist((await blockingGet(PLAYLIST)).text).preloadHint!;
      for (let i = 0; i < 3; i++) {
        const [, msn, index] = /^part-(\d+)-(\d+)\.m4s$/.exec(next)!.map(Number);
        const answer = await blockingGet(`${PLAYLIST}?_HLS_msn=${msn}&_HLS_part=${index}`);
        expect(answer.status).toBe(200);
        expect(answer.reused).toBe(true);
        next = parseLlPlaylist(answer.text).preloadHint!;
      }
    } finally {
      agent.destroy();
    }
  });

  it('a request for the preload-hinted part is held until the part is cut, then served', async () => {
    const hint = parseLlPlaylist((await playlist()).text).preloadHint!;
    const [, msn, index] = /^part-(\d+)-(\d+)\.m4s$/.exec(hint)!.map(Number);
    expect(stream()?.part(msn, index)).toBeUndefined();
    const res = await get(`/live/ll/${hint}`);
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.equals(stream()!.part(msn, index)!.data)).toBe(true);
  });

  it('answers 400 to a reload too far ahead or a _HLS_part without _HLS_msn', async () => {
    const last = stream()!.open?.msn ?? stream()!.lastFinishedMsn;
    expect((await playlist(`?_HLS_msn=${last + 3}`)).res.status).toBe(400);
    expect((await playlist('?_HLS_part=1')).res.status).toBe(400);
    expect((await playlist('?_HLS_msn=x')).res.status).toBe(400);
  });

  it('every part starts where the previous one ended on each track, and independent parts start on a keyframe', async () => {
    const p = parseLlPlaylist((await playlist()).text);
    expect(p.parts.length).toBeGreaterThanOrEqual(3);
    const ends = new Map<number, number>();
    for (const part of p.parts) {
      const runs = trackRuns(Buffer.from(await (await get(`/live/ll/${part.uri}`)).arrayBuffer()));
      expect(runs.map((r) => r.trackId).sort()).toEqual([1, 2]);
      for (const run of runs) {
        if (ends.has(run.trackId)) expect(run.start, `${part.uri} track ${run.trackId}`).toBe(ends.get(run.trackId));
        ends.set(run.trackId, run.start + run.duration);
      }
      expect(part.independent, part.uri).toBe(runs.find((r) => r.trackId === 1)!.firstIsSync);
    }
    // 1 s parts of a 1 s GOP: every part is independent.
    expect(p.parts.every((part) => part.independent)).toBe(true);
    // Whole segments are their parts back to back and tile the timeline the same way.
    const [a, b] = p.segments.slice(-2);
    const runsA = trackRuns(Buffer.from(await (await get(`/live/ll/${a.uri}`)).arrayBuffer()));
    const runsB = trackRuns(Buffer.from(await (await get(`/live/ll/${b.uri}`)).arrayBuffer()));
    for (const id of [1, 2]) {
      const lastA = runsA.filter((r) => r.trackId === id).at(-1)!;
      expect(runsB.find((r) => r.trackId === id)!.start).toBe(lastA.start + lastA.duration);
    }
  });

  it('hls.js in low-latency mode plays index.m3u8 with hls.latency under 2.5 s for 20 s', async () => {
    const tab = await browser.newPage();
    try {
      await tab.goto(`${pages.url('/ll.html')}?src=${encodeURIComponent(env.httpUrl(PLAYLIST))}`);
      await tab.waitForFunction(
        () => {
          const w = window as unknown as { playerError?: string; latencies: number[] };
          return w.playerError !== undefined || w.latencies.length >= 40;
        },
        undefined,
        { timeout: 45_000 },
      );
      const state = await tab.evaluate(() => {
        const v = document.querySelector('video') as HTMLVideoElement;
        const w = window as unknown as { playerError?: string; startedAt?: number; latencies: number[] };
        return {
          error: w.playerError,
          advanced: v.currentTime - (w.startedAt ?? v.currentTime),
          width: v.videoWidth,
          height: v.videoHeight,
          latencies: w.latencies,
        };
      });
      expect(state.error).toBeUndefined();
      expect(state.advanced).toBeGreaterThan(15);
      expect(state.width).toBe(SAMPLE_720P.width);
      expect(state.height).toBe(SAMPLE_720P.height);
      expect(Math.max(...state.latencies), state.latencies.map((l) => l.toFixed(2)).join(' ')).toBeLessThan(2.5);
    } finally {
      await tab.close();
    }
  });

  it('_HLS_skip=YES gives a delta playlist: EXT-X-SKIP replaces the oldest segments, the rest is the full playlist', async () => {
    await waitFor(
      () => (stream()?.windowSegments.length ?? 0) * 2 > 12 + 4,
      30_000,
      'segments older than CAN-SKIP-UNTIL',
    );
    // Both requests wait for the same next part, so both render the same state.
    const hint = parseLlPlaylist((await playlist()).text).preloadHint!;
    const [, msn, index] = /^part-(\d+)-(\d+)\.m4s$/.exec(hint)!.map(Number);
    const block = `_HLS_msn=${msn}&_HLS_part=${index}`;
    const [full, delta] = await Promise.all([playlist(`?${block}`), playlist(`?${block}&_HLS_skip=YES`)]);
    expect(delta.res.status).toBe(200);
    const f = parseLlPlaylist(full.text);
    const d = parseLlPlaylist(delta.text);
    expect(f.skipped).toBe(0);
    expect(d.skipped).toBeGreaterThan(0);
    expect(d.mediaSequence).toBe(f.mediaSequence);
    expect(d.segments).toEqual(f.segments.slice(d.skipped));
    expect(d.parts).toEqual(f.parts);
    expect(d.map).toBe(f.map);
    // What was skipped lies before the skip boundary.
    const skippedEnd = f.segments.slice(d.skipped).reduce((sum, s) => sum + s.duration, 0);
    expect(skippedEnd).toBeGreaterThanOrEqual(Number(f.serverControl['CAN-SKIP-UNTIL']));
  });

  it('leaves the TS playlist as it was: version 3, MPEG-TS segments, no parts, no EXT-X-MAP', async () => {
    const res = await get('/live/ll.m3u8');
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toContain('#EXT-X-VERSION:3');
    expect(text).not.toMatch(/#EXT-X-(PART|MAP|SERVER-CONTROL|PRELOAD-HINT)/);
    const p = parsePlaylist(text);
    expect(p.segments.length).toBeGreaterThan(0);
    expect(p.segments.every((s) => /^ll-\d+\.ts$/.test(s.uri))).toBe(true);
    const segment = await get(`/live/${p.segments[0].uri}`);
    expect(segment.headers.get('content-type')).toBe('video/mp2t');
    expect(Buffer.from(await segment.arrayBuffer())[0]).toBe(0x47);
  });
});
