import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decode, firstVideoFrameIsKey, probe, publish } from './support/ffmpeg.js';
import { parsePlaylist } from './support/hls.js';
import { ensureSample, SAMPLE_720P } from './support/sample-media.js';
import { pollFor, type RunningServer, startTestServer, waitFor } from './support/test-server.js';

const FRAGMENT_S = 1;
const WINDOW_S = 5;
const GOP_S = SAMPLE_720P.gopFrames / SAMPLE_720P.fps;

async function fetchPlaylist(env: RunningServer, path: string) {
  const response = await fetch(env.httpUrl(path));
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('mpegurl');
  return parsePlaylist(await response.text());
}

/** Saves a segment and asks ffprobe whether its first video frame is a keyframe. */
async function firstFrameIsKey(url: string): Promise<boolean> {
  const bytes = Buffer.from(await (await fetch(url)).arrayBuffer());
  const file = join(tmpdir(), `tally-seg-${process.pid}-${Date.now()}.ts`);
  writeFileSync(file, bytes);
  return firstVideoFrameIsKey(file);
}

describe('HLS and HTTP-TS from a live RTMP publish', () => {
  let env: RunningServer;
  let sample: string;

  beforeAll(async () => {
    sample = await ensureSample();
    env = await startTestServer('hls-and-http-ts', {
      hls: { fragment: FRAGMENT_S, window: WINDOW_S },
      hub: { publisherGraceMs: 4000 },
    });
  });

  afterAll(async () => {
    await env?.close();
  });

  it('plays over HLS and HTTP-TS, keeps the playlist rules, resumes with a discontinuity, ends once for good', async () => {
    const publisher = publish(sample, env.rtmpUrl('/live/hls'));
    try {
      await waitFor(() => (env.server.hls?.find('live', 'hls')?.segmentCount ?? 0) >= 3, 20_000, 'three HLS segments');

      // ffprobe sees the published codecs over both URLs.
      for (const url of [env.httpUrl('/live/hls.m3u8'), env.httpUrl('/live/hls.ts')]) {
        const streams = await probe(url);
        expect(streams.find((s) => s.codec_type === 'video')).toMatchObject({
          codec_name: 'h264',
          width: SAMPLE_720P.width,
          height: SAMPLE_720P.height,
        });
        expect(streams.find((s) => s.codec_type === 'audio')?.codec_name).toBe('aac');
      }

      // ffmpeg decodes 5 s from each without errors.
      const [hlsDecode, tsDecode] = await Promise.all([
        decode(env.httpUrl('/live/hls.m3u8'), 5),
        decode(env.httpUrl('/live/hls.ts'), 5),
      ]);
      expect(hlsDecode.code, hlsDecode.stderr).toBe(0);
      expect(hlsDecode.videoFrames).toBeGreaterThanOrEqual(140);
      expect(tsDecode.code, tsDecode.stderr).toBe(0);
      expect(tsDecode.videoFrames).toBeGreaterThanOrEqual(140);

      // Playlist rules.
      const before = await fetchPlaylist(env, '/live/hls.m3u8');
      const total = before.segments.reduce((sum, s) => sum + s.duration, 0);
      expect(total).toBeLessThanOrEqual(WINDOW_S + FRAGMENT_S + GOP_S);
      for (const segment of before.segments) {
        expect(segment.duration).toBeLessThanOrEqual(FRAGMENT_S + GOP_S + 0.05);
        expect(Math.round(segment.duration)).toBeLessThanOrEqual(before.targetDuration);
        expect(await firstFrameIsKey(env.httpUrl(`/live/${segment.uri}`))).toBe(true);
      }
      const after = await pollFor(
        async () => {
          const playlist = await fetchPlaylist(env, '/live/hls.m3u8');
          return playlist.mediaSequence > before.mediaSequence ? playlist : undefined;
        },
        15_000,
        'the window to slide',
      );
      expect(after.ended).toBe(false);
    } finally {
      await publisher.stop();
    }

    // The publisher left: within the grace window the playlist waits, without ENDLIST (RFC 8216 6.2.1 forbids
    // taking one back).
    await waitFor(() => env.server.registry.list()[0]?.isPublishing === false, 10_000, 'the publisher to leave');
    const waiting = await fetchPlaylist(env, '/live/hls.m3u8');
    expect(waiting.ended).toBe(false);

    const republisher = publish(sample, env.rtmpUrl('/live/hls'));
    try {
      await waitFor(() => env.server.registry.list()[0]?.isPublishing === true, 15_000, 'the republish');
      const resumed = await pollFor(
        async () => {
          const playlist = await fetchPlaylist(env, '/live/hls.m3u8');
          return playlist.segments.some((s) => s.discontinuity) ? playlist : undefined;
        },
        15_000,
        'a segment of the new publisher',
      );
      expect(resumed.ended).toBe(false);
      expect(resumed.segments.some((s) => s.discontinuity) || resumed.discontinuitySequence > 0).toBe(true);
      expect(resumed.mediaSequence).toBeGreaterThanOrEqual(waiting.mediaSequence);
    } finally {
      await republisher.stop();
    }
    await waitFor(() => env.server.hls?.find('live', 'hls')?.isLive === false, 15_000, 'the stream to end');
    const ended = await fetchPlaylist(env, '/live/hls.m3u8');
    expect(ended.ended).toBe(true);
  });

  it('answers 404 for the playlist of a stream nobody publishes', async () => {
    const response = await fetch(env.httpUrl('/live/nobody.m3u8'));
    expect(response.status).toBe(404);
  });
});
