import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decode, publish } from './support/ffmpeg.js';
import { startProcess } from './support/run-process.js';
import { ensureSample } from './support/sample-media.js';
import { type RunningServer, startTestServer, waitFor } from './support/test-server.js';

/** Opens a TCP connection, writes `bytes`, and resolves when the server closes it (or after `holdMs`). */
function rawConnection(port: number, bytes: Buffer, holdMs: number): Promise<'closed-by-server' | 'held'> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      if (bytes.length) socket.write(bytes);
    });
    // Read (and ignore) whatever the server answers: a paused socket would never notice the server closing it.
    socket.resume();
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('held');
    }, holdMs);
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve('closed-by-server');
    });
  });
}

describe('publish lifecycle and robustness', () => {
  let env: RunningServer;
  let sample: string;

  beforeAll(async () => {
    sample = await ensureSample();
    env = await startTestServer('publish-lifecycle', {
      // Short, so the test of a stream that really ends does not wait the default 10 s.
      hub: { publisherGraceMs: 1500 },
      rtmp: { handshakeTimeoutMs: 2000 },
      http: { headersTimeoutMs: 2000 },
    });
  });

  afterAll(async () => {
    await env?.close();
  });

  it('refuses a second publisher while the first keeps going', async () => {
    const first = publish(sample, env.rtmpUrl('/live/busy'));
    try {
      await waitFor(() => env.server.registry.list().length === 1, 15_000, 'the first publish');
      const firstCid = env.server.registry.list()[0].publisher.cid;
      const second = publish(sample, env.rtmpUrl('/live/busy'));
      const secondResult = await Promise.race([
        second.exited,
        new Promise<null>((r) => setTimeout(() => r(null), 10_000)),
      ]);
      if (secondResult === null) await second.stop();
      expect(secondResult, 'the second publisher must be refused').not.toBeNull();
      expect(secondResult?.code).not.toBe(0);
      const source = env.server.registry.list()[0];
      expect(source.publisher.cid).toBe(firstCid);
      const result = await decode(env.httpUrl('/live/busy.flv'), 2, { copy: true });
      expect(result.code, result.stderr).toBe(0);
      expect(result.videoFrames).toBeGreaterThan(40);
    } finally {
      await first.stop();
    }
  });

  it('ends readers cleanly once no publisher continued the stream in its grace window, and plays again after', async () => {
    const firstPublisher = publish(sample, env.rtmpUrl('/live/reconnect'));
    await waitFor(() => env.server.registry.list().some((s) => s.key.stream === 'reconnect'), 15_000, 'publish');
    const rtmpReader = startProcess('ffmpeg', [
      '-hide_banner',
      '-i',
      env.rtmpUrl('/live/reconnect'),
      '-c',
      'copy',
      '-f',
      'null',
      '-',
    ]);
    const flvReader = startProcess('ffmpeg', [
      '-hide_banner',
      '-i',
      env.httpUrl('/live/reconnect.flv'),
      '-c',
      'copy',
      '-f',
      'null',
      '-',
    ]);
    await waitFor(
      () =>
        env.server.registry
          .list()
          .find((s) => s.key.stream === 'reconnect')
          ?.readers().length === 2,
      10_000,
      'both readers playing',
    );
    await firstPublisher.stop();
    const ended = await Promise.race([
      Promise.all([rtmpReader.exited, flvReader.exited]),
      new Promise<null>((r) => setTimeout(() => r(null), 10_000)),
    ]);
    if (ended === null) {
      await rtmpReader.stop();
      await flvReader.stop();
    }
    expect(ended, 'readers must end when the grace window passes').not.toBeNull();
    for (const result of ended ?? []) {
      expect(result.signal).toBeNull();
      expect(result.stderr).toMatch(/frame=\s*\d+/);
    }
    expect(env.server.registry.list().some((s) => s.key.stream === 'reconnect')).toBe(false);

    const secondPublisher = publish(sample, env.rtmpUrl('/live/reconnect'));
    try {
      await waitFor(() => env.server.registry.list().some((s) => s.key.stream === 'reconnect'), 15_000, 'republish');
      const result = await decode(env.rtmpUrl('/live/reconnect'), 2);
      expect(result.code, result.stderr).toBe(0);
      expect(result.videoFrames).toBeGreaterThan(40);
    } finally {
      await secondPublisher.stop();
    }
  });

  it('survives garbage, truncated handshakes and idle sockets on both ports', async () => {
    const rtmpPort = env.server.rtmp?.port ?? 0;
    const httpPort = env.server.http?.port ?? 0;
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) & 0xff));
    const c0c1Truncated = Buffer.concat([Buffer.from([3]), Buffer.alloc(700, 1)]);
    const wrongVersion = Buffer.concat([Buffer.from([9]), Buffer.alloc(1536, 2)]);
    const results = await Promise.all([
      rawConnection(rtmpPort, garbage, 8000),
      rawConnection(rtmpPort, c0c1Truncated, 8000),
      rawConnection(rtmpPort, wrongVersion, 8000),
      rawConnection(rtmpPort, Buffer.alloc(0), 8000),
      rawConnection(httpPort, garbage, 8000),
      rawConnection(httpPort, Buffer.from('GET /live/x.flv HTTP/1.1\r\nHost: a\r\n'), 8000),
      rawConnection(httpPort, Buffer.alloc(0), 8000),
    ]);
    // Every bad or idle connection is closed by the server (timeouts are 2 s here), none is left hanging.
    expect(results).toEqual(Array(results.length).fill('closed-by-server'));

    const publisher = publish(sample, env.rtmpUrl('/live/after-abuse'));
    try {
      await waitFor(() => env.server.registry.list().some((s) => s.key.stream === 'after-abuse'), 15_000, 'publish');
      const result = await decode(env.httpUrl('/live/after-abuse.flv'), 2, { copy: true });
      expect(result.code, result.stderr).toBe(0);
      expect(result.videoFrames).toBeGreaterThan(40);
    } finally {
      await publisher.stop();
    }
  });
});
