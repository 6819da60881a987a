import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, PageServer } from './support/browser.js';
import { decode, probe, publish } from './support/ffmpeg.js';
import type { RunningProcess } from './support/run-process.js';
import { ensureSample, SAMPLE_720P } from './support/sample-media.js';
import { type RunningServer, startTestServer, waitFor } from './support/test-server.js';

/** Live players start mid-stream: what counts is playback advancing, measured from the first 'playing'. */
const WATCH = `<script>
  const video = document.getElementById('v');
  video.addEventListener('playing', () => { if (window.startedAt === undefined) window.startedAt = video.currentTime; });
</script>`;

const HLS_PAGE = `<!doctype html><video id="v" muted autoplay playsinline></video>${WATCH}<script src="/hls.js"></script>
<script>
  const url = new URL(location.href).searchParams.get('src');
  const hls = new Hls({ liveSyncDurationCount: 2 });
  hls.on(Hls.Events.ERROR, (e, data) => { if (data.fatal) window.playerError = data.details; });
  hls.loadSource(url);
  hls.attachMedia(document.getElementById('v'));
</script>`;

const DASH_PAGE = `<!doctype html><video id="v" muted autoplay playsinline></video>${WATCH}<script src="/dash.js"></script>
<script>
  const url = new URL(location.href).searchParams.get('src');
  const player = dashjs.MediaPlayer().create();
  player.on('error', (e) => { window.playerError = JSON.stringify(e.error || e); });
  player.initialize(document.getElementById('v'), url, true);
</script>`;

/** HLS and DASH from a live RTMP publish, read by ffprobe/ffmpeg and played by hls.js and dash.js in Chromium. */
describe('HLS and DASH in real players', () => {
  let env: RunningServer;
  let publisher: RunningProcess;
  let browser: Browser;
  const pages = new PageServer();

  beforeAll(async () => {
    const sample = await ensureSample();
    env = await startTestServer('web-players', { hls: { fragment: 1 }, dash: { fragment: 1 } });
    publisher = publish(sample, env.rtmpUrl('/live/web'));
    await waitFor(() => (env.server.hls?.find('live', 'web')?.segmentCount ?? 0) >= 3, 20_000, 'HLS segments');
    await waitFor(() => (env.server.dash?.find('live', 'web')?.segmentCount ?? 0) >= 3, 20_000, 'DASH segments');
    pages.addPage('/hls.html', HLS_PAGE);
    pages.addPage('/dash.html', DASH_PAGE);
    await pages.start();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    pages.close();
    await publisher?.stop();
    await env?.close();
  });

  it('ffprobe and ffmpeg read the MPD: codecs, resolution, 5 s decoded without errors', async () => {
    const streams = await probe(env.httpUrl('/live/web.mpd'));
    expect(streams.find((s) => s.codec_type === 'video')).toMatchObject({
      codec_name: 'h264',
      width: SAMPLE_720P.width,
      height: SAMPLE_720P.height,
    });
    expect(streams.find((s) => s.codec_type === 'audio')?.codec_name).toBe('aac');
    const result = await decode(env.httpUrl('/live/web.mpd'), 5);
    expect(result.code, result.stderr).toBe(0);
    expect(result.videoFrames).toBeGreaterThanOrEqual(140);
  });

  for (const [name, page, path] of [
    ['hls.js', '/hls.html', '/live/web.m3u8'],
    ['dash.js', '/dash.html', '/live/web.mpd'],
  ] as const) {
    it(`${name} plays the stream in Chromium for more than 3 s`, async () => {
      const tab = await browser.newPage();
      try {
        await tab.goto(`${pages.url(page)}?src=${encodeURIComponent(env.httpUrl(path))}`);
        await tab.waitForFunction(
          () => {
            const w = window as unknown as { playerError?: string; startedAt?: number };
            const v = document.querySelector('video');
            return (
              w.playerError !== undefined ||
              (v !== null && w.startedAt !== undefined && v.currentTime - w.startedAt > 3)
            );
          },
          undefined,
          { timeout: 30_000 },
        );
        const state = await tab.evaluate(() => {
          const v = document.querySelector('video') as HTMLVideoElement;
          const w = window as unknown as { playerError?: string; startedAt?: number };
          return {
            error: w.playerError,
            advanced: v.currentTime - (w.startedAt ?? v.currentTime),
            width: v.videoWidth,
            height: v.videoHeight,
          };
        });
        expect(state.error).toBeUndefined();
        expect(state.advanced).toBeGreaterThan(3);
        expect(state.width).toBe(SAMPLE_720P.width);
        expect(state.height).toBe(SAMPLE_720P.height);
      } finally {
        await tab.close();
      }
    });
  }
});
