import { afterEach, describe, expect, it, vi } from 'vitest';
import { findBox, parseTfdt, parseTrun, readBoxes } from '../../codec/fmp4/index.js';
import { ASC_48K_STEREO, AVCC_720 } from '../../codec/fmp4/test-fixtures.js';
import type { MediaFile } from '../../defs/media-file.js';
import type { MediaPacket } from '../../hub/media-packet.js';
import { StreamSource } from '../../hub/stream-source.js';
import { sourceOptions } from '../../hub/test-support.js';
import { LlHlsResponder } from './ll-hls-responder.js';
import { LlHlsStream } from './ll-hls-stream.js';
import { LlHlsTracks } from './ll-hls-tracks.js';
import { LlHlsWaiters } from './ll-hls-waiters.js';

const key = { vhost: '__defaultVhost__', app: 'live', stream: 'cam' };
const publisher = { cid: 'pub', protocol: 'test', ip: '127.0.0.1', query: '', disconnect: () => {} };
const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);

const packet = (p: Partial<MediaPacket> & Pick<MediaPacket, 'kind' | 'codec'>): MediaPacket => ({
  track: p.kind === 'video' ? 1 : 2,
  dts: 0,
  pts: 0,
  keyframe: false,
  sequenceHeader: false,
  payload: Buffer.alloc(100, 1),
  ...p,
});

/** 20 fps H.264 (keyframe every second) and 48 kHz AAC, fed in dts order up to a time; 200 ms parts, 2 s segments. */
function publish(opts: { partMs?: number; maxBlocked?: number; avcc?: Buffer } = {}) {
  const clock = { now: T0 };
  const source = new StreamSource(key, publisher, sourceOptions(clock));
  const waiters = new LlHlsWaiters(() => opts.maxBlocked ?? 100);
  const stream = new LlHlsStream(key, {
    fragmentMs: 2000,
    partMs: opts.partMs ?? 200,
    windowMs: 20_000,
    now: () => clock.now,
    onChange: () => waiters.poke(),
  });
  const responder = new LlHlsResponder(stream, waiters, { blockingWaitMs: 6000, partsForLastSegments: 2 });
  stream.attach(source);
  let origin = 0;
  let at = 0;
  const headers = (avcc = opts.avcc ?? AVCC_720) => {
    source.push(packet({ kind: 'video', codec: 'h264', sequenceHeader: true, payload: avcc }));
    source.push(packet({ kind: 'audio', codec: 'aac', sequenceHeader: true, payload: ASC_48K_STEREO }));
  };
  headers();
  /** Feeds media with dts (relative to this publisher's start) up to `upToMs`. */
  const feed = (upToMs: number) => {
    const media: MediaPacket[] = [];
    for (let dts = Math.ceil(at / 50) * 50; dts <= upToMs; dts += 50)
      media.push(packet({ kind: 'video', codec: 'h264', dts, pts: dts + 50, keyframe: dts % 1000 === 0 }));
    for (let i = Math.ceil((at * 48) / 1024); (i * 1024) / 48 <= upToMs; i++) {
      const dts = Math.round((i * 1024) / 48);
      if (dts >= at) media.push(packet({ kind: 'audio', codec: 'aac', dts, pts: dts, payload: Buffer.alloc(20, 2) }));
    }
    media.sort((a, b) => a.dts - b.dts || (a.kind === 'video' ? -1 : 1));
    for (const p of media) {
      clock.now = T0 + origin + p.dts;
      source.push(p);
    }
    at = upToMs + 1;
  };
  /** The publisher leaves and another continues after `gapMs`, with its own clock from 0. */
  const republish = (gapMs: number, avcc?: Buffer) => {
    source.detachPublisher();
    origin = clock.now - T0 + gapMs;
    clock.now = T0 + origin;
    at = 0;
    source.attachPublisher(publisher);
    headers(avcc);
  };
  return { clock, source, stream, responder, waiters, feed, republish };
}

