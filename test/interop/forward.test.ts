import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decode, probe, publish } from './support/ffmpeg.js';
import type { RunningProcess } from './support/run-process.js';
import { ensureSample, SAMPLE_720P } from './support/sample-media.js';
import { pollFor, type RunningServer, startTestServer, waitFor } from './support/test-server.js';

interface PushView {
  state: string;
  error?: string;
  bitrateKbps: number;
  app: string;
  stream: string;
  url: string;
}

/** Multistream: a stream published to one Tally is forwarded over RTMP to a second one, which plays it. */
describe('forward to another server', () => {
  let origin: RunningServer;
  let destination: RunningServer | undefined;
  let destinationPort = 0;
  let publisher: RunningProcess;
  const path = '/live/fwd';
  const originLog = join('test-artifacts', 'logs', 'forward-origin.log');
  /** Where this run's lines start in the origin's log (earlier runs append to the same file). */
  let logStart = 0;

  const startDestination = (port: number) =>
    startTestServer('forward-destination', { rtmp: { port }, hub: { publisherGraceMs: 0 } });

  const pushes = async (): Promise<PushView[]> => {
    const body = (await (await fetch(origin.apiUrl('/api/v1/forward'))).json()) as {
      destinations: { name: string; pushes: PushView[] }[];
    };
    return body.destinations.find((d) => d.name === 'second')?.pushes ?? [];
  };

  beforeAll(async () => {
    const sample = await ensureSample();
    destination = await startDestination(0);
    destinationPort = destination.server.rtmp?.port ?? 0;
    logStart = existsSync(originLog) ? statSync(originLog).size : 0;
    origin = await startTestServer('forward-origin', {
      hub: { publisherGraceMs: 0 },
      forward: {
        retryInitialMs: 200,
        retryMaxMs: 1000,
        destinations: [
          { name: 'second', url: `rtmp://127.0.0.1:${destinationPort}/{app}/{stream}` },
          { name: 'elsewhere', url: 'rtmp://127.0.0.1:1/live', key: 'secret-key', streams: ['other/*'] },
          // No stream name in the URL and no key: the push shows why it cannot go.
          { name: 'incomplete', url: 'rtmp://127.0.0.1:1/onlyapp', streams: ['live/fwd'] },
        ],
      },
    });
    publisher = publish(sample, origin.rtmpUrl(path));
    await waitFor(() => origin.server.registry.list().length === 1, 15_000, 'the stream to be published');
  });

  afterAll(async () => {
    await publisher?.stop();
    await origin?.close();
    await destination?.close();
  });

  it('the destination plays the forwarded stream with the same codecs and resolution', async () => {
    await waitFor(() => destination?.server.registry.list().length === 1, 15_000, 'the forwarded stream');
    const streams = await probe(`rtmp://127.0.0.1:${destinationPort}${path}`);
    expect(streams.find((s) => s.codec_type === 'video')).toMatchObject({
      codec_name: 'h264',
      width: SAMPLE_720P.width,
      height: SAMPLE_720P.height,
    });
    expect(streams.find((s) => s.codec_type === 'audio')).toMatchObject({ codec_name: 'aac' });
  });

  it('the API shows the push live with its bitrate, and no push where the filter does not match', async () => {
    const live = await pollFor(
      async () => (await pushes()).find((p) => p.state === 'live' && p.bitrateKbps > 0),
      10_000,
      'a live push with a bitrate',
    );
    expect(live).toMatchObject({ app: 'live', stream: 'fwd', url: `rtmp://127.0.0.1:${destinationPort}/live/fwd` });
    // 1.5 Mb/s video + 128 kb/s audio in the sample.
    expect(live.bitrateKbps).toBeGreaterThan(500);
    const body = (await (await fetch(origin.apiUrl('/api/v1/forward'))).json()) as {
      destinations: { name: string; url: string; pushes: unknown[] }[];
    };
    const elsewhere = body.destinations.find((d) => d.name === 'elsewhere');
    expect(elsewhere?.pushes).toEqual([]);
    expect(elsewhere?.url).toBe('rtmp://127.0.0.1:1/live/••••');
    expect(JSON.stringify(body)).not.toContain('secret-key');
    const incomplete = body.destinations.find((d) => d.name === 'incomplete')?.pushes[0] as PushView | undefined;
    expect(incomplete).toMatchObject({ state: 'retrying', error: expect.stringMatching(/needs \/app\/stream/) });
  });

  it('a destination that goes away is retried, and the forward resumes when it is back', async () => {
    await destination?.close();
    destination = undefined;
    const retrying = await pollFor(
      async () => (await pushes()).find((p) => p.state === 'retrying' && p.error),
      10_000,
      'the push to retry',
    );
    expect(retrying.error).toBeTruthy();
    destination = await startDestination(destinationPort);
    await pollFor(async () => (await pushes()).find((p) => p.state === 'live'), 15_000, 'the push to be live again');
    const result = await decode(`rtmp://127.0.0.1:${destinationPort}${path}`, 2);
    expect(result.code, result.stderr).toBe(0);
    expect(result.videoFrames).toBeGreaterThanOrEqual(40);
  });

  it('the push stops when the stream ends', async () => {
    await publisher.stop();
    await pollFor(async () => ((await pushes()).length === 0 ? true : undefined), 10_000, 'the push to stop');
    await waitFor(() => destination?.server.registry.list().length === 0, 10_000, 'the destination stream to end');
  });

  it('waits twice as long after each failure, up to forward.retryMaxMs', () => {
    const delays = readFileSync(originLog)
      .subarray(logStart)
      .toString('utf8')
      .split('\n')
      .filter((line) => line.includes('"destination":"incomplete"') && line.includes('forward retrying'))
      .map((line) => (JSON.parse(line) as { delayMs: number }).delayMs);
    expect(delays.slice(0, 5)).toEqual([200, 400, 800, 1000, 1000]);
    expect(Math.max(...delays)).toBe(1000);
  });
});
