import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Controller } from '../../app/controller.js';
import { probe, publish } from './support/ffmpeg.js';
import type { RunningProcess } from './support/run-process.js';
import { ensureSample } from './support/sample-media.js';
import { startTestController } from './support/test-controller.js';
import { pollFor, type RunningServer, startTestServer, waitFor } from './support/test-server.js';

/** The app's Destinations: saved with a masked key, pushed while live; RTMPS's certificate kept beside settings. */
describe('app destinations', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tally-dest-'));
  let controller: Controller;
  let destination: RunningServer;
  let publisher: RunningProcess | undefined;

  beforeAll(async () => {
    destination = await startTestServer('app-destination-target');
    ({ controller } = await startTestController(dir, {
      settings: { rtmp: { host: '127.0.0.1', port: 0, tlsEnabled: true, tlsPort: 0 } },
    }));
  });

  afterAll(async () => {
    await publisher?.stop();
    await controller?.close();
    await destination?.close();
  });

  it('keeps the stream key out of what the app reads, and pushes the stream with it', async () => {
    const status = await controller.startServer();
    expect(status.state).toBe('running');
    const saved = await controller.saveDestination(null, {
      name: 'Second',
      url: `rtmp://127.0.0.1:${destination.server.rtmp?.port}/live`,
      key: 'copy-key',
      streams: ['live/source'],
      enabled: true,
    });
    expect(saved).toEqual({ ok: true });
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toContain('copy-key');
    const listed = await controller.listDestinations();
    expect(listed).toMatchObject([{ name: 'Second', hasKey: true, streams: ['live/source'], enabled: true }]);
    expect(JSON.stringify(listed)).not.toContain('copy-key');
    expect((await controller.getSettings()).fields.some((f) => f.key.startsWith('forward.destinations'))).toBe(false);

    publisher = publish(await ensureSample(), `rtmp://127.0.0.1:${status.ports.rtmp}/live/source`);
    const push = await pollFor(
      async () => (await controller.listDestinations())[0]?.pushes.find((p) => p.state === 'live'),
      15_000,
      'the push to be live',
    );
    expect(push).toMatchObject({ app: 'live', stream: 'source' });
    await waitFor(() => destination.server.registry.list().length === 1, 10_000, 'the stream at the destination');
    const streams = await probe(`rtmp://127.0.0.1:${destination.server.rtmp?.port}/live/copy-key`);
    expect(streams.find((s) => s.codec_type === 'video')?.codec_name).toBe('h264');
  });

  it('an edit without a key keeps the saved key; a bad URL is refused by field', async () => {
    const [current] = await controller.listDestinations();
    const edited = await controller.saveDestination('Second', { ...current, name: 'Second', enabled: false });
    expect(edited).toEqual({ ok: true });
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toContain('copy-key');
    expect((await controller.listDestinations())[0]).toMatchObject({ enabled: false, hasKey: true, pushes: [] });
    const bad = await controller.saveDestination(null, { name: 'Bad', url: 'http://x/y', streams: [], enabled: true });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problems[0].key).toBe('url');
    expect(await controller.removeDestination('Second')).toEqual({ ok: true });
    expect(await controller.listDestinations()).toEqual([]);
  });

  it('made the RTMPS certificate on first run and kept it beside the settings', () => {
    expect(existsSync(join(dir, 'rtmps-cert.pem'))).toBe(true);
    expect(existsSync(join(dir, 'rtmps-key.pem'))).toBe(true);
  });
});
