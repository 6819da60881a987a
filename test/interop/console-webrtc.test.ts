import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Controller } from '../../app/controller.js';
import { launchChromium } from './support/browser.js';
import { type RunningProcess, startProcess } from './support/run-process.js';
import { ensureSample } from './support/sample-media.js';
import { startTestController } from './support/test-controller.js';
import { pollFor } from './support/test-server.js';

const RTC_FLAGS = [
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection',
];

/** The preview's player and media time on the stream card of a path. */
async function preview(page: Page, path: string): Promise<{ player?: string; time: number }> {
  return page
    .locator(`[data-testid="stream-card"][data-stream-path="${path}"] [data-testid="stream-preview"]`)
    .evaluate((v: HTMLVideoElement) => ({ player: v.dataset.player, time: v.currentTime }));
}

async function previewPlaying(page: Page, path: string, player: string): Promise<void> {
  const first = await pollFor(
    async () => {
      const p = await preview(page, path).catch(() => undefined);
      return p && p.player === player && p.time > 0.5 ? p : undefined;
    },
    20_000,
    `${player} preview of ${path} playing`,
  ).catch(async (e) => {
    throw new Error(`${(e as Error).message}: ${JSON.stringify(await preview(page, path).catch(() => 'none'))}`);
  });
  await new Promise((r) => setTimeout(r, 1200));
  expect((await preview(page, path)).time).toBeGreaterThan(first.time);
}

/** The app's WebRTC face: previews over WHEP with fallback, and publishing from the browser over WHIP. */
describe('console WebRTC preview and browser publishing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tally-rtc-ui-'));
  let controller: Controller;
  let publisher: RunningProcess | undefined;
  let browser: Browser;
  let plainBrowser: Browser;
  let consoleUrl: string;

  beforeAll(async () => {
    expect(existsSync('dist/renderer/index.html'), 'run `npm run build:renderer` before the UI tests').toBe(true);
    ({ controller } = await startTestController(dir, { console: true }));
    const status = await controller.startServer();
    consoleUrl = `http://127.0.0.1:${status.ports.api}/console/`;
    const sample = await ensureSample();
    // biome-ignore format: ffmpeg arguments read best as flag/value pairs
    const args = ['-hide_banner', '-loglevel', 'warning', '-re', '-stream_loop', '-1', '-i', sample, '-c', 'copy', '-f', 'flv', `rtmp://127.0.0.1:${status.ports.rtmp}/live/obs`];
    publisher = startProcess('ffmpeg', args, 300_000);
    [browser, plainBrowser] = await Promise.all([launchChromium(RTC_FLAGS), launchChromium()]);
  });

  afterAll(async () => {
    await browser?.close();
    await plainBrowser?.close();
    await publisher?.stop();
    await controller?.close();
  });

  it('previews an RTMP stream over WebRTC, counted as a preview and not a viewer', async () => {
    const page = await browser.newPage();
    await page.goto(`${consoleUrl}#/streams`);
    await previewPlaying(page, '/live/obs', 'whep');
    const stream = (await controller.listStreams()).find((s) => s.path === '/live/obs');
    const detail = await controller.getStream(stream!.id);
    const previews = detail!.clients.filter((c) => c.preview);
    expect(previews.map((c) => c.protocol)).toContain('whep');
    expect(stream!.readers).toBe(0);
    await page.close();
  });

  it('a WebRTC preview whose session the server ends comes back by itself, over WebRTC again', async () => {
    const page = await browser.newPage();
    await page.goto(`${consoleUrl}#/streams`);
    await previewPlaying(page, '/live/obs', 'whep');
    const previewIds = async () => {
      const stream = (await controller.listStreams()).find((s) => s.path === '/live/obs');
      const detail = stream && (await controller.getStream(stream.id));
      return (detail?.clients ?? []).filter((c) => c.preview && c.protocol === 'whep').map((c) => c.cid);
    };
    const [first] = await previewIds();
    expect(first).toBeDefined();
    expect(await controller.kickClient(first)).toBe(true);
    const replacement = await pollFor(
      async () => (await previewIds()).find((id) => id !== first),
      20_000,
      'a new WHEP preview session after the kick',
    );
    expect(await previewIds()).toEqual([replacement]);
    await previewPlaying(page, '/live/obs', 'whep');
    await page.close();
  });

  it('falls back to LL-HLS where WebRTC cannot connect, and to HTTP-FLV where LL-HLS fails too', async () => {
    // A network that lets the page reach the console but not WebRTC signalling (a proxy or firewall rule).
    const page = await plainBrowser.newPage();
    await page.route('**/rtc/v1/whep/**', (route) => route.abort('connectionrefused'));
    await page.goto(`${consoleUrl}#/streams`);
    await previewPlaying(page, '/live/obs', 'll-hls');
    await page.close();
    const flvPage = await plainBrowser.newPage();
    await flvPage.route('**/rtc/v1/whep/**', (route) => route.abort('connectionrefused'));
    await flvPage.route('**/index.m3u8*', (route) => route.abort('connectionrefused'));
    await flvPage.goto(`${consoleUrl}#/streams`);
    await previewPlaying(flvPage, '/live/obs', 'flv');
    await flvPage.close();
  });

  it('publishes the camera and mic from the Connect page; the stream appears and previews', async () => {
    const page = await browser.newPage();
    await page.goto(`${consoleUrl}#/connect`);
    await page.locator('#stream-name').fill('browsercam');
    await page.getByRole('button', { name: /publish from this browser/i }).click();
    await page.locator('[data-testid="browser-publish"][data-state="live"]').waitFor({ timeout: 15_000 });
    const live = await pollFor(
      async () => (await controller.listStreams()).find((s) => s.path === '/live/browsercam' && s.video && s.audio),
      20_000,
      'the browser stream with video and audio',
    );
    expect(live.publisher.protocol).toBe('whip');
    expect(live.video?.codec).toMatch(/^h264$/i);
    // Its Opus is also AAC for RTMP/HLS players.
    expect(live.audio?.codec).toMatch(/^aac$/i);
    const viewer = await browser.newPage();
    await viewer.goto(`${consoleUrl}#/streams`);
    await previewPlaying(viewer, '/live/browsercam', 'whep');
    await page.getByRole('button', { name: /stop publishing/i }).click();
    await pollFor(
      async () =>
        (await controller.listStreams()).some((s) => s.path === '/live/browsercam' && s.publishing) ? undefined : true,
      15_000,
      'the browser stream gone after Stop',
    );
    await viewer.close();
    await page.close();
  });
});
