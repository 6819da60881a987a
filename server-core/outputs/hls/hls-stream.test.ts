import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StreamRegistry } from '../../hub/stream-registry.js';
import type { StreamSource } from '../../hub/stream-source.js';
import { audio, header, sourceOptions, video } from '../../hub/test-support.js';
import type { HlsSegment } from './hls-segment.js';
import { HlsStream, type HlsStreamOptions } from './hls-stream.js';

const key = { vhost: '__defaultVhost__', app: 'live', stream: 'cam' };
const publisher = (cid: string) => ({ cid, protocol: 'test', ip: '127.0.0.1', query: '', disconnect: () => {} });
/** Wall clock at the start of each test (an arbitrary instant, unrelated to media timestamps). */
const T0 = Date.parse('2024-05-01T12:00:00.000Z') + 12_345;
const FRAME_MS = 40;

/** A video frame with one real (tiny) NAL unit, length-prefixed as in the AVC record: IDR or non-IDR slice. */
function frame(dts: number, keyframe: boolean) {
  return { ...video(dts, keyframe), payload: Buffer.from([0, 0, 0, 4, keyframe ? 0x65 : 0x41, 0x88, 0x84, 0x00]) };
}

/** PIDs of a segment's 188-byte packets (throws on a lost sync byte, as a demuxer would give up). */
function tsPids(data: Buffer): number[] {
  expect(data.length % 188).toBe(0);
  const pids: number[] = [];
  for (let i = 0; i < data.length; i += 188) {
    expect(data[i]).toBe(0x47);
    pids.push(data.readUInt16BE(i + 1) & 0x1fff);
  }
  return pids;
}

interface ParsedSegment {
  name: string;
  durationMs: number;
  discontinuity: boolean;
  programDateTime?: string;
}

/** Reads a media playlist the way a player does. */
function parsePlaylist(text: string) {
  const lines = text.trim().split('\n');
  const tag = (name: string) => lines.find((l) => l.startsWith(`#${name}:`))?.slice(name.length + 2);
  const segments: ParsedSegment[] = [];
  let pending: Partial<ParsedSegment> = {};
  for (const line of lines) {
    if (line === '#EXT-X-DISCONTINUITY') pending.discontinuity = true;
    else if (line.startsWith('#EXT-X-PROGRAM-DATE-TIME:')) pending.programDateTime = line.slice(25);
    else if (line.startsWith('#EXTINF:')) pending.durationMs = Math.round(Number.parseFloat(line.slice(8)) * 1000);
    else if (!line.startsWith('#')) {
      segments.push({ discontinuity: false, durationMs: Number.NaN, ...pending, name: line });
      pending = {};
    }
  }
  return {
    first: lines[0],
    targetDuration: Number(tag('EXT-X-TARGETDURATION')),
    mediaSequence: Number(tag('EXT-X-MEDIA-SEQUENCE')),
    discontinuitySequence: Number(tag('EXT-X-DISCONTINUITY-SEQUENCE') ?? 0),
    discontinuityTags: lines.filter((l) => l === '#EXT-X-DISCONTINUITY').length,
    ended: lines.includes('#EXT-X-ENDLIST'),
    segments,
  };
}

