import { existsSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Controller } from '../../app/controller.js';
import { launchChromium } from './support/browser.js';
import { publish } from './support/ffmpeg.js';
import { type RunningProcess, startProcess } from './support/run-process.js';
import { ensureSample } from './support/sample-media.js';
import { startTestController } from './support/test-controller.js';
import { pollFor } from './support/test-server.js';

const SCREENSHOTS = join(process.cwd(), 'test-artifacts', 'screenshots');

/** The dashboard as a person uses it: the browser console of a real server with a real ffmpeg publisher. */
describe('browser console UI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tally-ui-'));
  const recordings = join(dir, 'recordings');
  let controller: Controller;
  let publisher: RunningProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let consoleUrl: string;
  let rtmpPort = 0;

  const shot = async (name: string) => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  };

  beforeAll(async () => {
    expect(existsSync('dist/renderer/index.html'), 'run `npm run build:renderer` before the UI tests').toBe(true);
    ({ controller } = await startTestController(dir, { console: true }));
    const status = await controller.startServer();
    rtmpPort = status.ports.rtmp ?? 0;
    consoleUrl = `http://127.0.0.1:${status.ports.api}/console/`;
    publisher = publish(await ensureSample(), `rtmp://127.0.0.1:${rtmpPort}/live/ui`);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: consoleUrl });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await publisher?.stop();
    await controller?.close();
  });

  it('shows the live stream card within 3 s and its preview plays', async () => {
    await page.goto(`${consoleUrl}#/home`);
    await page.getByRole('button', { name: /stop server/i }).waitFor({ timeout: 10_000 });
    await shot('home');
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
  });

  it('copies the exact OBS server URL', async () => {
    await page.goto(`${consoleUrl}#/connect`);
    const push = await controller.getPushInfo('live', 'livestream');
    await page.getByRole('button', { name: 'Copy server URL' }).click();
    const clipboard = await page.evaluate(() => navigator.clipboard.readText());
    expect(clipboard).toBe(push.obs.server);
    expect(clipboard).toMatch(new RegExp(`^rtmp://[^/]+:${rtmpPort}/live$`));
    await shot('connect');
  });

  it('records from the toggle and lists the file', async () => {
    await page.goto(`${consoleUrl}#/recording`);
    const toggle = page.getByRole('switch', { name: 'Record /live/ui' });
    await toggle.waitFor({ timeout: 10_000 });
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-checked'), { timeout: 10_000 }).toBe('true');
    await page.waitForTimeout(3000);
    await shot('recording');
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-checked'), { timeout: 10_000 }).toBe('false');
    const row = page.locator('[data-testid="recording-file"]').first();
    await row.waitFor({ timeout: 10_000 });
    const file = ((await row.locator('code').textContent()) ?? '').trim();
    expect(file.startsWith(recordings)).toBe(true);
    expect(statSync(file).size).toBeGreaterThan(100_000);
  });

  it('kicks a client from the stream page', async () => {
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
      const stream = await pollFor(async () => (await controller.listStreams())[0], 10_000, 'the stream');
      const rtmpReader = await pollFor(
        async () =>
          (await controller.getStream(stream.id))?.clients.find((c) => c.kind === 'play' && c.protocol === 'rtmp'),
        15_000,
        'the RTMP player',
      );
      await page.goto(`${consoleUrl}#/streams/${stream.id}`);
      const kick = page.getByRole('button', { name: `Kick ${rtmpReader.cid}` });
      await kick.waitFor({ timeout: 10_000 });
      await shot('stream-detail');
      await kick.click();
      const ended = await Promise.race([player.exited, new Promise<null>((r) => setTimeout(() => r(null), 10_000))]);
      expect(ended, 'the kicked player must disconnect').not.toBeNull();
    } finally {
      await player.stop();
    }
  });

  it("shows the schema's message for an invalid port", async () => {
    await page.goto(`${consoleUrl}#/settings`);
    const port = page.locator('input[name="rtmp.port"]');
    await port.waitFor({ timeout: 10_000 });
    await port.fill('70000');
    const alert = page.locator('.setting.invalid [role="alert"]');
    await alert.waitFor({ timeout: 5000 });
    expect(await alert.textContent()).toMatch(/65535/);
    await shot('settings');
    await page.goto(`${consoleUrl}#/logs`);
    await page.locator('.log-line').first().waitFor({ timeout: 10_000 });
    await shot('logs');
  });
});
