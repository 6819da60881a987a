import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decode, probe, publish } from './support/ffmpeg.js';
import { type RunningProcess, runProcess, startProcess } from './support/run-process.js';
import { ensureSample, SAMPLE_720P } from './support/sample-media.js';
import { type RunningServer, startTestServer, waitFor } from './support/test-server.js';

/**
 * The SRT listener against real peers from Debian: ffmpeg 5.1 (libsrt 1.5.1), srt-live-transmit (srt-tools) and
 * GStreamer's srtsink/srtsrc, publishing (m=publish) and playing (m=request), clear and encrypted.
 */
const has = (tool: string, args: string[]) => spawnSync(tool, args).status === 0;
const hasFfmpeg = has('ffmpeg', ['-version']) && has('ffprobe', ['-version']);
const hasSlt = has('srt-live-transmit', ['-version']) || spawnSync('srt-live-transmit', ['-h']).error === undefined;
const hasGst = has('gst-inspect-1.0', ['srtsink']) && has('gst-inspect-1.0', ['srtsrc']);
const dir = mkdtempSync(join(tmpdir(), 'tally-srt-'));
const PASSPHRASE = 'tally-secret-123';

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function srtUrl(env: RunningServer, streamId: string, options = ''): string {
  return `srt://127.0.0.1:${env.server.srt?.port}?${options}${options ? '&' : ''}streamid=${streamId}`;
}

/** ffmpeg publishing the sample as MPEG-TS over SRT, looping, in real time. */
function publishSrt(sample: string, url: string): RunningProcess {
  // biome-ignore format: ffmpeg arguments read best as flag/value pairs
  return startProcess('ffmpeg', [
    '-hide_banner', '-loglevel', 'warning', '-re', '-stream_loop', '-1', '-i', sample,
    '-c', 'copy', '-f', 'mpegts', url,
  ]);
}

/** Frames ffprobe counts in the first `seconds` of a URL or file. */
async function countFrames(url: string, seconds: number, extra: string[] = []) {
  const streams = await probe(url, [...extra, '-count_frames', '-read_intervals', `%+${seconds}`]);
  return {
    video: streams.find((s) => s.codec_type === 'video'),
    audio: streams.find((s) => s.codec_type === 'audio'),
  };
}

/**
 * `peer < <(ffmpeg ...)`: bash becomes the peer (exec), so stopping the child stops the peer; ffmpeg reads no stdin
 * and writes no stderr, so it holds none of the child's stdio open and leaves on the broken pipe.
 */
function pipeline(sample: string, peer: string): RunningProcess {
  const ffmpeg = `ffmpeg -hide_banner -loglevel quiet -re -stream_loop -1 -i '${sample}' -c copy -f mpegts -`;
  const p = startProcess('bash', ['-c', `exec ${peer} < <(${ffmpeg} </dev/null 2>/dev/null)`]);
  return {
    ...p,
    stop: async () => {
      p.child.kill('SIGTERM');
      const killer = setTimeout(() => p.child.kill('SIGKILL'), 2000);
      const result = await p.exited;
      clearTimeout(killer);
      return result;
    },
  };
}

function publishing(env: RunningServer, stream: string): boolean {
  return (
    env.server.srt?.allConnectionStats().some((s) => s.role === 'publish' && s.stream === stream && s.bytes > 0) ??
    false
  );
}

function logOf(name: string): string {
  return readFileSync(join(process.cwd(), 'test-artifacts', 'logs', `${name}.log`), 'utf8');
}

