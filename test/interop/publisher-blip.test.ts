import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, PageServer } from './support/browser.js';
import { decode, publish } from './support/ffmpeg.js';
import { ensureSample } from './support/sample-media.js';
import { pollFor, type RunningServer, startTestServer, waitFor } from './support/test-server.js';

const GRACE_MS = 5000;
const GAP_MS = 2000;

const WATCH = `<script>
  window.errors = [];
  const video = document.getElementById('v');
  video.addEventListener('playing', () => { if (window.startedAt === undefined) window.startedAt = video.currentTime; });
</script>`;
const HLS_PAGE = `<!doctype html><video id="v" muted autoplay playsinline></video>${WATCH}<script src="/hls.js"></script>
<script>
  const hls = new Hls({ liveSyncDurationCount: 2 });
  hls.on(Hls.Events.ERROR, (e, data) => { if (data.fatal) window.errors.push(data.details); });
  hls.loadSource(new URL(location.href).searchParams.get('src'));
  hls.attachMedia(document.getElementById('v'));
</script>`;
const DASH_PAGE = `<!doctype html><video id="v" muted autoplay playsinline></video>${WATCH}<script src="/dash.js"></script>
<script>
  const player = dashjs.MediaPlayer().create();
  player.on('error', (e) => window.errors.push(JSON.stringify(e.error || e).slice(0, 200)));
  player.initialize(document.getElementById('v'), new URL(location.href).searchParams.get('src'), true);
</script>`;

const currentTime = (tab: Page) =>
  tab.evaluate(() => (document.querySelector('video') as HTMLVideoElement).currentTime);
const errors = (tab: Page) => tab.evaluate(() => (window as unknown as { errors: string[] }).errors);

/**
 * A publisher that drops and comes back within hub.publisherGraceMs: every player stays and keeps playing
 * (the reason to pick Tally over a server whose players all stop at the first blip).
 */