describe('HlsStream', () => {
  const clock = { now: T0 };
  let registry: StreamRegistry;
  let finished: HlsSegment[];
  let expired: string[];

  beforeEach(() => {
    vi.useFakeTimers();
    clock.now = T0;
    registry = new StreamRegistry(sourceOptions(clock, { publisherGraceMs: 10_000 }));
    finished = [];
    expired = [];
  });

  afterEach(() => {
    registry.close();
    vi.useRealTimers();
  });

  function hls(options: Partial<HlsStreamOptions> = {}): HlsStream {
    return new HlsStream(key, {
      fragmentMs: 2000,
      windowMs: 60_000,
      now: () => clock.now,
      onSegment: (_stream, segment) => finished.push(segment),
      onSegmentExpired: (_stream, segment) => expired.push(segment.name),
      ...options,
    });
  }

  /** Publishes (or continues) the stream; a new one is attached to `stream` before its first packet, as HlsOutput does. */
  function publish(
    cid: string,
    stream?: HlsStream,
    tracks: { video?: boolean; audio?: boolean } = { video: true, audio: true },
  ) {
    const source = registry.publish(key, publisher(cid));
    stream?.attach(source);
    if (tracks.video) source.push(header('video'));
    if (tracks.audio) source.push(header('audio'));
    return source;
  }

  /**
   * Feeds 25 fps video (and audio 20 ms after each frame) from `from` up to, not including, `to`; the wall clock
   * advances with the media, starting at `wallStart`. `isKey` says which frames are keyframes.
   */
  function feed(
    source: StreamSource,
    range: { from: number; to: number; wallStart: number },
    isKey: (dts: number) => boolean,
    tracks: { video?: boolean; audio?: boolean } = { video: true, audio: true },
  ) {
    for (let dts = range.from; dts < range.to; dts += FRAME_MS) {
      clock.now = range.wallStart + (dts - range.from);
      if (tracks.video) source.push(frame(dts, isKey(dts)));
      if (tracks.audio) source.push(audio(dts + 20));
    }
  }
  const every = (ms: number) => (dts: number) => dts % ms === 0;

  it('cuts segments only on keyframes, at the first one after hls.fragment, starting at the first keyframe', () => {
    const stream = hls({ fragmentMs: 2000 });
    const source = publish('pub', stream);
    // Keyframes every 1.2 s from 400 ms: a 2 s fragment can only end at 2.8 s, 5.2 s, 7.6 s.
    feed(source, { from: 0, to: 7640, wallStart: T0 }, (dts) => dts >= 400 && (dts - 400) % 1200 === 0);

    const playlist = parsePlaylist(stream.playlist());
    expect(playlist.first).toBe('#EXTM3U');
    expect(playlist.segments.map((s) => s.name)).toEqual(['cam-0.ts', 'cam-1.ts', 'cam-2.ts']);
    expect(playlist.segments.map((s) => s.durationMs)).toEqual([2400, 2400, 2400]);
    expect(playlist.targetDuration).toBe(3);
    expect(playlist.ended).toBe(false);
    // Each segment is MPEG-TS that stands alone: it starts with the PAT and carries audio and video.
    for (const segment of finished) {
      const pids = tsPids(segment.data);
      expect(pids[0]).toBe(0);
      expect(new Set(pids).size).toBeGreaterThanOrEqual(4); // PAT, PMT, video, audio
    }
    // The first segment starts at the first keyframe: its wall-clock time is when that frame arrived.
    expect(playlist.segments[0].programDateTime).toBe(new Date(T0 + 400).toISOString());
  });

  it('reports each finished segment once, in order, as the playlist lists it', () => {
    const stream = hls();
    const source = publish('pub', stream);
    feed(source, { from: 0, to: 8040, wallStart: T0 }, every(2000));
    expect(finished.map((s) => s.sequence)).toEqual([0, 1, 2, 3]);
    expect(finished.map((s) => s.name)).toEqual(parsePlaylist(stream.playlist()).segments.map((s) => s.name));
    for (const segment of finished) expect(stream.segment(segment.name)).toBe(segment);
    expect(stream.segment('cam-4.ts')).toBeUndefined(); // still being written
  });

  it('derives EXT-X-TARGETDURATION from the longest segment, never from the configured fragment', () => {
    const stream = hls({ fragmentMs: 2000 });
    const source = publish('pub', stream);
    // A keyframe arrives late once: that segment lasts 4.4 s.
    const keys = new Set([0, 2000, 6400, 8400, 10_400]);
    feed(source, { from: 0, to: 10_440, wallStart: T0 }, (dts) => keys.has(dts));
    const playlist = parsePlaylist(stream.playlist());
    expect(playlist.segments.map((s) => s.durationMs)).toEqual([2000, 4400, 2000, 2000]);
    expect(playlist.targetDuration).toBe(5);
    for (const s of playlist.segments) expect(Math.round(s.durationMs / 1000)).toBeLessThanOrEqual(5);
  });

  it('keeps a sliding window of hls.window, serves a few retired segments, then lets them go', () => {
    const stream = hls({ fragmentMs: 2000, windowMs: 6000 });
    const source = publish('pub', stream);
    feed(source, { from: 0, to: 20_040, wallStart: T0 }, every(2000));
    expect(finished).toHaveLength(10);

    const playlist = parsePlaylist(stream.playlist());
    expect(playlist.segments.map((s) => s.name)).toEqual(['cam-7.ts', 'cam-8.ts', 'cam-9.ts']);
    expect(playlist.mediaSequence).toBe(7);
    expect(playlist.segments.reduce((sum, s) => sum + s.durationMs, 0)).toBe(6000);
    // The first segment listed carries its own wall-clock time.
    expect(playlist.segments[0].programDateTime).toBe(new Date(T0 + 14_000).toISOString());
    expect(playlist.segments.slice(1).every((s) => s.programDateTime === undefined)).toBe(true);
    // Players that read the previous playlist can still fetch the segments that just left it.
    for (const name of ['cam-4.ts', 'cam-5.ts', 'cam-6.ts']) expect(stream.segment(name)?.name).toBe(name);
    expect(stream.segment('cam-3.ts')).toBeUndefined();
    expect(expired).toEqual(['cam-0.ts', 'cam-1.ts', 'cam-2.ts', 'cam-3.ts']);
    expect(stream.allSegments().map((s) => s.sequence)).toEqual([4, 5, 6, 7, 8, 9]);
  });

  it('cuts an audio-only stream after hls.fragment where PAT and PMT lead, so every segment stands alone', () => {
    const stream = hls({ fragmentMs: 2000 });
    const source = publish('pub', stream, { audio: true });
    feed(source, { from: 0, to: 6300, wallStart: T0 }, () => false, { audio: true });
    const playlist = parsePlaylist(stream.playlist());
    expect(playlist.segments).toHaveLength(3);
    // The muxer repeats its tables every half second: a cut waits at most that long past the fragment.
    for (const s of playlist.segments) expect(s.durationMs).toBeGreaterThanOrEqual(2000);
    for (const s of playlist.segments) expect(s.durationMs).toBeLessThanOrEqual(2000 + 500 + FRAME_MS);
    expect(playlist.segments[0].programDateTime).toBe(new Date(T0).toISOString());
    // RFC 8216 3.2: the first packets of a segment are PAT and PMT (a player may start at any segment).
    expect(finished.map((s) => tsPids(s.data)[0])).toEqual([0, 0, 0]);
  });

  it('continues the playlist after one EXT-X-DISCONTINUITY when a new publisher takes over in the grace window', () => {
    const stream = hls({ fragmentMs: 2000 });
    const first = publish('pub1', stream);
    feed(first, { from: 0, to: 5000, wallStart: T0 }, every(2000));
    expect(parsePlaylist(stream.playlist()).segments).toHaveLength(2);

    clock.now = T0 + 5000;
    registry.unpublish(first, 'pub1');
    // The segment in progress is finished (the last frame lasts as long as the one before it); no ENDLIST.
    let playlist = parsePlaylist(stream.playlist());
    expect(playlist.segments.map((s) => s.durationMs)).toEqual([2000, 2000, 1000]);
    expect(playlist.ended).toBe(false);
    expect(stream.isLive).toBe(true);

    // Two seconds later a new publisher continues, its own timestamps starting at 0 again.
    const wallBack = T0 + 7000;
    clock.now = wallBack;
    const second = publish('pub2');
    expect(second).toBe(first);
    feed(second, { from: 0, to: 4040, wallStart: wallBack }, every(2000));

    playlist = parsePlaylist(stream.playlist());
    expect(playlist.segments.map((s) => s.name)).toEqual(['cam-0.ts', 'cam-1.ts', 'cam-2.ts', 'cam-3.ts', 'cam-4.ts']);
    expect(playlist.segments.map((s) => s.discontinuity)).toEqual([false, false, false, true, false]);
    expect(playlist.discontinuityTags).toBe(1);
    expect(playlist.segments[3].durationMs).toBe(2000);
    // The new publisher's first segment says when it really started.
    expect(playlist.segments[3].programDateTime).toBe(new Date(wallBack).toISOString());
    expect(playlist.ended).toBe(false);
    expect(stream.hasEnded).toBe(false);

    // The real end: the last segment is finished and the playlist ends.
    clock.now = wallBack + 4040;
    registry.end(second);
    playlist = parsePlaylist(stream.playlist());
    expect(playlist.segments.map((s) => s.name).at(-1)).toBe('cam-5.ts');
    expect(playlist.ended).toBe(true);
    expect(playlist.discontinuityTags).toBe(1);
    expect(stream.hasEnded).toBe(true);
  });

  it('counts a discontinuity that left the window in EXT-X-DISCONTINUITY-SEQUENCE', () => {
    const stream = hls({ fragmentMs: 2000, windowMs: 4000 });
    const first = publish('pub1', stream);
    feed(first, { from: 0, to: 4040, wallStart: T0 }, every(2000));
    registry.unpublish(first, 'pub1');
    clock.now = T0 + 5000;
    const second = publish('pub2');
    feed(second, { from: 0, to: 4040, wallStart: T0 + 5000 }, every(2000));
    // The new publisher's first segment is now first in the window: it carries the discontinuity by sequence.
    let playlist = parsePlaylist(stream.playlist());
    expect(playlist.segments.map((s) => s.name)).toEqual(['cam-3.ts', 'cam-4.ts']);
    expect(playlist.discontinuityTags).toBe(0);
    expect(playlist.discontinuitySequence).toBe(1);
    feed(second, { from: 4040, to: 8040, wallStart: T0 + 9040 }, every(2000));
    playlist = parsePlaylist(stream.playlist());
    expect(playlist.segments.map((s) => s.name)).toEqual(['cam-5.ts', 'cam-6.ts']);
    expect(playlist.discontinuitySequence).toBe(1);
  });

  it('writes EXT-X-ENDLIST when the grace window expires, and never changes the playlist afterwards', async () => {
    const playlists: string[] = [];
    const stream = hls({ onPlaylist: (_s, text) => playlists.push(text) });
    const source = publish('pub1', stream);
    feed(source, { from: 0, to: 4040, wallStart: T0 }, every(2000));
    registry.unpublish(source, 'pub1');
    await vi.advanceTimersByTimeAsync(9_999);
    expect(parsePlaylist(stream.playlist()).ended).toBe(false);
    expect(stream.isLive).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    const ended = stream.playlist();
    expect(parsePlaylist(ended).ended).toBe(true);
    expect(playlists.at(-1)).toBe(ended);
    expect(stream.isLive).toBe(false);

    // A new publish is a new stream: this playlist cannot be continued, and stays as it was.
    const next = publish('pub2');
    expect(next).not.toBe(source);
    expect(() => stream.attach(next)).toThrow();
    feed(next, { from: 0, to: 4040, wallStart: T0 + 20_000 }, every(2000));
    stream.detach();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(stream.playlist()).toBe(ended);
    expect(playlists.filter((p) => parsePlaylist(p).ended)).toEqual([ended]);
  });

  it('continues the numbering of the playlist it replaces', () => {
    const stream = hls({ firstSequence: 17 });
    const source = publish('pub', stream);
    feed(source, { from: 0, to: 4040, wallStart: T0 }, every(2000));
    const playlist = parsePlaylist(stream.playlist());
    expect(playlist.mediaSequence).toBe(17);
    expect(playlist.segments.map((s) => s.name)).toEqual(['cam-17.ts', 'cam-18.ts']);
    expect(playlist.discontinuitySequence).toBe(0);
    expect(stream.sequenceAfter).toBe(20);
  });

  it('marks no discontinuity when the publisher that left had not produced a segment of this playlist', () => {
    // A playlist replacing an ended one starts at sequence 40; its first publisher leaves before a keyframe.
    const stream = hls({ firstSequence: 40 });
    const first = publish('pub1', stream);
    feed(first, { from: 0, to: 400, wallStart: T0 }, () => false);
    registry.unpublish(first, 'pub1');
    clock.now = T0 + 1000;
    const second = publish('pub2');
    feed(second, { from: 0, to: 4040, wallStart: T0 + 1000 }, every(2000));
    const playlist = parsePlaylist(stream.playlist());
    expect(playlist.segments.map((s) => s.name)).toEqual(['cam-40.ts', 'cam-41.ts']);
    expect(playlist.segments.map((s) => s.discontinuity)).toEqual([false, false]);
    expect(playlist.discontinuitySequence).toBe(0);
  });
});