describe.skipIf(!hasFfmpeg)('SRT listener with real peers', () => {
  let env: RunningServer;
  let sample: string;
  const running: RunningProcess[] = [];

  beforeAll(async () => {
    sample = await ensureSample();
    env = await startTestServer('srt', { srt: { host: '127.0.0.1', port: 0 } });
  });

  afterAll(async () => {
    await Promise.all(running.map((p) => p.stop()));
    await env?.close();
  });

  it('ffmpeg publishes over SRT; ffprobe reads H.264 1280x720 + AAC over HTTP-FLV', async () => {
    running.push(publishSrt(sample, srtUrl(env, '#!::r=live/x,m=publish')));
    await waitFor(() => publishing(env, 'x'), 10_000, 'the SRT publisher');
    const { video, audio } = await countFrames(env.httpUrl('/live/x.flv'), 5);
    expect(video).toMatchObject({ codec_name: 'h264', width: SAMPLE_720P.width, height: SAMPLE_720P.height });
    expect(Number(video?.nb_read_frames)).toBeGreaterThanOrEqual(100);
    expect(audio).toMatchObject({ codec_name: 'aac', sample_rate: String(SAMPLE_720P.audioRate) });
    const stats = env.server.srt?.allConnectionStats().find((s) => s.stream === 'x');
    expect(stats).toMatchObject({ role: 'publish', app: 'live', encrypted: false, latencyMs: 120 });
    expect(stats?.rttMs).toBeGreaterThan(0);
    expect(stats?.kbps).toBeGreaterThan(500);
    expect(env.server.srt?.connectionStats(stats?.cid ?? '')).toMatchObject({ cid: stats?.cid });
    // The SRS-style client list carries the same counters in an `srt` object; other clients have none.
    const { clients } = (await (await fetch(env.apiUrl('/api/v1/clients?count=100'))).json()) as {
      clients: Array<{ id: string; srt?: Record<string, unknown> }>;
    };
    const client = clients.find((c) => c.id === stats?.cid);
    expect(client?.srt).toMatchObject({ role: 'publish', stream_id: '#!::r=live/x,m=publish', latency_ms: 120 });
    expect(client?.srt?.rtt_ms).toBeGreaterThan(0);
    expect(client?.srt?.bytes).toBeGreaterThan(0);
    for (const key of ['loss_reports', 'retransmits', 'dropped', 'kbps']) expect(client?.srt).toHaveProperty(key);
    const one = (await (await fetch(env.apiUrl(`/api/v1/clients/${stats?.cid}`))).json()) as { client: typeof client };
    expect(one.client?.srt?.role).toBe('publish');
  });

  it('ffmpeg plays over SRT a stream published over RTMP and decodes ≥ 100 frames', async () => {
    running.push(publish(sample, env.rtmpUrl('/live/rtmp')));
    await waitFor(() => env.server.registry.list().some((s) => s.key.stream === 'rtmp'), 10_000, 'the RTMP stream');
    const result = await decode(srtUrl(env, '#!::r=live/rtmp,m=request'), 4);
    expect(result.code, result.stderr).toBe(0);
    expect(result.videoFrames).toBeGreaterThanOrEqual(100);
  });

  it.skipIf(!hasSlt)('srt-live-transmit publishes (1456-byte payloads) and plays', async () => {
    const slt = pipeline(
      sample,
      `srt-live-transmit -q file://con '${srtUrl(env, '#!::r=live/slt,m=publish', 'latency=300')}'`,
    );
    running.push(slt);
    await waitFor(() => publishing(env, 'slt'), 10_000, 'the srt-live-transmit publisher');
    const { video, audio } = await countFrames(env.httpUrl('/live/slt.flv'), 4);
    expect(video).toMatchObject({ codec_name: 'h264', width: SAMPLE_720P.width });
    expect(Number(video?.nb_read_frames)).toBeGreaterThanOrEqual(100);
    expect(audio?.codec_name).toBe('aac');
    expect(env.server.srt?.allConnectionStats().find((s) => s.stream === 'slt')?.latencyMs).toBe(300);

    const file = join(dir, 'slt-play.ts');
    const url = srtUrl(env, '#!::r=live/slt,m=request');
    await runProcess('bash', ['-c', `exec srt-live-transmit -q -t 4 '${url}' file://con > '${file}'`], 10_000);
    const played = await countFrames(file, 100);
    expect(played.video?.codec_name).toBe('h264');
    expect(Number(played.video?.nb_read_frames)).toBeGreaterThanOrEqual(90);
    expect(played.audio?.codec_name).toBe('aac');
  });

  it.skipIf(!hasGst)('GStreamer srtsink publishes and srtsrc plays', async () => {
    const sink = `srtsink uri="srt://127.0.0.1:${env.server.srt?.port}?mode=caller&latency=250" streamid="#!::r=live/gst,m=publish"`;
    const gst = pipeline(sample, `gst-launch-1.0 -q fdsrc fd=0 ! ${sink} sync=false`);
    running.push(gst);
    await waitFor(() => publishing(env, 'gst'), 10_000, 'the GStreamer publisher');
    const { video } = await countFrames(env.httpUrl('/live/gst.flv'), 4);
    expect(video).toMatchObject({ codec_name: 'h264', width: SAMPLE_720P.width });
    expect(Number(video?.nb_read_frames)).toBeGreaterThanOrEqual(100);

    const file = join(dir, 'gst-play.ts');
    const src = `srtsrc uri="srt://127.0.0.1:${env.server.srt?.port}?mode=caller&latency=250" streamid="#!::r=live/gst,m=request"`;
    // num-buffers ends it cleanly (EOS, then srtsrc closes with a shutdown) after about 3 s of media.
    await runProcess(
      'bash',
      ['-c', `exec gst-launch-1.0 -q ${src} num-buffers=500 ! filesink location='${file}'`],
      10_000,
    );
    expect(statSync(file).size).toBeGreaterThan(100_000);
    const played = await countFrames(file, 100);
    expect(played.video?.codec_name).toBe('h264');
    expect(Number(played.video?.nb_read_frames)).toBeGreaterThanOrEqual(60);
  });

  it('garbage datagrams on the port are counted and never take it down', async () => {
    const srt = env.server.srt;
    if (!srt) throw new Error('no SRT server');
    const live = srt.allConnectionStats().find((s) => s.stream === 'x');
    const socketId = live ? (srt.connections.get(live.cid)?.socketId ?? 1) : 1;
    const before = srt.ignoredDatagrams;
    const socket = createSocket('udp4');
    const datagrams: Buffer[] = [];
    for (let i = 0; i < 300; i++) datagrams.push(randomBytes(1 + (i % 1500)));
    for (let i = 0; i < 100; i++) {
      // Control packets to socket id 0 (handshake-shaped), and data packets for a live connection's id.
      const hs = randomBytes(16 + (i % 80));
      hs[0] = 0x80;
      hs.writeUInt32BE(0, 12);
      datagrams.push(hs);
      const data = randomBytes(16 + (i % 1400));
      data[0] &= 0x7f;
      data.writeUInt32BE(socketId, 12);
      datagrams.push(data);
    }
    datagrams.push(Buffer.alloc(0), Buffer.alloc(15));
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    for (const d of datagrams) socket.send(d, srt.port, '127.0.0.1');
    await new Promise((r) => setTimeout(r, 500));
    socket.close();
    expect(srt.ignoredDatagrams - before).toBeGreaterThan(300);
    // The publisher from another port is untouched, and new callers still get in.
    expect(publishing(env, 'x')).toBe(true);
    const result = await decode(srtUrl(env, '#!::r=live/x,m=request'), 2, { copy: true });
    expect(result.code, result.stderr).toBe(0);
    expect(result.videoFrames).toBeGreaterThanOrEqual(40);
  });

  it('a caller without a stream id, with a malformed one, or for a missing stream is rejected with a reason', async () => {
    for (const streamId of ['', 'nopath', '#!::m=publish', '#!::r=live/nothing,m=request']) {
      const url = streamId ? srtUrl(env, streamId) : `srt://127.0.0.1:${env.server.srt?.port}`;
      const result = await runProcess('ffmpeg', ['-hide_banner', '-v', 'error', '-i', url, '-f', 'null', '-'], 10_000);
      expect(result.code).not.toBe(0);
    }
    expect(logOf('srt')).toMatch(/srt handshake rejected \(1404\)/);
    expect(logOf('srt')).toMatch(/srt handshake rejected \(1400\)/);
  });

  it('a second publisher of a live stream is refused as a conflict (1409)', async () => {
    const busy = await runProcess(
      'ffmpeg',
      ['-hide_banner', '-v', 'error', '-re', '-i', sample, '-t', '1', '-c', 'copy', '-f', 'mpegts'].concat(
        srtUrl(env, '#!::r=live/x,m=publish'),
      ),
      10_000,
    );
    expect(busy.code).not.toBe(0);
    expect(logOf('srt')).toMatch(/srt handshake rejected \(1409\)/);
    expect(publishing(env, 'x')).toBe(true);
  });

  it('20 SRT players at once all receive the stream', async () => {
    const url = srtUrl(env, '#!::r=live/x,m=request');
    const results = await Promise.all(Array.from({ length: 20 }, () => decode(url, 3, { copy: true })));
    for (const r of results) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.videoFrames).toBeGreaterThanOrEqual(60);
    }
  }, 45_000);
});

