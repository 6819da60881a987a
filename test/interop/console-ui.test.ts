import { existsSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Controller } from '../../app/controller.js';
import { launchChromium } from './support/browser.js';
import { type RunningProcess, startProcess } from './support/run-process.js';
import { ensureSample } from './support/sample-media.js';
import { startTestController } from './support/test-controller.js';
import { pollFor } from './support/test-server.js';

const SCREENSHOTS = join(process.cwd(), 'test-artifacts', 'screenshots');
const PAGES = ['home', 'connect', 'streams', 'recording', 'virtual-live', 'transcode', 'settings', 'logs'] as const;

/** What OBS sends: the sample in real time, looping, stream copy (long-lived: the whole file's tests use it). */
function publishFor(file: string, url: string): RunningProcess {
  // biome-ignore format: ffmpeg arguments read best as flag/value pairs
  const args = ['-hide_banner', '-loglevel', 'warning', '-re', '-stream_loop', '-1', '-i', file, '-c', 'copy', '-f', 'flv', url];
  return startProcess('ffmpeg', args, 600_000);
}

/** The dashboard as a person uses it: the browser console of a real server with a real ffmpeg publisher. */
describe('browser console UI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tally-ui-'));
  const recordings = join(dir, 'recordings');
  let controller: Controller;
  let publisher: RunningProcess | undefined;
  const extra: RunningProcess[] = [];
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let consoleUrl: string;
  let rtmpPort = 0;
  let sample = '';

  /** A full-page screenshot in the light and the dark theme (the page follows the system's choice). */
  const shot = async (name: string) => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.waitForTimeout(50);
      await page.screenshot({ path: join(SCREENSHOTS, `${name}-${scheme}.png`), fullPage: true });
    }
    await page.emulateMedia({ colorScheme: 'light' });
  };

  beforeAll(async () => {
    expect(existsSync('dist/renderer/index.html'), 'run `npm run build:renderer` before the UI tests').toBe(true);
    ({ controller } = await startTestController(dir, { console: true }));
    const status = await controller.startServer();
    rtmpPort = status.ports.rtmp ?? 0;
    consoleUrl = `http://127.0.0.1:${status.ports.api}/console/`;
    sample = await ensureSample();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: consoleUrl });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    for (const p of extra) await p.stop();
    await publisher?.stop();
    await controller?.close();
  });

  it('turns the first-run guide into "OBS is live" within 3 s of a publish', async () => {
    await page.goto(`${consoleUrl}#/home`);
    await page.getByRole('button', { name: /stop server/i }).waitFor({ timeout: 10_000 });
    const guide = page.locator('[data-testid="first-run-guide"]');
    await page.locator('[data-testid="first-run-guide"][data-state="setup"]').waitFor({ timeout: 10_000 });
    expect(await guide.textContent()).toMatch(/Start Streaming/);
    await shot('home-first-run');
    let upAt = 0;
    const off = controller.onEvent((e) => {
      if (e.type === 'stream-up' && upAt === 0) upAt = Date.now();
    });
    publisher = publishFor(sample, `rtmp://127.0.0.1:${rtmpPort}/live/ui`);
    try {
      await page.locator('[data-testid="first-run-guide"][data-state="live"]').waitFor({ timeout: 20_000 });
    } finally {
      off();
    }
    expect(upAt).toBeGreaterThan(0);
    expect(Date.now() - upAt).toBeLessThan(3000);
    expect(await guide.textContent()).toMatch(/OBS is live on live\/ui/);
    await page.locator('[data-testid="stream-card"][data-stream-path="/live/ui"]').waitFor({ timeout: 5000 });
  });

  it('shows the live stream card within 3 s and its preview plays', async () => {
    await page.goto(`${consoleUrl}#/streams`);
    const card = page.locator('[data-testid="stream-card"][data-stream-path="/live/ui"]');
    await card.waitFor({ timeout: 10_000 });
    const started = Date.now();
    await page.reload();
    await card.waitFor({ timeout: 3000 });
    expect(Date.now() - started).toBeLessThan(3000 + 1000);
    const preview = card.locator('[data-testid="stream-preview"]');
    await page.waitForFunction(
      () => {
        const v = document.querySelector('[data-testid="stream-preview"]') as HTMLVideoElement | null;
        return v !== null && v.currentTime > 1;
      },
      undefined,
      { timeout: 15_000 },
    );
    const first = await preview.evaluate((v: HTMLVideoElement) => v.currentTime);
    await page.waitForTimeout(1500);
    const second = await preview.evaluate((v: HTMLVideoElement) => v.currentTime);
    expect(second).toBeGreaterThan(first);
    await expect.poll(() => card.textContent()).toMatch(/1280×720/);
    await shot('streams');
    await page.goto(`${consoleUrl}#/home`);
    await page.locator('[data-testid="first-run-guide"][data-state="live"]').waitFor({ timeout: 5000 });
    await page.waitForTimeout(1500);
    await shot('home');
  });

  it('does not count the preview as a viewer in the API', async () => {
    await page.goto(`${consoleUrl}#/streams`);
    await page.waitForFunction(
      () =>
        ((document.querySelector('[data-testid="stream-preview"]') as HTMLVideoElement | null)?.currentTime ?? 0) > 1,
      undefined,
      { timeout: 15_000 },
    );
    const stream = (await controller.listStreams()).find((s) => s.path === '/live/ui');
    expect(stream).toBeDefined();
    const detail = await controller.getStream(stream!.id);
    const previews = detail!.clients.filter((c) => c.preview);
    expect(previews.length, 'the preview is connected (and marked)').toBeGreaterThanOrEqual(1);
    expect(stream!.readers).toBe(0);
    expect((await controller.getHealth()).clients).toBe(1);
    // The SRS-compatible API agrees: the stream's clients are its publisher alone.
    const api = (await (await fetch(`http://127.0.0.1:${controller.apiListener?.port}/api/v1/streams`)).json()) as {
      streams: { url: string; clients: number }[];
    };
    expect(api.streams.find((s) => s.url === '/live/ui')?.clients).toBe(1);
    await expect.poll(() => page.locator('[data-testid="stream-card"] .stats').textContent()).toMatch(/Viewers0/);
  });

  it('copies the exact OBS server URL', async () => {
    await page.goto(`${consoleUrl}#/connect`);
    const push = await controller.getPushInfo('live', 'livestream');
    await page.getByRole('button', { name: 'Copy server URL' }).click();
    const clipboard = await page.evaluate(() => navigator.clipboard.readText());
    expect(clipboard).toBe(push.obs.server);
    expect(clipboard).toMatch(new RegExp(`^rtmp://[^/]+:${rtmpPort}/live$`));
  });

  it("shows the server's message for an invalid stream name before publishing", async () => {
    await page.goto(`${consoleUrl}#/connect`);
    const name = page.locator('input[name="stream"]');
    const problem = page.locator('[data-testid="stream-name-problem"]');
    for (const bad of ['my stream', 'café', 'a'.repeat(257), 'live/', 'x?y']) {
      await name.fill(bad);
      const expected = await controller.checkStreamName(bad);
      expect(expected, bad).not.toBeNull();
      await expect.poll(() => problem.textContent(), { timeout: 3000 }).toContain(expected);
      expect(await name.getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator('[data-testid="obs-full-url"]').count()).toBe(0);
    }
    await name.fill('my stream');
    await expect.poll(() => problem.textContent()).toMatch(/No spaces/);
    await shot('connect-invalid-name');
    await name.fill('café');
    await expect.poll(() => problem.textContent()).toMatch(/ASCII/);
    await name.fill('good_name-1.0~x');
    await problem.waitFor({ state: 'detached', timeout: 3000 });
    // Only the new name's URL ever shows (not the last valid name's while it is fetched).
    await expect.poll(() => page.locator('[data-testid="obs-full-url"]').textContent()).toContain('good_name-1.0~x');
  });

  it('publishes with exactly the copied URL when the publish secret is on', async () => {
    await page.goto(`${consoleUrl}#/connect`);
    await page.locator('input[name="stream"]').fill('secure');
    await page.getByRole('button', { name: 'Turn on a secret' }).click();
    await expect.poll(() => page.locator('[data-testid="secret-state"]').textContent()).toMatch(/Secret on/);
    const secret = controller.currentConfig.security.publishSecret;
    expect(secret.length).toBeGreaterThan(8);
    const fullUrl = page.locator('[data-testid="obs-full-url"]');
    await expect.poll(() => fullUrl.textContent()).toContain(`?secret=${secret}`);
    await page.getByRole('button', { name: 'Copy full URL' }).click();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe((await controller.getPushInfo('live', 'secure')).rtmpUrl);
    expect(copied).toBe(`rtmp://127.0.0.1:${rtmpPort}/live/secure?secret=${secret}`);
    const secure = publishFor(sample, copied);
    extra.push(secure);
    await pollFor(
      async () => (await controller.listStreams()).find((s) => s.path === '/live/secure' && s.publishing),
      15_000,
      'the publish with the copied URL',
    );
    await expect
      .poll(() => page.locator('[data-testid="obs-state"]').textContent(), { timeout: 5000 })
      .toMatch(/OBS connected/);
    await shot('connect');
    // The key without the secret is refused.
    const refused = startProcess('ffmpeg', [
      '-hide_banner',
      '-loglevel',
      'error',
      '-re',
      '-i',
      sample,
      '-t',
      '3',
      '-c',
      'copy',
      '-f',
      'flv',
      `rtmp://127.0.0.1:${rtmpPort}/live/nosecret`,
    ]);
    extra.push(refused);
    await refused.exited;
    expect((await controller.listStreams()).some((s) => s.path === '/live/nosecret')).toBe(false);
    await secure.stop();
    await page.getByRole('button', { name: 'Turn the secret off' }).click();
    await expect.poll(() => controller.currentConfig.security.publishSecret).toBe('');
  });

  it('records from the toggle, plays the file in the app and deletes it after a confirmation', async () => {
    await page.goto(`${consoleUrl}#/recording`);
    expect(await page.locator('[data-testid="recordings-folder"]').textContent()).toContain(recordings);
    await shot('recording-empty');
    const toggle = page.getByRole('switch', { name: 'Record /live/ui' });
    await toggle.waitFor({ timeout: 10_000 });
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-checked'), { timeout: 10_000 }).toBe('true');
    await page.waitForTimeout(4000);
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-checked'), { timeout: 10_000 }).toBe('false');
    const row = page.locator('[data-testid="recording-file"]').first();
    await row.waitFor({ timeout: 10_000 });
    const file = ((await row.locator('code').textContent()) ?? '').trim();
    expect(file.startsWith(recordings)).toBe(true);
    expect(statSync(file).size).toBeGreaterThan(100_000);

    // The route serves only listed files, only with this run's key.
    const listed = (await controller.listRecordings()).find((f) => f.file === file);
    const url = new URL(listed!.url!);
    const wrongKey = new URL(url);
    wrongKey.searchParams.set('key', 'x'.repeat(24));
    expect((await fetch(wrongKey)).status).toBe(403);
    const other = new URL(url);
    other.searchParams.set('file', join(dir, 'settings.json'));
    expect((await fetch(other)).status).toBe(404);
    const ranged = await fetch(url, { headers: { Range: 'bytes=0-99' } });
    expect(ranged.status).toBe(206);
    expect((await ranged.arrayBuffer()).byteLength).toBe(100);
    expect(await row.getByRole('link', { name: /Download/ }).getAttribute('href')).toContain('download=1');

    await row.getByRole('button', { name: `Play ${file}` }).click();
    const player = page.locator('[data-testid="recording-player"]');
    await page.waitForFunction(
      () =>
        ((document.querySelector('[data-testid="recording-player"]') as HTMLVideoElement | null)?.currentTime ?? 0) >
        0.5,
      undefined,
      { timeout: 15_000 },
    );
    const t1 = await player.evaluate((v: HTMLVideoElement) => v.currentTime);
    await page.waitForTimeout(1000);
    expect(await player.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(t1);
    await shot('recording');

    await page.getByRole('button', { name: 'Close' }).click();
    await row.getByRole('button', { name: `Delete ${file}` }).click();
    expect(existsSync(file), 'asks first').toBe(true);
    await row.getByRole('button', { name: 'Yes, delete' }).click();
    await expect.poll(() => existsSync(file), { timeout: 5000 }).toBe(false);
  });

  it('kicks a client from the stream page and counts it as a viewer', async () => {
    const player = startProcess('ffmpeg', [
      '-hide_banner',
      '-i',
      `rtmp://127.0.0.1:${rtmpPort}/live/ui`,
      '-c',
      'copy',
      '-f',
      'null',
      '-',
    ]);
    try {
      const stream = await pollFor(
        async () => (await controller.listStreams()).find((s) => s.path === '/live/ui'),
        10_000,
        'the stream',
      );
      const rtmpReader = await pollFor(
        async () =>
          // The stream list's thumbnail job reads over RTMP too, flagged as a preview: not the player.
          (await controller.getStream(stream.id))?.clients.find(
            (c) => c.kind === 'play' && c.protocol === 'rtmp' && !c.preview,
          ),
        15_000,
        'the RTMP player',
      );
      await page.goto(`${consoleUrl}#/streams/${stream.id}`);
      const kick = page.getByRole('button', { name: `Kick ${rtmpReader.cid}` });
      await kick.waitFor({ timeout: 10_000 });
      expect(await page.locator('[data-testid="play-url-dash"] .copy-value').textContent()).toMatch(
        /^http:\/\/[^/]+:\d+\/live\/ui\.mpd$/,
      );
      // The page's own preview is connected too, but only the ffmpeg player is a viewer.
      const live = (await controller.listStreams()).find((s) => s.path === '/live/ui');
      expect(live?.readers).toBe(1);
      await shot('stream-detail');
      await kick.click();
      const ended = await Promise.race([player.exited, new Promise<null>((r) => setTimeout(() => r(null), 10_000))]);
      expect(ended, 'the kicked player must disconnect').not.toBeNull();
    } finally {
      await player.stop();
    }
  });

  it("shows the schema's message for an invalid port, and a restart notice only where needed", async () => {
    await page.goto(`${consoleUrl}#/settings`);
    const port = page.locator('input[name="rtmp.port"]');
    await port.waitFor({ timeout: 10_000 });
    await page.locator('input[name="hls.fragment"]').fill('3');
    expect(await page.locator('[data-testid="restart-notice"]').count()).toBe(0);
    await port.fill('70000');
    const alert = page.locator('.setting.invalid [role="alert"]');
    await alert.waitFor({ timeout: 5000 });
    expect(await alert.textContent()).toMatch(/65535/);
    expect(await page.locator('[data-testid="restart-notice"]').textContent()).toMatch(/RTMP listener/);
    await shot('settings');
  });

  it('saves a basic and an advanced setting and the server applies them', async () => {
    await page.goto(`${consoleUrl}#/settings`);
    await page.reload();
    const fragment = page.locator('input[name="hls.fragment"]');
    await fragment.waitFor({ timeout: 10_000 });
    await fragment.fill('3');
    await page.locator('[data-testid="advanced-settings"] > summary').click();
    await page.locator('select[name="log.level"]').selectOption('debug');
    await page.locator('[data-testid="list-security.ipRules"]').getByRole('button', { name: '+ Add rule' }).click();
    await page.getByRole('textbox', { name: 'Rule 1 cidr' }).fill('10.0.0.0/8');
    await page.getByRole('combobox', { name: 'Rule 1 policy' }).selectOption('deny');
    await shot('settings-advanced');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved and applied').waitFor({ timeout: 5000 });
    const server = controller.currentServer!;
    expect(server.config.hls.fragment).toBe(3);
    expect(server.logger.level).toBe('debug');
    expect(server.config.security.ipRules).toEqual([{ action: 'publish', policy: 'deny', cidr: '10.0.0.0/8' }]);
  });

  it('shows the log newest first with the stream of each connection line', async () => {
    await page.goto(`${consoleUrl}#/logs`);
    await page.locator('.log-line').first().waitFor({ timeout: 10_000 });
    const player = startProcess('ffmpeg', [
      '-hide_banner',
      '-i',
      `rtmp://127.0.0.1:${rtmpPort}/live/ui`,
      '-t',
      '1',
      '-c',
      'copy',
      '-f',
      'null',
      '-',
    ]);
    extra.push(player);
    const first = page.locator('.log-line').first();
    await expect.poll(() => first.textContent(), { timeout: 10_000 }).toMatch(/rtmp play (started|ended).*\/live\/ui/);
    const times = await page
      .locator('.log-line')
      .evaluateAll((lines) => lines.map((l) => Number(l.getAttribute('data-time'))));
    expect(times[0]).toBe(Math.max(...times));
    expect(await first.textContent()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
    expect(await first.textContent()).toMatch(/from 127\.0\.0\.1/);
    await page.locator('select[name="stream"]').selectOption('/live/ui');
    const streams = await page
      .locator('.log-line')
      .evaluateAll((lines) => lines.map((l) => l.getAttribute('data-stream')));
    expect(streams.length).toBeGreaterThan(0);
    expect(streams.every((s) => s === '/live/ui')).toBe(true);
    await page.locator('select[name="stream"]').selectOption('');
    await shot('logs');
  });

  it('shows a snapshot in the stream list, and adds and starts a virtual-live source from its page', async () => {
    await page.goto(`${consoleUrl}#/streams`);
    const thumb = page.locator(
      '[data-testid="stream-card"][data-stream-path="/live/ui"] [data-testid="stream-thumbnail"]',
    );
    await thumb.waitFor({ timeout: 20_000 });
    expect(await thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(320);
    await page.goto(`${consoleUrl}#/virtual-live`);
    await page.locator('input[name="vl-name"]').fill('uiloop');
    await page.locator('input[name="vl-input"]').fill(sample);
    await page.getByRole('button', { name: 'Add' }).click();
    const row = page.locator('[data-testid="virtual-live-row"][data-source="uiloop"]');
    await row.waitFor({ timeout: 10_000 });
    await row.getByRole('button', { name: 'Start' }).click();
    await pollFor(
      async () => (await controller.listStreams()).find((s) => s.path === '/live/uiloop' && s.video !== null),
      20_000,
      'the virtual-live stream',
    );
    await row.getByRole('button', { name: 'Stop' }).waitFor({ timeout: 10_000 });
    await shot('virtual-live');
    await row.getByRole('button', { name: 'Stop' }).click();
    await row.getByRole('button', { name: 'Start' }).waitFor({ timeout: 10_000 });
  });

  it('fits every page at 1024×700 in both themes without horizontal scroll', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    for (const name of PAGES) {
      await page.goto(`${consoleUrl}#/${name}`);
      await page.waitForTimeout(800);
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${name} (${scheme}) scrolls sideways`).toBeLessThanOrEqual(0);
        await page.screenshot({ path: join(SCREENSHOTS, `small-${name}-${scheme}.png`) });
      }
    }
    // Keyboard: Tab reaches the navigation, and the focused link has a visible ring.
    await page.goto(`${consoleUrl}#/home`);
    await page.reload();
    await page.locator('.sidebar a').first().waitFor();
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      return { tag: el.tagName, style: getComputedStyle(el).outlineStyle };
    });
    expect(outline.tag).toBe('A');
    expect(outline.style).not.toBe('none');
  });
  it('shows the SRT link figures (RTT, loss, retransmits, bitrate) of an SRT publisher on its stream page', async () => {
    // The SRT URL the Connect page gives for this stream.
    const { srtUrl } = await controller.getPushInfo('live', 'srtui');
    expect(srtUrl).toMatch(/^srt:\/\//);
    // biome-ignore format: ffmpeg arguments read best as flag/value pairs
    const srt = startProcess('ffmpeg', [
      '-hide_banner', '-loglevel', 'warning', '-re', '-stream_loop', '-1', '-i', sample, '-c', 'copy', '-f', 'mpegts',
      String(srtUrl),
    ], 120_000);
    extra.push(srt);
    const stream = await pollFor(
      async () => (await controller.listStreams()).find((s) => s.path === '/live/srtui'),
      15_000,
      'the SRT stream',
    );
    const publisherCid = await pollFor(
      async () =>
        (await controller.getStream(stream.id))?.clients.find((c) => c.srt && c.srt.rttMs > 0 && c.srt.kbps > 0)?.cid,
      15_000,
      'the SRT publisher with an RTT and a bitrate',
    );
    await page.goto(`${consoleUrl}#/streams/${stream.id}`);
    const row = page.locator(`[data-testid="srt-link"][data-cid="${publisherCid}"]`);
    await row.waitFor({ timeout: 10_000 });
    const text = (await row.textContent()) ?? '';
    expect(text).toMatch(/RTT \d+(\.\d)? ms/);
    expect(text).toMatch(/Latency 120 ms/);
    expect(text).toMatch(/Loss reports \d+/);
    expect(text).toMatch(/Retransmits \d+/);
    expect(text).toMatch(/Bitrate [1-9][\d.]* (kbps|Mbps)/);
    expect(text).toMatch(/Encrypted no/);
    // Only the SRT client has the row: the page's own HTTP-FLV preview has none.
    expect(await page.locator('[data-testid="srt-link"]').count()).toBe(1);
    await shot('stream-detail-srt');
    await srt.stop();
  });
});
