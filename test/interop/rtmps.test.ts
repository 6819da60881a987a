import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe, publish } from './support/ffmpeg.js';
import type { RunningProcess } from './support/run-process.js';
import { ensureSample, SAMPLE_720P } from './support/sample-media.js';
import { pollFor, type RunningServer, startTestServer, waitFor } from './support/test-server.js';

/** RTMPS: ffmpeg publishes in TLS to the self-signed listener; forwarding to it checks certificates. */
describe('RTMPS publish', () => {
  let env: RunningServer;
  let publisher: RunningProcess;
  const rtmpsUrl = (path: string) => `rtmps://127.0.0.1:${env.server.rtmps?.port}${path}`;

  beforeAll(async () => {
    const sample = await ensureSample();
    env = await startTestServer('rtmps', {
      rtmp: { tlsEnabled: true, tlsPort: 0 },
      forward: { retryInitialMs: 500 },
    });
    // The server forwards its TLS stream to its own RTMPS port (known once bound): the self-signed certificate must fail.
    const port = env.server.rtmps?.port;
    await env.server.reconfigure({
      ...env.server.config,
      forward: {
        ...env.server.config.forward,
        destinations: [
          {
            name: 'self-tls',
            url: `rtmps://127.0.0.1:${port}/{app}/{stream}-copy`,
            key: '',
            streams: ['live/tls'],
            enabled: true,
          },
        ],
      },
    });
    // ffmpeg does not verify certificates unless asked (-tls_verify 1): the self-signed one is accepted.
    publisher = publish(sample, rtmpsUrl('/live/tls'));
    await waitFor(
      () => env.server.registry.find({ vhost: env.server.config.vhost, app: 'live', stream: 'tls' }) !== undefined,
      15_000,
      'the RTMPS publish',
    );
  });

  afterAll(async () => {
    await publisher?.stop();
    await env?.close();
  });

  it('the stream published over RTMPS plays on HTTP-FLV with its codecs', async () => {
    const streams = await probe(env.httpUrl('/live/tls.flv'));
    expect(streams.find((s) => s.codec_type === 'video')).toMatchObject({
      codec_name: 'h264',
      width: SAMPLE_720P.width,
      height: SAMPLE_720P.height,
    });
    expect(streams.find((s) => s.codec_type === 'audio')).toMatchObject({ codec_name: 'aac' });
  });

  it('forwarding to an RTMPS destination checks its certificate (a self-signed one is refused)', async () => {
    const push = await pollFor(
      async () => {
        const body = (await (await fetch(env.apiUrl('/api/v1/forward'))).json()) as {
          destinations: { pushes: { state: string; error?: string }[] }[];
        };
        return body.destinations[0]?.pushes.find((p) => p.state === 'retrying' && p.error);
      },
      10_000,
      'the forward to fail',
    );
    expect(push.error).toMatch(/self[- ]signed|certificate/i);
    expect(
      env.server.registry.find({ vhost: env.server.config.vhost, app: 'live', stream: 'tls-copy' }),
    ).toBeUndefined();
  });
});