/** Per traf of every moof: track id, tfdt, summed duration, whether the first sample is a sync sample. */
function runs(bytes: Buffer) {
  return readBoxes(bytes)
    .filter((b) => b.type === 'moof')
    .flatMap((moof) => (moof.children ?? []).filter((b) => b.type === 'traf'))
    .map((traf) => {
      const c = traf.children ?? [];
      const trun = parseTrun(findBox(c, 'trun')!);
      return {
        track: findBox(c, 'tfhd')!.payload.readUInt32BE(4),
        start: parseTfdt(findBox(c, 'tfdt')!),
        duration: trun.samples.reduce((n, s) => n + (s.duration ?? 0), 0),
        sync: ((trun.samples[0].flags ?? 0) & 0x00010000) === 0,
      };
    });
}

const body = (file: MediaFile | Promise<MediaFile> | undefined) => {
  if (!file || file instanceof Promise) throw new Error('expected an answer now');
  return String(file.body);
};
const query = (q: string) => new URLSearchParams(q);

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('LlHlsStream', () => {
  it('cuts 200 ms parts that tile each track and flag the ones that start on a keyframe', () => {
    const { stream, feed } = publish();
    feed(6100);
    const segments = stream.windowSegments;
    expect(segments.map((s) => [s.msn, s.durationMs])).toEqual([
      [0, 2000],
      [1, 2000],
      [2, 2000],
    ]);
    const parts = segments.flatMap((s) => s.parts);
    expect(parts.every((p) => p.durationMs === 200)).toBe(true);
    expect(segments.every((s) => s.parts.length === 10 && s.parts[0].independent)).toBe(true);
    const ends = new Map<number, number>();
    for (const part of parts) {
      const r = runs(part.data);
      for (const run of r) {
        if (ends.has(run.track)) expect(run.start).toBe(ends.get(run.track));
        ends.set(run.track, run.start + run.duration);
      }
      // Keyframes every second: parts 0 and 5 of each segment are independent, the others not.
      expect(part.independent).toBe(r.find((x) => x.track === 1)!.sync);
      expect(part.independent).toBe(part.index % 5 === 0);
    }
    expect(segments[1].data.equals(Buffer.concat(segments[1].parts.map((p) => p.data)))).toBe(true);
  });

  it('lists server control, part info, the parts of the last segments and the open one, and a preload hint', () => {
    const { responder, feed } = publish();
    feed(6700);
    const text = body(responder.playlist(query('')));
    expect(text).toContain('#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=12.0,PART-HOLD-BACK=0.400');
    expect(text).toContain('#EXT-X-PART-INF:PART-TARGET=0.200');
    expect(text).toContain('#EXT-X-MAP:URI="init-0.mp4"');
    // Segment 0's parts are no longer listed; segments 1 and 2 and the open segment 3 (3 parts) are.
    expect(text).not.toContain('part-0-');
    expect(text.match(/#EXT-X-PART:/g)).toHaveLength(23);
    expect(text).toContain('#EXT-X-PART:DURATION=0.200,URI="part-3-0.m4s",INDEPENDENT=YES');
    expect(text).toContain('#EXT-X-PART:DURATION=0.200,URI="part-3-1.m4s"\n');
    expect(text.trimEnd().split('\n').at(-1)).toBe('#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part-3-3.m4s"');
    expect(text.match(/#EXT-X-PROGRAM-DATE-TIME:/g)).toHaveLength(4);
  });

  it('holds a blocking reload until the part exists; refuses requests too far ahead (400)', async () => {
    const { responder, feed } = publish();
    feed(2500);
    // Open segment 1 has parts 0..1; part 2 ends at 2.6 s.
    const held = responder.playlist(query('_HLS_msn=1&_HLS_part=2'));
    expect(held).toBeInstanceOf(Promise);
    let answered: MediaFile | undefined;
    void (held as Promise<MediaFile>).then((f) => {
      answered = f;
    });
    feed(2599);
    await Promise.resolve();
    expect(answered).toBeUndefined();
    feed(2600);
    await Promise.resolve();
    expect(answered?.status ?? 200).toBe(200);
    expect(String(answered?.body)).toContain('URI="part-1-2.m4s"');
    // What exists already is answered at once; a whole segment waits for the segment.
    expect(responder.playlist(query('_HLS_msn=1&_HLS_part=1'))).not.toBeInstanceOf(Promise);
    expect(responder.playlist(query('_HLS_msn=1'))).toBeInstanceOf(Promise);
    expect((responder.playlist(query('_HLS_msn=4')) as MediaFile).status).toBe(400);
    expect((responder.playlist(query('_HLS_msn=1&_HLS_part=6')) as MediaFile).status).toBe(400);
    expect((responder.playlist(query('_HLS_part=1')) as MediaFile).status).toBe(400);
  });

  it('answers 503 when the wait runs out (three target durations at most) or too many requests are held', async () => {
    vi.useFakeTimers();
    const { responder, feed } = publish({ maxBlocked: 1 });
    feed(2500);
    const held = responder.playlist(query('_HLS_msn=3')) as Promise<MediaFile>;
    expect((responder.playlist(query('_HLS_msn=3')) as MediaFile).status).toBe(503);
    vi.advanceTimersByTime(5999);
    let status: number | undefined;
    void held.then((f) => {
      status = f.status;
    });
    await Promise.resolve();
    expect(status).toBeUndefined();
    vi.advanceTimersByTime(1);
    await Promise.resolve();
    await Promise.resolve();
    expect(status).toBe(503);
  });

  it('holds the preload-hinted part until it is cut; parts that are not next are not held', async () => {
    const { responder, feed } = publish();
    feed(1900);
    const hinted = responder.part(0, 9) as Promise<MediaFile>;
    expect(hinted).toBeInstanceOf(Promise);
    feed(2000);
    expect(Buffer.isBuffer((await hinted).body)).toBe(true);
    // Segment 0 ended at 2 s with 10 parts: there is no part 0-10; nor is a part far ahead waited for.
    expect(responder.part(0, 10)).toBeUndefined();
    expect(responder.part(1, 3)).toBeUndefined();
    expect(responder.part(9, 0)).toBeUndefined();
  });

  it('gives a delta update with _HLS_skip=YES: segments older than CAN-SKIP-UNTIL become EXT-X-SKIP', () => {
    const { stream, responder, feed } = publish();
    feed(16_100);
    // Old segments stay whole; their parts, listed nowhere any more, are not kept twice.
    expect(stream.segment(0)?.data.length).toBeGreaterThan(0);
    expect(stream.part(0, 0)).toBeUndefined();
    expect(stream.part(4, 0)).toBeDefined();
    const full = body(responder.playlist(query('')));
    const delta = body(responder.playlist(query('_HLS_skip=YES')));
    // 8 segments of 2 s + 100 ms open; the boundary is 12 s from the end: segments 0 and 1 end before it.
    expect(delta).toContain('#EXT-X-SKIP:SKIPPED-SEGMENTS=2');
    expect(delta).not.toContain('seg-1.m4s');
    expect(delta).toContain('seg-2.m4s');
    expect(full).not.toContain('EXT-X-SKIP');
    expect(delta.split('#EXT-X-SKIP:SKIPPED-SEGMENTS=2\n')[1]).toBe(full.split('seg-1.m4s\n')[1]);
  });

  it('continues the timeline where a returning publisher stopped; new codec settings get a discontinuity and a new init', () => {
    const { stream, responder, feed, republish } = publish();
    feed(4100);
    republish(500);
    feed(2100);
    let text = body(responder.playlist(query('')));
    expect(text).not.toContain('#EXT-X-DISCONTINUITY');
    expect(text.match(/#EXT-X-MAP:/g)).toHaveLength(1);
    // Across the pause each track goes on where it stopped: video exactly, audio within a video frame (50 ms:
    // the new publisher's audio restarts at its first keyframe).
    const ends = new Map<number, number>();
    for (const segment of stream.windowSegments) {
      for (const run of runs(segment.data)) {
        if (ends.has(run.track))
          expect(Math.abs(run.start - ends.get(run.track)!)).toBeLessThanOrEqual(run.track === 1 ? 0 : 2400);
        ends.set(run.track, run.start + run.duration);
      }
    }
    const avcc = Buffer.from(AVCC_720);
    avcc[3] = 0x20; // another level: another configuration record
    republish(500, avcc);
    feed(2100);
    text = body(responder.playlist(query('')));
    expect(text.match(/#EXT-X-DISCONTINUITY\n/g)).toHaveLength(1);
    expect(text).toContain('#EXT-X-MAP:URI="init-1.mp4"');
    expect(stream.init('init-0.mp4')).toBeDefined();
    expect(stream.init('init-1.mp4')?.includes(avcc)).toBe(true);
  });

  it('starts over with both tracks when the audio header comes after the first keyframe (MPEG-TS ingest)', () => {
    const clock = { now: T0 };
    const source = new StreamSource(key, publisher, sourceOptions(clock));
    const stream = new LlHlsStream(key, { fragmentMs: 2000, partMs: 200, windowMs: 20_000, now: () => clock.now });
    stream.attach(source);
    source.push(packet({ kind: 'video', codec: 'h264', sequenceHeader: true, payload: AVCC_720 }));
    for (let dts = 0; dts <= 3100; dts += 50) {
      if (dts === 300)
        source.push(packet({ kind: 'audio', codec: 'aac', sequenceHeader: true, payload: ASC_48K_STEREO }));
      if (dts >= 300) source.push(packet({ kind: 'audio', codec: 'aac', dts, pts: dts, payload: Buffer.alloc(20, 2) }));
      clock.now = T0 + dts;
      source.push(packet({ kind: 'video', codec: 'h264', dts, pts: dts, keyframe: dts % 1000 === 0 }));
    }
    // The video-only start was dropped: segment 0 starts at the keyframe at 1 s, with both tracks.
    const [first] = stream.windowSegments;
    expect(first.msn).toBe(0);
    expect(first.initName).toBe('init-1.mp4');
    expect(first.discontinuity).toBe(false);
    expect(runs(first.parts[0].data).map((r) => r.track)).toEqual([1, 2]);
    expect(runs(first.parts[0].data)[0].start).toBe(90_000);
  });

  it('a segmenter that throws ends its own playlist, answers held requests and leaves the stream running', async () => {
    const { source, stream, responder, feed } = publish();
    feed(2500);
    const held = responder.playlist(query('_HLS_msn=2')) as Promise<MediaFile>;
    vi.spyOn(LlHlsTracks.prototype, 'push').mockImplementation(() => {
      throw new Error('boom');
    });
    feed(2600);
    expect(stream.ended).toBe(true);
    expect(stream.isLive).toBe(false);
    expect(String((await held).body)).toContain('#EXT-X-ENDLIST');
    expect(source.isEnded).toBe(false);
  });

  it('ends with EXT-X-ENDLIST and answers held requests with the final playlist', async () => {
    const { source, responder, feed } = publish();
    feed(3000);
    const held = responder.playlist(query('_HLS_msn=2')) as Promise<MediaFile>;
    source.end();
    const text = String((await held).body);
    expect(text.trimEnd().endsWith('#EXT-X-ENDLIST')).toBe(true);
    expect(text).not.toContain('PRELOAD-HINT');
  });

  it('without low latency serves a plain fMP4 playlist: no parts, no server control, blocking ignored', () => {
    const { responder, feed } = publish({ partMs: 0 });
    feed(4100);
    const text = body(responder.playlist(query('_HLS_msn=9')));
    expect(text).toContain('#EXT-X-VERSION:7');
    expect(text).toContain('#EXT-X-MAP:URI="init-0.mp4"');
    expect(text).not.toMatch(/EXT-X-(PART|SERVER-CONTROL|PRELOAD-HINT)/);
    expect(text.match(/seg-\d+\.m4s/g)).toEqual(['seg-0.m4s', 'seg-1.m4s']);
  });
});