describe('a publisher blip', () => {
  let env: RunningServer;
  let sample: string;
  let browser: Browser;
  const pages = new PageServer();

  beforeAll(async () => {
    sample = await ensureSample();
    env = await startTestServer('publisher-blip', {
      hub: { publisherGraceMs: GRACE_MS },
      hls: { fragment: 1 },
      dash: { fragment: 1 },
    });
    pages.addPage('/hls.html', HLS_PAGE);
    pages.addPage('/dash.html', DASH_PAGE);
    await pages.start();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    pages.close();
    await env?.close();
  });

  it('keeps HTTP-FLV, HLS, LL-HLS and DASH players playing across a 2 s gap, then ends them cleanly', async () => {
    const first = publish(sample, env.rtmpUrl('/live/blip'));
    await waitFor(() => (env.server.hls?.find('live', 'blip')?.segmentCount ?? 0) >= 3, 20_000, 'HLS segments');
    await waitFor(() => (env.server.dash?.find('live', 'blip')?.segmentCount ?? 0) >= 3, 20_000, 'DASH segments');
    await waitFor(
      () => (env.server.llHls?.find('live', 'blip')?.windowSegments.length ?? 0) >= 3,
      20_000,
      'LL-HLS segments',
    );
    const tabs: Page[] = [];
    for (const [page, path] of [
      ['/hls.html', '/live/blip.m3u8'],
      ['/dash.html', '/live/blip.mpd'],
      ['/hls.html', '/live/blip/index.m3u8'],
    ]) {
      const tab = await browser.newPage();
      await tab.goto(`${pages.url(page)}?src=${encodeURIComponent(env.httpUrl(path))}`);
      tabs.push(tab);
    }
    for (const tab of tabs) {
      await tab.waitForFunction(
        () => (window as unknown as { startedAt?: number }).startedAt !== undefined,
        undefined,
        {
          timeout: 20_000,
        },
      );
    }
    // Strict decoders reading 14 s of media through the gap (copy for FLV keeps timestamps as sent).
    const flvReader = decode(env.httpUrl('/live/blip.flv'), 14);
    const rtmpReader = decode(env.rtmpUrl('/live/blip'), 14, { copy: true });
    await new Promise((r) => setTimeout(r, 2000));

    await first.stop();
    await waitFor(() => env.server.registry.list()[0]?.isPublishing === false, 5000, 'the publisher to leave');
    const api = (await (await fetch(env.apiUrl('/api/v1/streams'))).json()) as {
      streams: { name: string; publish: { active: boolean } }[];
    };
    expect(api.streams.find((s) => s.name === 'blip')?.publish.active).toBe(false);
    const playlistsInGap: string[] = [];
    const gapEnd = Date.now() + GAP_MS;
    while (Date.now() < gapEnd) {
      playlistsInGap.push(await (await fetch(env.httpUrl('/live/blip.m3u8'))).text());
      await new Promise((r) => setTimeout(r, 300));
    }
    for (const playlist of playlistsInGap) expect(playlist).not.toContain('#EXT-X-ENDLIST');
    const timesAtResume = await Promise.all(tabs.map(currentTime));

    const second = publish(sample, env.rtmpUrl('/live/blip'));
    try {
      await waitFor(() => env.server.registry.list()[0]?.isPublishing === true, 10_000, 'the new publisher');
      // Both players play on past the gap: 3 s more media within 15 s (dash.js waits out the gap in its timeline).
      for (const [i, tab] of tabs.entries()) {
        await tab.waitForFunction(
          (from) => (document.querySelector('video') as HTMLVideoElement).currentTime > from + 3,
          timesAtResume[i],
          { timeout: 15_000 },
        );
        expect(await errors(tab), `${['hls.js', 'dash.js', 'hls.js LL-HLS'][i]} errors`).toEqual([]);
      }
      const playlist = await (await fetch(env.httpUrl('/live/blip.m3u8'))).text();
      expect(playlist.match(/#EXT-X-DISCONTINUITY\n/g)).toHaveLength(1);
      expect(playlist).not.toContain('#EXT-X-ENDLIST');
      // The same codec settings came back: the fMP4 timeline simply goes on (the pause cut out of it).
      const ll = await (await fetch(env.httpUrl('/live/blip/index.m3u8'))).text();
      expect(ll).not.toContain('#EXT-X-DISCONTINUITY');
      expect(ll).not.toContain('#EXT-X-ENDLIST');
      for (const [name, reader] of [
        ['HTTP-FLV', flvReader],
        ['RTMP', rtmpReader],
      ] as const) {
        const result = await reader;
        expect(result.code, `${name}: ${result.stderr}`).toBe(0);
        // 14 s of media, 2 of them the gap: at least 10 s of 30 fps frames arrived on one connection.
        expect(result.videoFrames, name).toBeGreaterThan(300);
      }
    } finally {
      await second.stop();
    }

    // No publisher within the grace window: the stream ends for good, and its playlist says so for good.
    await waitFor(() => env.server.registry.list().length === 0, GRACE_MS + 5000, 'the stream to end');
    const ended = await pollFor(
      async () => {
        const text = await (await fetch(env.httpUrl('/live/blip.m3u8'))).text();
        return text.includes('#EXT-X-ENDLIST') ? text : undefined;
      },
      5000,
      'ENDLIST',
    );
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 500));
      expect(await (await fetch(env.httpUrl('/live/blip.m3u8'))).text()).toBe(ended);
    }
    const llEnded = await (await fetch(env.httpUrl('/live/blip/index.m3u8'))).text();
    expect(llEnded.trimEnd().endsWith('#EXT-X-ENDLIST')).toBe(true);
    const mpd = await (await fetch(env.httpUrl('/live/blip.mpd'))).text();
    expect(mpd).toContain('type="static"');
    for (const tab of tabs) await tab.close();
  });
});
