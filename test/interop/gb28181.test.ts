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
});
