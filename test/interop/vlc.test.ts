import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamUrls } from '../../server-core/index.js';
import { probe, publish } from './support/ffmpeg.js';
import { type RunningProcess, runProcess } from './support/run-process.js';
import { ensureSample } from './support/sample-media.js';
import { pollFor, type RunningServer, startTestServer } from './support/test-server.js';

/**
 * VLC 3 (Debian's vlc-bin) plays the play URLs the app shows, as a user pasting them would: VLC decodes the
 * stream and re-encodes what it decoded into a file (its transcode chain), which ffprobe then counts. VLC
 * refuses to run as root, so as root it runs as nobody.
 */
const asRoot = process.getuid?.() === 0;
/** VLC as the user it may run as (it refuses root). */
const vlcCommand = (args: string[], home: string) =>
  asRoot ? ['runuser', '-u', 'nobody', '--', 'env', `HOME=${home}`, 'cvlc', ...args] : ['cvlc', ...args];
const hasVlc = (() => {
  const [command, ...args] = vlcCommand(['--version'], tmpdir());
  return spawnSync(command, args).status === 0;
})();
const dir = mkdtempSync(join(tmpdir(), 'tally-vlc-'));

/** VLC reads `url` for `seconds`, decoding it, and writes what it decoded (re-encoded, small) to a TS file. */
async function vlcDecode(url: string, seconds: number, name: string): Promise<string> {
  const out = join(dir, `${name}.ts`);
  const sout = `#transcode{vcodec=mp2v,vb=600,scale=0.25,acodec=mpga,ab=96}:std{access=file,mux=ts,dst=${out}}`;
  // biome-ignore format: VLC arguments read best as flag/value pairs
  const vlc = [
    '-I', 'dummy', '--no-video-title-show', '--run-time', String(seconds), '--play-and-exit',
    '--network-caching', '300', '--sout', sout, url, 'vlc://quit',
  ];
  const [command, ...args] = vlcCommand(vlc, dir);
  const result = await runProcess(command, args, (seconds + 30) * 1000);
  if (!existsSync(out)) throw new Error(`VLC wrote nothing for ${url} (exit ${result.code}): ${result.stderr}`);
  return out;
}

async function countFrames(file: string): Promise<{ video: number; audio: boolean }> {
  const streams = await probe(file, ['-count_frames']);
  const video = streams.find((s) => s.codec_type === 'video') as { nb_read_frames?: string } | undefined;
  return { video: Number(video?.nb_read_frames ?? 0), audio: streams.some((s) => s.codec_type === 'audio') };
}

describe.skipIf(!hasVlc)('VLC plays the URLs the app shares', () => {
  let env: RunningServer;
  let publisher: RunningProcess;
  let playUrls: Map<string, string>;

  beforeAll(async () => {
    chmodSync(dir, 0o777);
    const sample = await ensureSample();
    env = await startTestServer('vlc', { hls: { fragment: 1 } });
    publisher = publish(sample, env.rtmpUrl('/live/vlc'));
    const { server } = env;
    const urls = streamUrls(server.config, {
      app: 'live',
      stream: 'vlc',
      host: () => '127.0.0.1',
      ports: { rtmp: server.rtmp?.port, http: server.http?.port, srt: server.srt?.port },
    });
    playUrls = new Map(urls.filter((u) => u.direction === 'play').map((u) => [u.protocol, u.url]));
    await pollFor(
      async () => ((await fetch(env.httpUrl('/live/vlc.m3u8'))).ok ? true : undefined),
      30_000,
      'the HLS playlist',
    );
  }, 60_000);

  afterAll(async () => {
    await publisher?.stop();
    await env?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const protocol of ['srt', 'http-flv', 'hls', 'rtmp']) {
    it(`decodes the ${protocol} play URL: video frames and an audio track`, async () => {
      const url = playUrls.get(protocol);
      expect(url, `a ${protocol} play URL`).toBeDefined();
      const file = await vlcDecode(url ?? '', 5, protocol);
      const { video, audio } = await countFrames(file);
      // 5 s at 30 fps, less VLC's start-up and caching.
      expect(video).toBeGreaterThanOrEqual(45);
      expect(audio).toBe(true);
    });
  }
});
