import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StreamKey } from '../../hub/stream-key.js';
import { StreamRegistry } from '../../hub/stream-registry.js';
import type { StreamSource } from '../../hub/stream-source.js';
import { audio, header, sourceOptions, video } from '../../hub/test-support.js';
import { HlsOutput, type HlsOutputOptions } from './hls-output.js';
import type { HlsSegment } from './hls-segment.js';

const VHOST = '__defaultVhost__';
const key = { vhost: VHOST, app: 'live', stream: 'cam' };
const publisher = (cid: string) => ({ cid, protocol: 'test', ip: '127.0.0.1', query: '', disconnect: () => {} });
const T0 = Date.parse('2024-05-01T12:00:00.000Z');
const FRAME_MS = 40;
const SWEEP_MS = 5000;

function frame(dts: number, keyframe: boolean) {
  return { ...video(dts, keyframe), payload: Buffer.from([0, 0, 0, 4, keyframe ? 0x65 : 0x41, 0x88, 0x84, 0x00]) };
}

const text = (body: string | Buffer | undefined) => (body === undefined ? undefined : body.toString());
const names = (playlist: string) => playlist.split('\n').filter((l) => l.endsWith('.ts'));
const mediaSequence = (playlist: string) => Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(playlist)?.[1]);

describe('HlsOutput', () => {
  const clock = { now: T0 };
  let registry: StreamRegistry;
  let output: HlsOutput;
  let hooked: { key: StreamKey; segment: HlsSegment }[];

  beforeEach(() => {
    vi.useFakeTimers();
    clock.now = T0;
    hooked = [];
  });

  afterEach(async () => {
    await output.close();
    registry.close();
    vi.useRealTimers();
  });

  function start(graceMs: number, options: Partial<HlsOutputOptions> = {}) {
    registry = new StreamRegistry(sourceOptions(clock, { publisherGraceMs: graceMs }));
    output = new HlsOutput({
      registry,
      vhost: VHOST,
      fragmentMs: 2000,
      windowMs: 60_000,
      disposeMs: 30_000,
      logger: pino({ level: 'silent' }),
      now: () => clock.now,
      onSegment: (k, segment) => hooked.push({ key: k, segment }),
      ...options,
    });
    output.start();
  }

  function publish(cid: string): StreamSource {
    const source = registry.publish(key, publisher(cid));
    source.push(header('video'));
    source.push(header('audio'));
    return source;
  }

  /** 25 fps with a keyframe every 2 s and audio; the wall clock moves with the media from `wallStart`. */
  function feed(source: StreamSource, from: number, to: number, wallStart: number) {
    for (let dts = from; dts < to; dts += FRAME_MS) {
      clock.now = wallStart + (dts - from);
      source.push(frame(dts, dts % 2000 === 0));
      source.push(audio(dts + 20));
    }
  }

  function playlist(): string | undefined {
    const file = output.file('live', 'cam.m3u8');
    if (file) expect(file.contentType).toBe('application/vnd.apple.mpegurl');
    return text(file?.body);
  }

  it('serves the playlist once it has a segment, and each listed segment as MPEG-TS', () => {
    start(0);
    const source = publish('pub');
    feed(source, 0, 1000, T0);
    expect(playlist()).toBeUndefined();
    feed(source, 1000, 4040, T0 + 1000);
    const listed = names(playlist()!);
    expect(listed).toEqual(['cam-0.ts', 'cam-1.ts']);
    for (const name of listed) {
      const file = output.file('live', name);
      expect(file).toBeDefined();
      expect(file!.contentType).toBe('video/mp2t');
      expect((file!.body as Buffer)[0]).toBe(0x47);
    }
    expect(output.file('live', 'cam-2.ts')).toBeUndefined();
    expect(output.file('live', 'other.m3u8')).toBeUndefined();
    expect(output.file('other', 'cam.m3u8')).toBeUndefined();
    expect(output.file('live', 'cam.mp4')).toBeUndefined();
  });

  it('calls on_hls once per finished segment with the stream it belongs to', () => {
    start(0);
    const source = publish('pub');
    feed(source, 0, 6040, T0);
    expect(hooked.map((h) => h.segment.name)).toEqual(['cam-0.ts', 'cam-1.ts', 'cam-2.ts']);
    expect(hooked.every((h) => h.key.app === 'live' && h.key.stream === 'cam' && h.key.vhost === VHOST)).toBe(true);
    expect(hooked.map((h) => h.segment.durationMs)).toEqual([2000, 2000, 2000]);
    registry.end(source);
    // The last, partial segment is reported too.
    expect(hooked.map((h) => h.segment.name)).toEqual(['cam-0.ts', 'cam-1.ts', 'cam-2.ts', 'cam-3.ts']);
  });

  it('keeps one playlist through a publisher blip and ends it only at the real end', async () => {
    start(10_000);
    const first = publish('pub1');
    feed(first, 0, 4040, T0);
    registry.unpublish(first, 'pub1');
    expect(playlist()).not.toContain('#EXT-X-ENDLIST');
    await vi.advanceTimersByTimeAsync(2000);
    clock.now = T0 + 6040;
    const second = publish('pub2');
    feed(second, 0, 4040, clock.now);
    const continued = playlist()!;
    expect(continued.match(/#EXT-X-DISCONTINUITY\n/g)).toHaveLength(1);
    expect(continued).not.toContain('#EXT-X-ENDLIST');
    expect(mediaSequence(continued)).toBe(0);

    registry.unpublish(second, 'pub2');
    await vi.advanceTimersByTimeAsync(10_000);
    const ended = playlist()!;
    expect(ended.endsWith('#EXT-X-ENDLIST\n')).toBe(true);
    // Until it is disposed, the ended playlist stays exactly as it is.
    await vi.advanceTimersByTimeAsync(20_000);
    clock.now += 20_000;
    expect(playlist()).toBe(ended);
  });

  it('gives a new publish after EXT-X-ENDLIST a new playlist, numbered after the old one', async () => {
    start(0);
    const first = publish('pub1');
    feed(first, 0, 6040, T0);
    registry.unpublish(first, 'pub1');
    const ended = playlist()!;
    expect(ended).toContain('#EXT-X-ENDLIST');
    const oldNames = names(ended);
    expect(oldNames).toEqual(['cam-0.ts', 'cam-1.ts', 'cam-2.ts', 'cam-3.ts']);

    clock.now += 3000;
    const second = publish('pub2');
    feed(second, 0, 4040, clock.now);
    const fresh = playlist()!;
    expect(fresh).not.toContain('#EXT-X-ENDLIST');
    expect(fresh).not.toContain('#EXT-X-DISCONTINUITY');
    expect(mediaSequence(fresh)).toBe(4);
    const newNames = names(fresh);
    expect(newNames).toEqual(['cam-4.ts', 'cam-5.ts']);
    expect(newNames.some((n) => oldNames.includes(n))).toBe(false);
    expect(output.find('live', 'cam')?.hasEnded).toBe(false);
  });

  it('drops an ended playlist and its segments after hls.dispose, not before', async () => {
    start(0, { disposeMs: 30_000 });
    const source = publish('pub');
    feed(source, 0, 4040, T0);
    const endedAt = clock.now;
    registry.unpublish(source, 'pub');
    // The sweep runs on its own timer; the decision uses the injected clock.
    clock.now = endedAt + 30_000;
    await vi.advanceTimersByTimeAsync(SWEEP_MS);
    expect(playlist()).toContain('#EXT-X-ENDLIST');
    expect(output.file('live', 'cam-0.ts')).toBeDefined();
    clock.now = endedAt + 30_001;
    await vi.advanceTimersByTimeAsync(SWEEP_MS);
    expect(playlist()).toBeUndefined();
    expect(output.file('live', 'cam-0.ts')).toBeUndefined();
    expect(output.find('live', 'cam')).toBeUndefined();
  });

  it('never disposes a stream waiting for its publisher in the grace window', async () => {
    start(120_000, { disposeMs: 10_000 });
    const source = publish('pub');
    feed(source, 0, 4040, T0);
    registry.unpublish(source, 'pub');
    clock.now += 60_000;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(names(playlist()!)).toEqual(['cam-0.ts', 'cam-1.ts', 'cam-2.ts']);
    expect(playlist()).not.toContain('#EXT-X-ENDLIST');
  });

  it('ends every playlist when it closes', async () => {
    start(10_000);
    const source = publish('pub');
    feed(source, 0, 4040, T0);
    await output.close();
    expect(playlist()).toContain('#EXT-X-ENDLIST');
    expect(source.isEnded).toBe(false);
  });

  it('mirrors playlists and segments to hls.path, and removes an ended playlist’s files when it is replaced', async () => {
    vi.useRealTimers();
    const dir = await mkdtemp(join(tmpdir(), 'tally-hls-'));
    try {
      start(0, { path: dir });
      const first = publish('pub1');
      feed(first, 0, 6040, T0);
      registry.unpublish(first, 'pub1');
      clock.now += 1000;
      const second = publish('pub2');
      feed(second, 0, 4040, clock.now);
      await output.close();
      const files = (await readdir(join(dir, 'live'))).sort();
      expect(files).toEqual(['cam-4.ts', 'cam-5.ts', 'cam-6.ts', 'cam.m3u8']);
      const onDisk = await readFile(join(dir, 'live', 'cam.m3u8'), 'utf8');
      expect(onDisk).toBe(playlist());
      expect(names(onDisk)).toEqual(['cam-4.ts', 'cam-5.ts', 'cam-6.ts']);
      expect(await readFile(join(dir, 'live', 'cam-5.ts'))).toEqual(output.file('live', 'cam-5.ts')?.body);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
