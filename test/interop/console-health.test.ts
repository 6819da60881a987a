import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Controller } from '../../app/controller.js';
import { launchChromium } from './support/browser.js';
import { type RunningProcess, startProcess } from './support/run-process.js';
import { startTestController } from './support/test-controller.js';
import { pollFor } from './support/test-server.js';

const SCREENSHOTS = join(process.cwd(), 'test-artifacts', 'screenshots');

/** A live x264 encoder (ultrafast: light on a shared machine; -bf still gives B-frames): `gop` frames between keyframes, a 440 Hz tone as audio. */
function encoder(url: string, size: string, gop: number, bframes: number): RunningProcess {
  // biome-ignore format: ffmpeg arguments read best as flag/value pairs
  const args = [
    '-hide_banner', '-loglevel', 'error', '-re',
    '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=30`,
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-g', String(gop), '-keyint_min', String(gop), '-sc_threshold', '0',
    '-bf', String(bframes), '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-b:a', '64k',
    '-f', 'flv', url,
  ];
  return startProcess('ffmpeg', args, 300_000);
}

/** Stream health and the multiview, in the browser console of a real server fed by real ffmpeg encoders. */
describe('console: stream health and multiview', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tally-health-'));
  let controller: Controller;
  const encoders: RunningProcess[] = [];
  let browser: Browser;
  let page: Page;
  let consoleUrl: string;
  let healthId = '';

  const shot = async (name: string) => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.waitForTimeout(100);
      await page.screenshot({ path: join(SCREENSHOTS, `${name}-${scheme}.png`), fullPage: true });
    }
    await page.emulateMedia({ colorScheme: 'light' });
  };

  const openStream = async (id: string) => {
    await page.goto(`${consoleUrl}#/streams/${id}`);
    await page.locator('[data-testid="stream-health-panel"]').waitFor({ timeout: 10_000 });
  };

  beforeAll(async () => {
    expect(existsSync('dist/renderer/index.html'), 'run `npm run build:renderer` before the UI tests').toBe(true);
    ({ controller } = await startTestController(dir, {
      console: true,
      settings: { srt: { host: '127.0.0.1', port: 0 } },
    }));
    const status = await controller.startServer();
    expect(status.state).toBe('running');
    consoleUrl = `http://127.0.0.1:${status.ports.api}/console/`;
    const rtmp = `rtmp://127.0.0.1:${status.ports.rtmp}/live`;
    // What the brief's "bad OBS settings" look like: keyframes every 5 s and B-frames.
    encoders.push(encoder(`${rtmp}/health`, '640x360', 150, 2));
    encoders.push(encoder(`${rtmp}/second`, '320x180', 60, 0));
    const health = await pollFor(
      async () => (await controller.listStreams()).find((s) => s.path === '/live/health' && s.publishing),
      20_000,
      'the 5 s-GOP publish',
    );
    healthId = health.id;
    await pollFor(
      async () => (await controller.listStreams()).find((s) => s.path === '/live/second' && s.publishing),
      20_000,
      'the second publish',
    );
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    for (const e of encoders) await e.stop();
    await controller?.close();
  });

  it('warns about the 5 s keyframe interval and the B-frames, and measures about 30 fps', async () => {
    // Two keyframes 5 s apart are needed before the interval is known.
    await pollFor(
      async () => (await controller.listStreams()).find((s) => s.id === healthId && s.health.gopMs !== null),
      20_000,
      'a measured keyframe interval',
    );
    await openStream(healthId);
    const warning = (id: string) => page.locator(`[data-testid="health-warning"][data-warning="${id}"]`);
    await warning('gop').waitFor({ timeout: 10_000 });
    expect(await warning('gop').textContent()).toMatch(/Keyframe interval 5\.0 s: set OBS keyframe interval to 2 s/);
    await warning('bframes').waitFor({ timeout: 5000 });
    expect(await warning('bframes').textContent()).toMatch(/WebRTC viewers will stutter: set B-frames to 0/);
    expect(await page.locator('[data-testid="health-gop"] dd').textContent()).toMatch(/5\.0 s \(150 frames\)/);
    expect(await page.locator('[data-testid="health-bframes"] dd').textContent()).toMatch(/Yes/);
    const fps = Number.parseFloat((await page.locator('[data-testid="health-fps"] dd').textContent()) ?? '');
    expect(fps).toBeGreaterThanOrEqual(27);
    expect(fps).toBeLessThanOrEqual(33);
    // The drift is a number (audio and video both present), and within bounds for a healthy encoder.
    const drift = (await page.locator('[data-testid="health-drift"] dd').textContent()) ?? '';
    expect(drift).toMatch(/^[+-]?\d+ ms$/);
    expect(Math.abs(Number.parseInt(drift.replace('+', ''), 10))).toBeLessThan(500);
    expect(await warning('drift').count()).toBe(0);
    // The well-configured stream has neither warning.
    const second = (await controller.listStreams()).find((s) => s.path === '/live/second')!;
    expect(second.health.bFrames).toBe(false);
    await page.waitForTimeout(3000);
    await shot('stream-health');
  });

  it('lists the DASH, LL-HLS and SRT URLs the modules declare; turning HLS off removes both HLS URLs', async () => {
    const srtPort = controller.currentServer!.srt!.port;
    await openStream(healthId);
    const url = (testId: string) => page.locator(`[data-testid="${testId}"] .copy-value`).textContent();
    await page.locator('[data-testid="play-url-dash"]').waitFor({ timeout: 5000 });
    expect(await url('play-url-dash')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/live\/health\.mpd$/);
    expect(await url('play-url-srt')).toBe(`srt://127.0.0.1:${srtPort}?streamid=%23!::r=live/health,m=request`);
    expect(await url('publish-url-srt')).toBe(`srt://127.0.0.1:${srtPort}?streamid=#!::r=live/health,m=publish`);
    expect(await url('publish-url-rtmp')).toMatch(/^rtmp:\/\/127\.0\.0\.1:\d+\/live\/health$/);
    expect(await page.locator('[data-testid="play-url-hls"]').count()).toBe(1);
    expect(await url('play-url-ll-hls')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/live\/health\/index\.m3u8$/);
    // The Connect page puts the SRT publish URL beside the RTMP one, from the same declarations.
    await page.goto(`${consoleUrl}#/connect`);
    await page.locator('[data-testid="obs-srt-url"]').waitFor({ timeout: 5000 });
    expect(await url('obs-srt-url')).toBe(`srt://127.0.0.1:${srtPort}?streamid=#!::r=live/livestream,m=publish`);

    // Turn HLS off as a person would: Settings → Advanced → hls.enabled, Save.
    await page.goto(`${consoleUrl}#/settings`);
    await page.locator('[data-testid="advanced-settings"] > summary').click();
    const hlsOn = page.locator('input[name="hls.enabled"]');
    await hlsOn.waitFor({ state: 'attached', timeout: 10_000 });
    await hlsOn.setChecked(false, { force: true });
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved and applied').waitFor({ timeout: 5000 });
    expect(controller.currentConfig.hls.enabled).toBe(false);
    try {
      await openStream(healthId);
      await page.locator('[data-testid="play-url-dash"]').waitFor({ timeout: 5000 });
      await expect.poll(() => page.locator('[data-testid="play-url-hls"]').count(), { timeout: 5000 }).toBe(0);
      expect(await page.locator('[data-testid="play-url-ll-hls"]').count()).toBe(0);
      const detail = await controller.getStream(healthId);
      expect(detail!.playUrls.map((u) => u.protocol)).not.toContain('hls');
      expect(detail!.playUrls.map((u) => u.protocol)).toContain('dash');
    } finally {
      await controller.patchSettings({ 'hls.enabled': true });
    }
  });

  it('counts viewers per protocol (a real ffmpeg player), previews left out', async () => {
    const http = controller.currentServer!.http!.port;
    const player = startProcess(
      'ffmpeg',
      ['-hide_banner', '-loglevel', 'error', '-i', `http://127.0.0.1:${http}/live/health.flv`, '-f', 'null', '-'],
      60_000,
    );
    try {
      await openStream(healthId);
      const viewers = page.locator('[data-testid="health-viewers"] dd');
      await expect.poll(() => viewers.textContent(), { timeout: 10_000 }).toBe('1 http-flv');
      const summary = (await controller.listStreams()).find((s) => s.id === healthId)!;
      expect(summary.health.viewersByProtocol).toEqual({ 'http-flv': 1 });
    } finally {
      await player.stop();
    }
  });

  it('shows every live stream in the multiview with its preview playing and its health line', async () => {
    await page.goto(`${consoleUrl}#/multiview`);
    const tiles = page.locator('[data-testid="multiview-tile"]');
    await expect.poll(() => tiles.count(), { timeout: 10_000 }).toBe(2);
    const times = () =>
      page
        .locator('[data-testid="multiview-tile"] [data-testid="stream-preview"]')
        .evaluateAll((videos) => videos.map((v) => (v as HTMLVideoElement).currentTime));
    await expect.poll(async () => Math.min(...(await times())), { timeout: 20_000 }).toBeGreaterThan(1);
    const first = await times();
    await page.waitForTimeout(1500);
    const second = await times();
    expect(second[0]).toBeGreaterThan(first[0]);
    expect(second[1]).toBeGreaterThan(first[1]);
    const health = page.locator(
      '[data-testid="multiview-tile"][data-stream-path="/live/health"] [data-testid="tile-health"]',
    );
    await expect.poll(() => health.textContent(), { timeout: 5000 }).toMatch(/⚠ Keyframe interval 5\.0 s/);
    const good = page.locator(
      '[data-testid="multiview-tile"][data-stream-path="/live/second"] [data-testid="tile-health"]',
    );
    await expect.poll(() => good.textContent(), { timeout: 5000 }).toMatch(/✓ Healthy/);
    // Previews are flagged, never counted as viewers.
    expect((await controller.listStreams()).every((s) => s.readers === 0)).toBe(true);
    const detail = await controller.getStream(healthId);
    expect(detail!.clients.some((c) => c.preview)).toBe(true);
    await shot('multiview');
  });

  it('fits the multiview and stream pages at 1024×700 and reaches a stream from the keyboard', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    for (const route of ['multiview', `streams/${healthId}`]) {
      await page.goto(`${consoleUrl}#/${route}`);
      await page.waitForTimeout(800);
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${route} (${scheme}) scrolls sideways`).toBeLessThanOrEqual(0);
        await page.screenshot({ path: join(SCREENSHOTS, `small-${route.split('/')[0]}-health-${scheme}.png`) });
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(`${consoleUrl}#/multiview`);
    await page.locator('[data-testid="multiview-tile"]').first().waitFor();
    const target = page.getByRole('button', { name: '/live/health: open health and clients' });
    await target.waitFor();
    let focused = false;
    for (let i = 0; i < 20 && !focused; i++) {
      await page.keyboard.press('Tab');
      focused = await target.evaluate((el) => el === document.activeElement);
    }
    expect(focused, 'Tab reaches the tile').toBe(true);
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="stream-health-panel"]').waitFor({ timeout: 5000 });
    expect(page.url()).toContain(`#/streams/${healthId}`);
  });
});
