import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decode, probe } from './support/ffmpeg.js';
import { parsePlaylist } from './support/hls.js';
import { parseLlPlaylist } from './support/ll-hls.js';
import { type RunningProcess, startProcess } from './support/run-process.js';
import { type RunningServer, startTestServer, waitFor } from './support/test-server.js';

/** HEVC (libx265, 1 s GOP) + AAC sent live as MPEG-TS over UDP: what HLS over fMP4 is for. */
function sendHevc(port: number): RunningProcess {
  // biome-ignore format: ffmpeg arguments read best as flag/value pairs
  return startProcess('ffmpeg', [
    '-hide_banner', '-loglevel', 'warning', '-re',
    '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-c:v', 'libx265', '-preset', 'ultrafast', '-x265-params', 'keyint=25:min-keyint=25:bframes=0:log-level=error',
    '-c:a', 'aac', '-b:a', '96k', '-f', 'mpegts', `udp://127.0.0.1:${port}?pkt_size=1316`,
  ]);
}

describe('HLS over fMP4 carries HEVC', () => {
  let env: RunningServer;
  let sender: RunningProcess;
  const stream = () => env.server.llHls?.find('live', 'hevc');

  beforeAll(async () => {
    env = await startTestServer('ll-hls-hevc', {
      hls: { fragment: 1 },
      ingest: { udpTs: { enabled: true, host: '127.0.0.1', port: 0, stream: 'live/hevc', idleTimeoutMs: 2000 } },
    });
    sender = sendHevc(env.server.udpTs?.port ?? 0);
    await waitFor(() => (stream()?.windowSegments.length ?? 0) >= 3, 30_000, 'fMP4 segments of the HEVC stream');
  });

  afterAll(async () => {
    await sender?.stop();
    await env?.close();
  });

  it('ffprobe and ffmpeg read HEVC from index.m3u8: codec, resolution, 100+ frames decoded', async () => {
    const url = env.httpUrl('/live/hevc/index.m3u8');
    const playlist = parseLlPlaylist(await (await fetch(url)).text());
    expect(playlist.map).toMatch(/^init-\d+\.mp4$/);
    expect(playlist.parts.length).toBeGreaterThan(0);
    const streams = await probe(url);
    expect(streams.find((s) => s.codec_type === 'video')).toMatchObject({
      codec_name: 'hevc',
      width: 640,
      height: 360,
    });
    expect(streams.find((s) => s.codec_type === 'audio')?.codec_name).toBe('aac');
    await waitFor(() => (stream()?.windowSegments.length ?? 0) >= 6, 30_000, 'six segments');
    const result = await decode(url, 5);
    expect(result.code, result.stderr).toBe(0);
    expect(result.videoFrames).toBeGreaterThanOrEqual(100);
  });

  it('the TS playlist of the same stream is still served beside it', async () => {
    const res = await fetch(env.httpUrl('/live/hevc.m3u8'));
    expect(res.status).toBe(200);
    expect(parsePlaylist(await res.text()).segments.length).toBeGreaterThan(0);
  });
});
