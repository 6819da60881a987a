import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decode, probe, publish } from './support/ffmpeg.js';
import type { RunningProcess } from './support/run-process.js';
import { ensureSample, SAMPLE_720P } from './support/sample-media.js';
import { pollFor, type RunningServer, startTestServer, waitFor } from './support/test-server.js';

/** Edge mode: players on the edge get the origin's stream over one upstream connection, pulled on demand. */
describe('edge pulls from the origin', () => {
  let origin: RunningServer;
  let edge: RunningServer;
  let publisher: RunningProcess;
  const path = '/live/edged';
  const originReaders = () => origin.server.registry.list()[0]?.readers().length ?? 0;

  beforeAll(async () => {
    const sample = await ensureSample();
    origin = await startTestServer('edge-origin', { hub: { publisherGraceMs: 0 } });
    edge = await startTestServer('edge-edge', {
      edge: { origin: `rtmp://127.0.0.1:${origin.server.rtmp?.port}`, lingerMs: 500 },
    });
    publisher = publish(sample, origin.rtmpUrl(path));
    await waitFor(() => origin.server.registry.list().length === 1, 15_000, 'the stream to be published');
  });

  afterAll(async () => {
    await publisher?.stop();
    await edge?.close();
    await origin?.close();
  });

  it('a player on the edge gets the origin stream (HTTP-FLV), with nothing pulled before it asked', async () => {
    expect(edge.server.registry.list()).toEqual([]);
    expect(originReaders()).toBe(0);
    const streams = await probe(edge.httpUrl(`${path}.flv`));
    expect(streams.find((s) => s.codec_type === 'video')).toMatchObject({
      codec_name: 'h264',
      width: SAMPLE_720P.width,
      height: SAMPLE_720P.height,
    });
    expect(streams.find((s) => s.codec_type === 'audio')).toMatchObject({ codec_name: 'aac' });
  });

  it('several edge players share one upstream connection, dropped after the last player leaves', async () => {
    let mostUpstream = 0;
    let mostEdgePlayers = 0;
    const sampler = setInterval(() => {
      mostUpstream = Math.max(mostUpstream, originReaders());
      mostEdgePlayers = Math.max(mostEdgePlayers, edge.server.registry.list()[0]?.readers().length ?? 0);
    }, 100);
    const listed = pollFor(
      async () => {
        const body = (await (await fetch(edge.apiUrl('/api/v1/edge'))).json()) as {
          enabled: boolean;
          pulls: { app: string; stream: string; players: number }[];
        };
        return body.pulls.find((p) => p.players === 3) && body;
      },
      10_000,
      'the API to list the pull with its players',
    );
    // What the origin's API shows while the three edge players play: its players of the stream.
    const originPlayers = pollFor(
      async () => {
        if ((edge.server.registry.list()[0]?.readers().length ?? 0) < 3) return undefined;
        const body = (await (await fetch(origin.apiUrl('/api/v1/clients'))).json()) as {
          clients: { url: string; publish: boolean }[];
        };
        return body.clients.filter((c) => c.url === path && !c.publish).length;
      },
      10_000,
      'three edge players',
    );
    const results = await Promise.all([
      decode(edge.rtmpUrl(path), 3, { copy: true }),
      decode(edge.rtmpUrl(path), 3, { copy: true }),
      decode(edge.httpUrl(`${path}.flv`), 3, { copy: true }),
    ]);
    clearInterval(sampler);
    expect(await listed).toMatchObject({ enabled: true, pulls: [{ app: 'live', stream: 'edged', players: 3 }] });
    expect(await originPlayers).toBe(1);
    for (const result of results) {
      expect(result.code, result.stderr).toBe(0);
      expect(result.videoFrames).toBeGreaterThanOrEqual(60);
    }
    expect(mostEdgePlayers).toBe(3);
    expect(mostUpstream).toBe(1);
    await waitFor(() => edge.server.registry.list().length === 0, 10_000, 'the edge to drop the pull');
    await waitFor(() => originReaders() === 0, 10_000, 'the origin to lose its upstream reader');
  });

  it('a stream the origin does not have is not found on the edge either', async () => {
    const response = await fetch(edge.httpUrl('/live/missing.flv'));
    expect(response.status).toBe(404);
    await response.body?.cancel();
  });

  it('when the origin ends the stream, the edge ends it for its players', async () => {
    const player = decode(edge.rtmpUrl(path), 30, { copy: true });
    await waitFor(() => (edge.server.registry.list()[0]?.readers().length ?? 0) === 1, 15_000, 'an edge player');
    await publisher.stop();
    await waitFor(() => edge.server.registry.list().length === 0, 10_000, 'the edge stream to end');
    const result = await player;
    // The player got media, then its stream ended long before the 30 s it asked for.
    expect(result.videoFrames).toBeGreaterThan(0);
    expect(result.videoFrames).toBeLessThan(SAMPLE_720P.fps * 30);
  });
});
