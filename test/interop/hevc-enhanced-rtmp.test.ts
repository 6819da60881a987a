import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlvStreamReader, parseVideoTagBody, writeVideoTagBody } from '../../server-core/codec/flv/index.js';
import { buildHevcDecoderConfig, parseHevcDecoderConfig } from '../../server-core/codec/hevc/hvcc.js';
import { HevcNalType, hevcNalType, isHevcIrap } from '../../server-core/codec/hevc/nal-type.js';
import { parseHevcSps } from '../../server-core/codec/hevc/sps.js';
import { splitAnnexB } from '../../server-core/codec/nal/annexb.js';
import { joinLengthPrefixed } from '../../server-core/codec/nal/length-prefixed.js';
import { TestRtmpClient } from './support/rtmp-client.js';
import { runProcess } from './support/run-process.js';
import { type RunningServer, startTestServer, waitFor } from './support/test-server.js';

const WIDTH = 640;
const HEIGHT = 360;
const FPS = 25;
const FRAMES = 50;

interface AccessUnit {
  keyframe: boolean;
  data: Buffer;
}

/** HEVC from libx265 as raw Annex-B, cut into access units at its AUDs. */
async function hevcAccessUnits(): Promise<{ config: Buffer; units: AccessUnit[] }> {
  const dir = join(process.cwd(), '.cache', 'media');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `hevc-${WIDTH}x${HEIGHT}.hevc`);
  if (!existsSync(file)) {
    // biome-ignore format: ffmpeg arguments read best as flag/value pairs
    const args = [
      '-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${WIDTH}x${HEIGHT}:rate=${FPS}`,
      '-frames:v', String(FRAMES), '-c:v', 'libx265', '-preset', 'ultrafast',
      '-x265-params', `aud=1:keyint=${FPS}:bframes=0:log-level=error`, '-f', 'hevc', file,
    ];
    const result = await runProcess('ffmpeg', args, 60_000);
    if (result.code !== 0) throw new Error(result.stderr);
  }
  const nals = splitAnnexB(readFileSync(file));
  const vps = nals.filter((n) => hevcNalType(n) === HevcNalType.VPS).slice(0, 1);
  const sps = nals.filter((n) => hevcNalType(n) === HevcNalType.SPS).slice(0, 1);
  const pps = nals.filter((n) => hevcNalType(n) === HevcNalType.PPS).slice(0, 1);
  const units: AccessUnit[] = [];
  let current: Buffer[] = [];
  const flush = () => {
    const slices = current.filter((n) => hevcNalType(n) < 32);
    if (slices.length > 0) {
      units.push({ keyframe: slices.some((n) => isHevcIrap(hevcNalType(n))), data: joinLengthPrefixed(current) });
    }
    current = [];
  };
  for (const nal of nals) {
    const type = hevcNalType(nal);
    if (type === HevcNalType.AUD) {
      flush();
      continue;
    }
    if (type === HevcNalType.VPS || type === HevcNalType.SPS || type === HevcNalType.PPS) continue;
    current.push(nal);
  }
  flush();
  return { config: buildHevcDecoderConfig(vps, sps, pps), units };
}

/** Reads HTTP-FLV and collects the video tags. */
function readFlv(url: string): { tags: Buffer[]; stop: () => void } {
  const reader = new FlvStreamReader();
  const tags: Buffer[] = [];
  const req = get(url, (res) => {
    res.on('data', (chunk: Buffer) => {
      for (const tag of reader.push(chunk)) if (tag.tagType === 9) tags.push(Buffer.from(tag.body));
    });
  });
  req.on('error', () => {});
  return { tags, stop: () => req.destroy() };
}

describe('HEVC over Enhanced RTMP', () => {
  let env: RunningServer;

  beforeAll(async () => {
    env = await startTestServer('hevc-enhanced');
  });

  afterAll(async () => {
    await env?.close();
  });

  it('RTMP and HTTP-FLV readers get back the published access units byte for byte, at the right size', async () => {
    const { config, units } = await hevcAccessUnits();
    expect(units.length).toBe(FRAMES);
    expect(units[0].keyframe).toBe(true);
    const publisher = new TestRtmpClient(env.rtmpUrl('/live/hevc'), 'publish');
    await publisher.open();
    const frameMs = 1000 / FPS;
    publisher.send(
      9,
      0,
      writeVideoTagBody({ codec: 'hevc', keyframe: true, packet: 'sequence-header', compositionTime: 0, data: config }),
    );
    // The first frames go out before readers join: they must still get them from the GOP cache.
    const sendFrame = (i: number) =>
      publisher.send(
        9,
        Math.round(i * frameMs),
        writeVideoTagBody({
          codec: 'hevc',
          keyframe: units[i].keyframe,
          packet: 'coded-frames',
          compositionTime: 0,
          data: units[i].data,
        }),
      );
    for (let i = 0; i < 5; i++) sendFrame(i);
    await waitFor(() => (env.server.registry.list()[0]?.stats.videoFrames ?? 0) >= 5, 5000, 'the first frames');

    const player = new TestRtmpClient(env.rtmpUrl('/live/hevc'), 'play');
    await player.open();
    const flv = readFlv(env.httpUrl('/live/hevc.flv'));
    await waitFor(() => env.server.registry.list()[0]?.readers().length === 2, 5000, 'both readers attached');
    for (let i = 5; i < units.length; i++) {
      sendFrame(i);
      await new Promise((r) => setTimeout(r, frameMs / 4));
    }
    await waitFor(
      () =>
        player.media.filter((m) => m.typeId === 9).length >= units.length + 1 && flv.tags.length >= units.length + 1,
      10_000,
      'every frame at both readers',
    );
    publisher.close();
    player.close();
    flv.stop();

    for (const bodies of [player.media.filter((m) => m.typeId === 9).map((m) => m.payload), flv.tags]) {
      const parsed = bodies.map(parseVideoTagBody);
      const header = parsed.find((t) => t.packet === 'sequence-header');
      expect(header?.codec).toBe('hevc');
      const sps = parseHevcSps(parseHevcDecoderConfig(header!.data).sps[0]);
      expect({ width: sps.width, height: sps.height }).toEqual({ width: WIDTH, height: HEIGHT });
      const frames = parsed.filter((t) => t.packet === 'coded-frames');
      expect(frames.length).toBe(units.length);
      frames.forEach((frame, i) => {
        expect(frame.codec).toBe('hevc');
        expect(Buffer.compare(frame.data, units[i].data), `access unit ${i}`).toBe(0);
        expect(frame.frameType === 'key').toBe(units[i].keyframe);
      });
    }
  });
});