describe.skipIf(!hasFfmpeg)('SRT with a passphrase and a publish secret', () => {
  let env: RunningServer;
  let sample: string;
  const running: RunningProcess[] = [];

  beforeAll(async () => {
    sample = await ensureSample();
    env = await startTestServer('srt-secure', {
      srt: { host: '127.0.0.1', port: 0, passphrase: PASSPHRASE },
      security: { publishSecret: 's3cret' },
    });
  });

  afterAll(async () => {
    await Promise.all(running.map((p) => p.stop()));
    await env?.close();
  });

  it('an encrypted publish with the right passphrase and secret plays back encrypted', async () => {
    const url = srtUrl(env, '#!::r=live/enc,m=publish,secret=s3cret', `passphrase=${PASSPHRASE}&pbkeylen=16`);
    running.push(publishSrt(sample, url));
    await waitFor(() => publishing(env, 'enc'), 10_000, 'the encrypted publisher');
    expect(env.server.srt?.allConnectionStats().find((s) => s.stream === 'enc')?.encrypted).toBe(true);
    const result = await decode(srtUrl(env, '#!::r=live/enc,m=request', `passphrase=${PASSPHRASE}`), 3);
    expect(result.code, result.stderr).toBe(0);
    expect(result.videoFrames).toBeGreaterThanOrEqual(70);
  });

  it('a wrong or missing passphrase, or a missing secret, is refused', async () => {
    const attempt = (streamId: string, options: string) =>
      runProcess(
        'ffmpeg',
        ['-hide_banner', '-loglevel', 'error', '-re', '-i', sample, '-t', '2', '-c', 'copy', '-f', 'mpegts'].concat(
          srtUrl(env, streamId, options),
        ),
        15_000,
      );
    const wrong = await attempt('#!::r=live/w,m=publish,secret=s3cret', 'passphrase=not-the-passphrase');
    const missing = await attempt('#!::r=live/m,m=publish,secret=s3cret', '');
    const noSecret = await attempt('#!::r=live/s,m=publish', `passphrase=${PASSPHRASE}`);
    for (const r of [wrong, missing, noSecret]) expect(r.code).not.toBe(0);
    const log = logOf('srt-secure');
    expect(log).toMatch(/srt handshake rejected \(10\)/);
    expect(log).toMatch(/srt handshake rejected \(11\)/);
    expect(log).toMatch(/srt handshake rejected \(1403\)/);
    expect(env.server.registry.list().map((s) => s.key.stream)).toEqual(['enc']);
  });

  it.skipIf(!hasSlt)('srt-live-transmit refreshing its key mid-stream decodes cleanly over HTTP-FLV', async () => {
    // A refresh every 500 packets (~3 s of this sample), announced 100 packets ahead: libsrt sends the new key in a
    // KMREQ control packet, switches the data packets' KK, then retires the old key in another KMREQ.
    const options = `passphrase=${PASSPHRASE}&pbkeylen=16&kmrefreshrate=500&kmpreannounce=100`;
    const url = srtUrl(env, '#!::r=live/refresh,m=publish,secret=s3cret', options);
    const slt = pipeline(sample, `srt-live-transmit -q file://con '${url}'`);
    running.push(slt);
    await waitFor(() => publishing(env, 'refresh'), 10_000, 'the refreshing publisher');
    const stats = () => env.server.srt?.allConnectionStats().find((s) => s.stream === 'refresh');
    // ffprobe reads across the switches (at least two within its 12 s): every frame of those seconds must decode.
    // biome-ignore format: ffprobe arguments read best as flag/value pairs
    const args = [
      '-hide_banner', '-v', 'error', '-rw_timeout', '15000000', '-count_frames', '-read_intervals', '%+12',
      '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,nb_read_frames', '-of', 'json',
    ];
    const probed = await runProcess('ffprobe', [...args, env.httpUrl('/live/refresh.flv')], 30_000);
    expect(probed.code, probed.stderr).toBe(0);
    expect(probed.stderr).toBe('');
    const [video] = (JSON.parse(probed.stdout) as { streams: { codec_name: string; nb_read_frames: string }[] })
      .streams;
    expect(video.codec_name).toBe('h264');
    expect(Number(video.nb_read_frames)).toBeGreaterThanOrEqual(100);
    expect(stats()?.keySwitches).toBeGreaterThanOrEqual(2);
    expect(stats()?.dropped).toBe(0);
    const { clients } = (await (await fetch(env.apiUrl('/api/v1/clients?count=100'))).json()) as {
      clients: Array<{ id: string; srt?: { key_switches?: number } }>;
    };
    expect(clients.find((c) => c.id === stats()?.cid)?.srt?.key_switches).toBeGreaterThanOrEqual(2);
    await slt.stop();
  });
});

