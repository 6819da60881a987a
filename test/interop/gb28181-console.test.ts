import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Controller } from '../../app/controller.js';
import { GbTestDevice } from '../../scripts/gb28181-device/gb-test-device.js';
import { launchChromium } from './support/browser.js';
import { startTestController } from './support/test-controller.js';

const SCREENSHOTS = join(process.cwd(), 'test-artifacts', 'screenshots');
const DEVICE = '34020000001320000077';

/** The Devices page as a person sees it: a simulated camera registers and shows up online, with its channel. */
describe('GB28181 devices in the console', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tally-gb-ui-'));
  let controller: Controller;
  let browser: Browser;
  let device: GbTestDevice;
  let consoleUrl = '';

  beforeAll(async () => {
    ({ controller } = await startTestController(dir, {
      console: true,
      settings: { gb28181: { enabled: true, host: '127.0.0.1', sipPort: 0, mediaPort: 0, catalogTimeoutMs: 500 } },
    }));
    const status = await controller.startServer();
    consoleUrl = `http://127.0.0.1:${status.ports.api}/console/`;
    device = new GbTestDevice({
      host: '127.0.0.1',
      port: status.ports.sip ?? 0,
      transport: 'TCP',
      id: DEVICE,
      serverId: '34020000002000000001',
      domain: '3402000000',
      keepaliveMs: 1000,
      video: 'h264',
      audio: 'aac',
      width: 320,
      height: 240,
      fps: 25,
    });
    await device.start();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await device?.stop();
    await browser?.close();
    await controller?.stopServer();
  });

  it('lists the registered device as online with its playing channel and a preview that plays', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await page.goto(`${consoleUrl}#/devices`);
    const card = page.locator(`[data-device-id="${DEVICE}"]`);
    await card.waitFor({ timeout: 20_000 });
    await expect
      .poll(() => card.getByTestId('gb-device-status').textContent(), { timeout: 15_000 })
      .toContain('online');
    await expect.poll(() => card.textContent(), { timeout: 15_000 }).toContain(`/live/${DEVICE} (playing, h264+aac)`);
    // The preview plays the channel's stream (the page's own player, HTTP-FLV).
    await expect
      .poll(() => card.locator('video').evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 20_000 })
      .toBeGreaterThan(0.5);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'devices-light.png'), fullPage: true });
    await page.close();
  });
});
