import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GbTestDevice, type GbTestDeviceOptions } from '../../scripts/gb28181-device/gb-test-device.js';
import { decode, probe } from './support/ffmpeg.js';
import { pollFor, type RunningServer, startTestServer, waitFor } from './support/test-server.js';

const SERVER_ID = '34020000002000000001';
const DOMAIN = '3402000000';
const PASSWORD = 'camera-secret-1';
const WIDTH = 640;
const HEIGHT = 360;

interface DeviceView {
  id: string;
  status: 'online' | 'offline';
  offline_reason?: string;
  channels: { id: string; stream?: string; play_state?: string; video_codec?: string; audio_codec?: string }[];
}

function gbConfig(overrides: Record<string, unknown>) {
  return {
    gb28181: {
      enabled: true,
      host: '127.0.0.1',
      sipPort: 0,
      mediaPort: 0,
      serverId: SERVER_ID,
      domain: DOMAIN,
      keepaliveTimeoutMs: 3000,
      mediaTimeoutMs: 2500,
      catalogTimeoutMs: 1000,
      ...overrides,
    },
    hub: { publisherGraceMs: 1500 },
    hls: { enabled: true, fragment: 1, window: 6 },
  };
}

let nextId = 1;
const devices: GbTestDevice[] = [];

function device(env: RunningServer, options: Partial<GbTestDeviceOptions>): GbTestDevice {
  const id = `3402000000132${String(nextId++).padStart(7, '0')}`;
  const made = new GbTestDevice({
    host: '127.0.0.1',
    port: env.server.gb28181?.sipPort ?? 0,
    transport: 'TCP',
    id,
    serverId: SERVER_ID,
    domain: DOMAIN,
    keepaliveMs: 1000,
    video: 'h264',
    audio: 'aac',
    width: WIDTH,
    height: HEIGHT,
    fps: 25,
    ...options,
  });
  devices.push(made);
  return made;
}

async function deviceView(env: RunningServer, id: string): Promise<DeviceView | undefined> {
  const response = await fetch(env.apiUrl(`/api/v1/gb28181/devices/${id}`));
  if (response.status === 404) return undefined;
  return ((await response.json()) as { device: DeviceView }).device;
}

const streamOf = (env: RunningServer, id: string) =>
  env.server.registry.list().find((s) => s.key.app === 'live' && s.key.stream === id);

async function waitForAudio(env: RunningServer, id: string): Promise<void> {
  await waitFor(() => streamOf(env, id)?.header('audio') !== undefined, 20_000, `live/${id} with audio`);
}

async function waitForVideo(env: RunningServer, id: string): Promise<void> {
  await waitFor(() => streamOf(env, id)?.header('video') !== undefined, 20_000, `live/${id} with video`);
}

