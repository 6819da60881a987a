import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Controller } from '../../app/controller.js';
import { launchChromium } from './support/browser.js';
import { publish } from './support/ffmpeg.js';
import type { RunningProcess } from './support/run-process.js';
import { ensureSample } from './support/sample-media.js';
import { startTestController } from './support/test-controller.js';
import { type RunningServer, startTestServer, waitFor } from './support/test-server.js';

const SCREENSHOTS = join(process.cwd(), 'test-artifacts', 'screenshots');

/** The Destinations page as a person uses it: add a custom destination with a key, watch it go live. */
describe('Destinations page', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tally-dest-ui-'));
  let controller: Controller;
  let destination: RunningServer;
  let publisher: RunningProcess | undefined;
  let browser: Browser;
  let page: Page;
  let consoleUrl = '';

  beforeAll(async () => {
    expect(existsSync('dist/renderer/index.html'), 'run `npm run build:renderer` before the UI tests').toBe(true);
    destination = await startTestServer('destinations-ui-target', { hub: { publisherGraceMs: 0 } });
    ({ controller } = await startTestController(dir, { console: true }));
    const status = await controller.startServer();
    consoleUrl = `http://127.0.0.1:${status.ports.api}/console/`;
    publisher = publish(await ensureSample(), `rtmp://127.0.0.1:${status.ports.rtmp}/live/ui-source`);
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await publisher?.stop();
    await controller?.close();
    await destination?.close();
  });

  it('adds a custom destination with a masked key, and shows its push live with a bitrate', async () => {
    await page.goto(`${consoleUrl}#/destinations`);
    await page.getByRole('heading', { name: 'Destinations' }).waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: 'Add destination' }).click();
    const form = page.getByRole('form', { name: 'New destination' });
    await form.locator('select[name="preset"]').selectOption('custom');
    await form.locator('input[name="name"]').fill('Backup server');
    await form.locator('input[name="url"]').fill(`rtmp://127.0.0.1:${destination.server.rtmp?.port}/live`);
    const key = form.locator('input[name="key"]');
    expect(await key.getAttribute('type')).toBe('password');
    await key.fill('ui-copy');
    await form.locator('input[name="streams"]').fill('live/ui-source');
    await form.getByRole('button', { name: 'Save' }).click();

    const push = page.locator('[data-testid="destination-push"]');
    await push.filter({ hasText: 'Live' }).waitFor({ timeout: 20_000 });
    // A bitrate above zero: bytes are going out.
    await push.filter({ hasText: /([1-9]\d* kbps|\d+\.\d+ Mbps)/ }).waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid="destination"]').textContent()).toContain('/live/ui-source');
    expect(await page.locator('main').textContent()).not.toContain('ui-copy');
    await waitFor(
      () =>
        destination.server.registry.find({ vhost: '__defaultVhost__', app: 'live', stream: 'ui-copy' }) !== undefined,
      10_000,
      'the stream at the destination',
    );
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'destinations-live.png'), fullPage: true });
  });

  it('switching a destination off stops its push', async () => {
    await page.getByRole('switch', { name: 'Forward to Backup server' }).click();
    await page.locator('[data-testid="destination-push"]').waitFor({ state: 'detached', timeout: 10_000 });
    await waitFor(() => destination.server.registry.list().length === 0, 20_000, 'the destination stream to end');
  });

  it('fits 1024×700 with the form open, in both themes, without horizontal scroll', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.getByRole('button', { name: 'Add destination' }).click();
    await page.getByRole('form', { name: 'New destination' }).waitFor();
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `destinations (${scheme}) scrolls sideways`).toBeLessThanOrEqual(0);
      await page.screenshot({ path: join(SCREENSHOTS, `destinations-form-${scheme}.png`), fullPage: true });
    }
  });
});
