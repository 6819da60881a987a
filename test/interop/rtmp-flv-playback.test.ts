import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decode, probe, publish } from './support/ffmpeg.js';
import type { RunningProcess } from './support/run-process.js';
import { ensureSample, SAMPLE_720P } from './support/sample-media.js';
import { type RunningServer, startTestServer, waitFor } from './support/test-server.js';
import { readWebSocketFlv } from './support/ws-flv-client.js';

/** Publish H.264+AAC with ffmpeg, play it back over RTMP, HTTP-FLV and WebSocket-FLV. */
describe('RTMP publish, RTMP / HTTP-FLV / WS-FLV play', () => {
  let env: RunningServer;
  let publisher: RunningProcess;
  const path = '/live/livestream';

  beforeAll(async () => {
    const sample = await ensureSample();
    env = await startTestServer('rtmp-flv-playback');
    publisher = publish(sample, env.rtmpUrl(path));
    await waitFor(() => env.server.registry.list().length === 1, 15_000, 'the stream to be published');
  });

  afterAll(async () => {
    await publisher?.stop();
    await env?.close();
  });

  it('ffprobe reads the published codecs, resolution and sample rate over RTMP', async () => {
    const streams = await probe(env.rtmpUrl(path));
    const video = streams.find((s) => s.codec_type === 'video');
    const audio = streams.find((s) => s.codec_type === 'audio');
    expect(video).toMatchObject({ codec_name: 'h264', width: SAMPLE_720P.width, height: SAMPLE_720P.height });
    expect(audio).toMatchObject({ codec_name: 'aac', sample_rate: String(SAMPLE_720P.audioRate) });
  });

  it('ffprobe reads the same over HTTP-FLV', async () => {
    const streams = await probe(env.httpUrl(`${path}.flv`));
    expect(streams.find((s) => s.codec_type === 'video')).toMatchObject({
      codec_name: 'h264',
      width: SAMPLE_720P.width,
      height: SAMPLE_720P.height,
    });
    expect(streams.find((s) => s.codec_type === 'audio')).toMatchObject({
      codec_name: 'aac',
      sample_rate: String(SAMPLE_720P.audioRate),
    });
  });

  it('an RTMP reader decodes frames for several seconds without errors', async () => {
    const result = await decode(env.rtmpUrl(path), 4);
    expect(result.code, result.stderr).toBe(0);
    // 4 s at 30 fps; the GOP cache adds up to a second on top at the start.
    expect(result.videoFrames).toBeGreaterThanOrEqual(100);
  });

  it('an HTTP-FLV reader decodes frames for several seconds without errors', async () => {
    const result = await decode(env.httpUrl(`${path}.flv`), 4);
    expect(result.code, result.stderr).toBe(0);
    expect(result.videoFrames).toBeGreaterThanOrEqual(100);
  });

  it('a WebSocket-FLV reader receives a stream ffprobe decodes', async () => {
    const capture = await readWebSocketFlv(env.wsUrl(`${path}.flv`), 3000);
    expect(capture.bytes).toBeGreaterThan(100_000);
    const streams = await probe(capture.file, ['-count_frames']);
    const video = streams.find((s) => s.codec_type === 'video');
    expect(video).toMatchObject({ codec_name: 'h264', width: SAMPLE_720P.width, height: SAMPLE_720P.height });
    expect(Number(video?.nb_read_frames)).toBeGreaterThanOrEqual(60);
    expect(streams.find((s) => s.codec_type === 'audio')?.codec_name).toBe('aac');
  });

  it('playback starts at a keyframe at once thanks to the GOP cache', async () => {
    const started = Date.now();
    const streams = await probe(env.httpUrl(`${path}.flv`), ['-read_intervals', '%+#1', '-select_streams', 'v']);
    expect(streams[0]?.codec_name).toBe('h264');
    // A player without a GOP cache would wait up to one GOP (1 s here) plus probing; we allow generous slack.
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('ten readers at once all receive the stream', async () => {
    const urls = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? env.rtmpUrl(path) : env.httpUrl(`${path}.flv`)));
    const results = await Promise.all(urls.map((url) => decode(url, 3, { copy: true })));
    for (const result of results) {
      expect(result.code, result.stderr).toBe(0);
      expect(result.videoFrames).toBeGreaterThanOrEqual(75);
    }
  });

  it('an unknown stream is a 404 with a plain reason over HTTP-FLV', async () => {
    const response = await fetch(env.httpUrl('/live/nosuchstream.flv'));
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('/live/nosuchstream');
  });
});