describe('GB28181 ingest with digest auth, TCP media', () => {
  let env: RunningServer;

  beforeAll(async () => {
    env = await startTestServer('gb28181-auth', gbConfig({ password: PASSWORD }));
  });
  afterEach(async () => {
    for (const d of devices.splice(0)) await d.stop();
  });
  afterAll(async () => {
    await env?.close();
  });

  it('a device with the password registers and plays H.264 + AAC as live/<deviceId> on HTTP-FLV and HLS', async () => {
    const cam = device(env, { password: PASSWORD });
    await cam.start();
    await waitForVideo(env, cam.options.id);
    const streams = await probe(env.httpUrl(`/live/${cam.options.id}.flv`));
    expect(streams.find((s) => s.codec_type === 'video')).toMatchObject({
      codec_name: 'h264',
      width: WIDTH,
      height: HEIGHT,
    });
    expect(streams.find((s) => s.codec_type === 'audio')).toMatchObject({ codec_name: 'aac' });
    const flv = await decode(env.httpUrl(`/live/${cam.options.id}.flv`), 5);
    expect(flv.code, flv.stderr).toBe(0);
    expect(flv.videoFrames).toBeGreaterThanOrEqual(100);
    const hls = await pollFor(
      async () => {
        const r = await fetch(env.httpUrl(`/live/${cam.options.id}.m3u8`));
        const text = r.ok ? await r.text() : '';
        return text.includes('#EXTINF') ? text : undefined;
      },
      15_000,
      'the HLS playlist',
    );
    expect(hls).toContain('#EXTM3U');
    const hlsStreams = await probe(env.httpUrl(`/live/${cam.options.id}.m3u8`));
    expect(hlsStreams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: WIDTH });
    const view = await deviceView(env, cam.options.id);
    expect(view).toMatchObject({ status: 'online' });
    expect(view?.channels[0]).toMatchObject({
      id: cam.channelId,
      stream: `live/${cam.options.id}`,
      play_state: 'playing',
      video_codec: 'h264',
      audio_codec: 'aac',
    });
  });

  it('refuses a wrong password with 403 and lists no such device', async () => {
    for (const password of ['wrong-password', undefined]) {
      const cam = device(env, { password });
      const refused = new Promise<number>((resolve) => cam.once('refused', resolve));
      await cam.start();
      expect(await refused).toBe(403);
      expect(await deviceView(env, cam.options.id)).toBeUndefined();
    }
  });

  it('plays H.264 + G.711A over TCP with the audio transcoded to AAC', async () => {
    const cam = device(env, { password: PASSWORD, audio: 'g711a' });
    await cam.start();
    await waitForVideo(env, cam.options.id);
    await waitForAudio(env, cam.options.id);
    const streams = await probe(env.httpUrl(`/live/${cam.options.id}.flv`));
    expect(streams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: WIDTH });
    expect(streams.find((s) => s.codec_type === 'audio')).toMatchObject({ codec_name: 'aac', sample_rate: '44100' });
    const view = await deviceView(env, cam.options.id);
    expect(view?.channels[0]).toMatchObject({ video_codec: 'h264', audio_codec: 'g711a' });
  });

  it('plays H.265 over TCP with its size', async () => {
    const cam = device(env, { password: PASSWORD, video: 'hevc', audio: 'none' });
    await cam.start();
    await waitForVideo(env, cam.options.id);
    // ffprobe reads H.265 in FLV only with enhanced RTMP support; HTTP-TS carries it everywhere.
    const streams = await probe(env.httpUrl(`/live/${cam.options.id}.ts`));
    expect(streams.find((s) => s.codec_type === 'video')).toMatchObject({
      codec_name: 'hevc',
      width: WIDTH,
      height: HEIGHT,
    });
    const ts = await decode(env.httpUrl(`/live/${cam.options.id}.ts`), 5);
    expect(ts.code, ts.stderr).toBe(0);
    expect(ts.videoFrames).toBeGreaterThanOrEqual(100);
  });

  it('API BYE ends the stream, API INVITE in TCP active mode plays it again', async () => {
    const cam = device(env, { password: PASSWORD });
    await cam.start();
    await waitForVideo(env, cam.options.id);
    const channel = `/api/v1/gb28181/devices/${cam.options.id}/channels/${cam.channelId}`;
    const post = (path: string, body: unknown) =>
      fetch(env.apiUrl(path), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const byed = new Promise<void>((resolve) => cam.once('bye', resolve));
    expect((await post(`${channel}/bye`, {})).status).toBe(200);
    await byed;
    expect((await deviceView(env, cam.options.id))?.channels[0].play_state).toBeUndefined();
    await waitFor(() => streamOf(env, cam.options.id) === undefined, 10_000, 'the stream to end');
    const invited = new Promise<string>((resolve) => cam.once('invite', resolve));
    expect((await post(`${channel}/invite`, { mode: 'tcp-active' })).status).toBe(200);
    expect(await invited).toBe('tcp-active');
    await waitForVideo(env, cam.options.id);
    const flv = await decode(env.httpUrl(`/live/${cam.options.id}.flv`), 2);
    expect(flv.code, flv.stderr).toBe(0);
    expect(flv.videoFrames).toBeGreaterThan(25);
    expect((await post(`${channel}/invite`, { mode: 'carrier-pigeon' })).status).toBe(400);
    expect((await post(`/api/v1/gb28181/devices/nobody/channels/x/bye`, {})).status).toBe(404);
  });

  it('a media drop is re-invited and the stream goes on', async () => {
    const cam = device(env, { password: PASSWORD, audio: 'none' });
    await cam.start();
    await waitForVideo(env, cam.options.id);
    expect(cam.invites).toBe(1);
    cam.dropMedia();
    await waitFor(() => cam.invites === 2, 15_000, 'the second INVITE');
    await waitFor(() => cam.packsSent > 50, 15_000, 'media after the re-INVITE');
    const flv = await decode(env.httpUrl(`/live/${cam.options.id}.flv`), 2);
    expect(flv.code, flv.stderr).toBe(0);
    expect(flv.videoFrames).toBeGreaterThan(25);
  });

  it("the device's BYE ends the stream and it is not invited again; unregistering takes it offline", async () => {
    const cam = device(env, { password: PASSWORD, audio: 'none' });
    await cam.start();
    await waitForVideo(env, cam.options.id);
    cam.sendBye();
    await waitFor(() => streamOf(env, cam.options.id) === undefined, 10_000, 'the stream to end');
    expect((await deviceView(env, cam.options.id))?.channels[0].play_state).toBeUndefined();
    expect(cam.invites).toBe(1);
    // Unregister (REGISTER with Expires: 0, answered after the digest challenge): offline at once.
    await cam.stop();
    const gone = await pollFor(
      async () => {
        const view = await deviceView(env, cam.options.id);
        return view?.status === 'offline' ? view : undefined;
      },
      5000,
      'the device to unregister',
    );
    expect(gone.offline_reason).toBe('unregistered');
  });

  it('a device whose keepalives stop goes offline and its stream ends', async () => {
    const cam = device(env, { password: PASSWORD, audio: 'none' });
    await cam.start();
    await waitForVideo(env, cam.options.id);
    cam.stopKeepalive();
    const offline = await pollFor(
      async () => {
        const view = await deviceView(env, cam.options.id);
        return view?.status === 'offline' ? view : undefined;
      },
      10_000,
      'the device to go offline',
    );
    expect(offline.offline_reason).toBe('keepalive timeout');
    await waitFor(() => streamOf(env, cam.options.id) === undefined, 10_000, 'the stream to end');
  });
});