describe.skipIf(!hasFfmpeg)('SRT limits and departures', () => {
  let env: RunningServer;
  let sample: string;

  beforeAll(async () => {
    sample = await ensureSample();
    env = await startTestServer('srt-limits', { srt: { host: '127.0.0.1', port: 0, maxConnections: 1 } });
  });

  afterAll(async () => {
    await env?.close();
  });

  it('a caller past srt.maxConnections is refused as overloaded (1402)', async () => {
    const publisher = publishSrt(sample, srtUrl(env, '#!::r=live/one,m=publish'));
    try {
      await waitFor(() => publishing(env, 'one'), 10_000, 'the SRT publisher');
      const over = await runProcess(
        'ffmpeg',
        ['-hide_banner', '-v', 'error', '-i', srtUrl(env, '#!::r=live/one,m=request'), '-f', 'null', '-'],
        10_000,
      );
      expect(over.code).not.toBe(0);
      expect(logOf('srt-limits')).toMatch(/srt handshake rejected \(1402\)/);
    } finally {
      await publisher.stop();
    }
  });

  it('ending the SRT connection ends the publish: the stream waits for a new publisher, which continues it', async () => {
    await waitFor(() => env.server.srt?.connections.size === 0, 5000, 'the connection to close');
    const source = env.server.registry.list().find((s) => s.key.stream === 'one');
    expect(source?.isPublishing).toBe(false);
    const again = publishSrt(sample, srtUrl(env, '#!::r=live/one,m=publish'));
    try {
      await waitFor(() => publishing(env, 'one'), 10_000, 'the new SRT publisher');
      expect(env.server.registry.list().find((s) => s.key.stream === 'one')?.isPublishing).toBe(true);
      const busy = await runProcess(
        'ffmpeg',
        ['-hide_banner', '-v', 'error', '-re', '-i', sample, '-t', '1', '-c', 'copy', '-f', 'mpegts'].concat(
          srtUrl(env, '#!::r=live/one,m=publish'),
        ),
        10_000,
      );
      expect(busy.code).not.toBe(0);
      expect(logOf('srt-limits')).toMatch(/srt handshake rejected \(1402\)/);
    } finally {
      await again.stop();
    }
  });
});
