import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Controller } from '../../app/controller.js';
import { publish } from './support/ffmpeg.js';
import type { RunningProcess } from './support/run-process.js';
import { ensureSample, SAMPLE_720P } from './support/sample-media.js';
import { startTestController } from './support/test-controller.js';
import { pollFor } from './support/test-server.js';

/** The appliance controller in Node against the real server-core and a real ffmpeg publisher. */
describe('app controller', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tally-app-'));
  const settingsPath = join(dir, 'settings.json');
  const recordings = join(dir, 'recordings');
  let controller: Controller;
  let publisher: RunningProcess | undefined;

  beforeAll(async () => {
    ({ controller } = await startTestController(dir));
  });

  afterAll(async () => {
    await publisher?.stop();
    await controller?.close();
  });

  it('starts, shows a published stream with codec and resolution, and records it', async () => {
    const status = await controller.startServer();
    expect(status.state).toBe('running');
    expect(status.ports.rtmp).toBeGreaterThan(0);
    const sample = await ensureSample();
    publisher = publish(sample, `rtmp://127.0.0.1:${status.ports.rtmp}/live/app-test`);
    const stream = await pollFor(
      async () => (await controller.listStreams()).find((s) => s.video !== null),
      15_000,
      'the stream with its video header',
    );
    expect(stream.path).toBe('/live/app-test');
    expect(stream.video).toMatchObject({ codec: 'H264', width: SAMPLE_720P.width, height: SAMPLE_720P.height });
    expect(stream.audio).toMatchObject({ codec: 'AAC', sampleRate: SAMPLE_720P.audioRate });

    const push = await controller.getPushInfo('live', 'app-test');
    expect(push.obs.server).toMatch(/^rtmp:\/\/[^/]+(:\d+)?\/live$/);
    expect(push.obs.streamKey).toBe('app-test');

    const rec = await controller.setRecording('live', 'app-test', true);
    expect(rec.recording).toBe(true);
    await pollFor(
      async () => ((await controller.getStream(stream.id))?.recording?.bytes ?? 0) > 200_000 || undefined,
      15_000,
      'the recording to grow',
    );
    const stopped = await controller.setRecording('live', 'app-test', false);
    expect(stopped.recording).toBe(false);
    const files = await controller.listRecordings();
    expect(files.length).toBeGreaterThanOrEqual(1);
    expect(files[0].file.startsWith(recordings)).toBe(true);
    expect(existsSync(files[0].file)).toBe(true);
    expect(statSync(files[0].file).size).toBeGreaterThan(100_000);
  });

  it('reloads changed settings through the API without dropping the live stream', async () => {
    const before = (await controller.listStreams())[0];
    expect(before?.path).toBe('/live/app-test');
    const raw = JSON.parse(readFileSync(settingsPath, 'utf8')) as Record<string, unknown>;
    writeFileSync(settingsPath, JSON.stringify({ ...raw, security: { publishSecret: 'reloaded' } }));
    const apiPort = (await controller.getStatus()).ports.api;
    const reply = (await (await fetch(`http://127.0.0.1:${apiPort}/api/v1/raw?rpc=reload`)).json()) as {
      code: number;
      data: { applied: string[] };
    };
    expect(reply.code).toBe(0);
    expect(reply.data.applied).toContain('security');
    // Same publish, same stream: nothing was restarted.
    const after = (await controller.listStreams())[0];
    expect(after?.id).toBe(before.id);
    expect(after?.publisher.cid).toBe(before.publisher.cid);
    // The new rule is in force for the next publisher.
    const rtmpPort = (await controller.getStatus()).ports.rtmp;
    const refused = publish(await ensureSample(), `rtmp://127.0.0.1:${rtmpPort}/live/needs-secret`);
    const result = await Promise.race([refused.exited, new Promise<null>((r) => setTimeout(() => r(null), 10_000))]);
    if (result === null) await refused.stop();
    expect(result?.code ?? 0).not.toBe(0);
    expect((await controller.listStreams()).map((s) => s.path)).toEqual(['/live/app-test']);
    writeFileSync(settingsPath, JSON.stringify(raw));
    await controller.reload();
  });

  it('rejects an invalid port with the schema message and keeps the saved settings', async () => {
    const before = readFileSync(settingsPath, 'utf8');
    const result = await controller.saveSettings({ rtmp: { port: 70000 } });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems[0].key).toBe('rtmp.port');
      expect(result.problems[0].message).toMatch(/65535/);
    }
    expect(readFileSync(settingsPath, 'utf8')).toBe(before);
  });
});