describe('GB28181 ingest without auth, UDP media', () => {
  let env: RunningServer;

  beforeAll(async () => {
    env = await startTestServer('gb28181-udp', gbConfig({ inviteMode: 'udp' }));
  });
  afterEach(async () => {
    for (const d of devices.splice(0)) await d.stop();
  });
  afterAll(async () => {
    await env?.close();
  });

  for (const [video, audio] of [
    ['h264', 'aac'],
    ['hevc', 'none'],
    ['h264', 'g711a'],
  ] as const) {
    it(`a device over SIP/UDP registers without a password and plays ${video}${audio === 'none' ? '' : `+${audio}`} over RTP/UDP`, async () => {
      const cam = device(env, { transport: 'UDP', video, audio });
      await cam.start();
      await waitForVideo(env, cam.options.id);
      if (audio !== 'none') await waitForAudio(env, cam.options.id);
      const url = env.httpUrl(`/live/${cam.options.id}.${video === 'hevc' ? 'ts' : 'flv'}`);
      const streams = await probe(url);
      expect(streams.find((s) => s.codec_type === 'video')).toMatchObject({
        codec_name: video,
        width: WIDTH,
        height: HEIGHT,
      });
      // G.711 is transcoded to AAC so that every player has sound.
      if (audio !== 'none') expect(streams.find((s) => s.codec_type === 'audio')).toMatchObject({ codec_name: 'aac' });
      const played = await decode(url, 5);
      expect(played.code, played.stderr).toBe(0);
      expect(played.videoFrames).toBeGreaterThanOrEqual(100);
    });
  }

  it('garbage SIP and garbage PS never take the server down', async () => {
    const sipPort = env.server.gb28181?.sipPort ?? 0;
    const mediaPort = env.server.gb28181?.mediaPort ?? 0;
    const random = seeded(7);
    const noise = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));
    // SIP: random bytes, a request without headers, a truncated REGISTER; over TCP and UDP.
    const garbage = [
      noise(500),
      Buffer.from('REGISTER sip:x SIP/2.0\r\n\r\n'),
      Buffer.from('INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h\r\nContent-Length: 99999999\r\n\r\n'),
      Buffer.from('SIP/2.0 200 OK\r\nCSeq: 1 INVITE\r\nCall-ID: nope\r\n\r\n'),
    ];
    const udp = createSocket('udp4');
    for (const bytes of garbage) {
      udp.send(bytes, sipPort, '127.0.0.1');
      udp.send(noise(300), mediaPort, '127.0.0.1');
      await sendTcp(sipPort, bytes);
      await sendTcp(mediaPort, noise(3000));
    }
    udp.close();
    // PS: a device whose every 40th RTP payload is noise still plays.
    const cam = device(env, { transport: 'UDP', corruptEvery: 40, audio: 'none' });
    await cam.start();
    await waitForVideo(env, cam.options.id);
    const flv = await decode(env.httpUrl(`/live/${cam.options.id}.flv`), 3);
    expect(flv.videoFrames).toBeGreaterThan(25);
    expect((await fetch(env.apiUrl('/api/v1/gb28181'))).status).toBe(200);
    expect(env.server.gb28181?.stats.sip.malformed).toBeGreaterThan(0);
  });
});

/** A deterministic byte source so a failure can be replayed. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

async function sendTcp(port: number, bytes: Buffer): Promise<void> {
  const socket = connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve) => {
    socket.once('connect', () => socket.end(bytes));
    socket.once('error', () => resolve());
    socket.once('close', () => resolve());
    setTimeout(() => {
      socket.destroy();
      resolve();
    }, 1000).unref();
  });
}
