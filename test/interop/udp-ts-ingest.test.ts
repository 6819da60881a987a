import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decode, probe } from './support/ffmpeg.js';
import { type RunningProcess, startProcess } from './support/run-process.js';
import { ensureSample, SAMPLE_720P } from './support/sample-media.js';
import { pollFor, type RunningServer, startTestServer, waitFor } from './support/test-server.js';

/** ffmpeg sends the sample as MPEG-TS over UDP, in datagrams of `packetSize` bytes (any size, not only 188·n). */
function sendTs(sample: string, port: number, packetSize: number): RunningProcess {
  // biome-ignore format: ffmpeg arguments read best as flag/value pairs
  return startProcess('ffmpeg', [
    '-hide_banner', '-loglevel', 'warning', '-re', '-stream_loop', '-1', '-i', sample,
    '-c', 'copy', '-f', 'mpegts', `udp://127.0.0.1:${port}?pkt_size=${packetSize}`,
  ]);
}

/** A UDP relay that drops every `dropEvery`-th datagram: a lossy network between ffmpeg and the server. */
async function lossyRelay(target: number, dropEvery: number) {
  const socket = createSocket('udp4');
  const out = createSocket('udp4');
  let seen = 0;
  socket.on('message', (bytes) => {
    seen++;
    if (seen % dropEvery !== 0) out.send(bytes, target, '127.0.0.1');
  });
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  return {
    port: socket.address().port,
    close: () => {
      socket.close();
      out.close();
    },
  };
}

describe('MPEG-TS over UDP ingest', () => {
  let env: RunningServer;
  let sample: string;
  const udpPort = () => env.server.udpTs?.port ?? 0;
  const udpSource = () => env.server.registry.list().find((s) => s.key.stream === 'udp');

  beforeAll(async () => {
    sample = await ensureSample();
    env = await startTestServer('udp-ts-ingest', {
      ingest: { udpTs: { enabled: true, host: '127.0.0.1', port: 0, stream: 'live/udp', idleTimeoutMs: 1000 } },
      hub: { publisherGraceMs: 8000 },
    });
  });

  afterAll(async () => {
    await env?.close();
  });

  it('plays what ffmpeg sends on RTMP, HTTP-FLV, HLS and DASH with the source codec, size and rate', async () => {
    const sender = sendTs(sample, udpPort(), 1316);
    try {
      await waitFor(() => udpSource()?.header('video') !== undefined, 15_000, 'the UDP stream with video');
      const streams = await probe(env.httpUrl('/live/udp.flv'));
      expect(streams.find((s) => s.codec_type === 'video')).toMatchObject({
        codec_name: 'h264',
        width: SAMPLE_720P.width,
        height: SAMPLE_720P.height,
      });
      expect(streams.find((s) => s.codec_type === 'audio')).toMatchObject({
        codec_name: 'aac',
        sample_rate: String(SAMPLE_720P.audioRate),
      });
      for (const url of [env.rtmpUrl('/live/udp'), env.httpUrl('/live/udp.flv')]) {
        const result = await decode(url, 5);
        expect(result.code, result.stderr).toBe(0);
        expect(result.videoFrames).toBeGreaterThan(100);
      }
      const hls = await pollFor(
        async () => {
          const r = await fetch(env.httpUrl('/live/udp.m3u8'));
          return r.ok ? r.text() : undefined;
        },
        15_000,
        'the HLS playlist',
      );
      expect(hls).toContain('#EXTINF');
      const hlsProbe = await probe(env.httpUrl('/live/udp.m3u8'));
      expect(hlsProbe.find((s) => s.codec_type === 'video')?.width).toBe(SAMPLE_720P.width);
      const dashProbe = await probe(env.httpUrl('/live/udp.mpd'));
      expect(dashProbe.find((s) => s.codec_type === 'video')?.height).toBe(SAMPLE_720P.height);
    } finally {
      await sender.stop();
    }
  });

  it('reassembles TS packets split across datagrams at any boundary', async () => {
    await waitFor(() => udpSource() === undefined || !udpSource()?.isPublishing, 10_000, 'the previous sender idle');
    const sender = sendTs(sample, udpPort(), 1000);
    try {
      await waitFor(() => udpSource()?.isPublishing === true, 15_000, 'the sender');
      const result = await decode(env.httpUrl('/live/udp.flv'), 3);
      expect(result.code, result.stderr).toBe(0);
      expect(result.videoFrames).toBeGreaterThan(60);
    } finally {
      await sender.stop();
    }
  });

  it('counts lost datagrams and keeps the stream going through them', async () => {
    await waitFor(() => !udpSource()?.isPublishing, 10_000, 'the previous sender idle');
    const relay = await lossyRelay(udpPort(), 50);
    const sender = sendTs(sample, relay.port, 1316);
    try {
      await waitFor(() => udpSource()?.isPublishing === true, 15_000, 'the lossy sender');
      const before = udpSource()?.stats.videoFrames ?? 0;
      await waitFor(() => (udpSource()?.stats.videoFrames ?? 0) > before + 60, 10_000, 'frames through the loss');
      expect(env.server.udpTs?.stats.ingest?.demux.continuityErrors).toBeGreaterThan(0);
      const streams = await probe(env.httpUrl('/live/udp.flv'));
      expect(streams.some((s) => s.codec_name === 'h264')).toBe(true);
    } finally {
      await sender.stop();
      relay.close();
    }
  });

  it('continues the same stream for a restarted sender: a reader connected before keeps getting frames', async () => {
    await waitFor(() => !udpSource()?.isPublishing, 10_000, 'the previous sender idle');
    const first = sendTs(sample, udpPort(), 1316);
    await waitFor(() => udpSource()?.isPublishing === true, 15_000, 'the first sender');
    const source = udpSource();
    // A reader across the restart: ffmpeg stream-copies for 10 s of media whatever happens in between.
    const reader = decode(env.httpUrl('/live/udp.flv'), 10, { copy: true });
    await new Promise((r) => setTimeout(r, 3000));
    await first.stop();
    await waitFor(() => !udpSource()?.isPublishing, 10_000, 'the first sender idle');
    const second = sendTs(sample, udpPort(), 1316);
    try {
      await waitFor(() => udpSource()?.isPublishing === true, 15_000, 'the second sender');
      expect(udpSource()).toBe(source);
      const result = await reader;
      expect(result.code, result.stderr).toBe(0);
      // 10 s of media at 30 fps, most of it after the restart.
      expect(result.videoFrames).toBeGreaterThan(200);
      expect(env.server.udpTs?.stats.publishes).toBeGreaterThanOrEqual(2);
    } finally {
      await second.stop();
    }
  });
});
