import { describe, expect, it } from 'vitest';
import { findBox, parseTfdt, parseTrun, readBoxes, SYNC_SAMPLE_FLAGS } from '../../codec/fmp4/index.js';
import { ASC_48K_STEREO, AV1C_720, AVCC_720 } from '../../codec/fmp4/test-fixtures.js';
import type { MediaPacket } from '../../hub/media-packet.js';
import { StreamSource } from '../../hub/stream-source.js';
import { sourceOptions } from '../../hub/test-support.js';
import { DashStream } from './dash-stream.js';

const key = { vhost: '__defaultVhost__', app: 'live', stream: 'cam' };
const publisher = { cid: 'pub', protocol: 'test', ip: '127.0.0.1', query: '', disconnect: () => {} };
const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);

const packet = (p: Partial<MediaPacket> & Pick<MediaPacket, 'kind' | 'codec'>): MediaPacket => ({
  track: p.kind === 'video' ? 1 : p.kind === 'audio' ? 2 : 0,
  dts: 0,
  pts: 0,
  keyframe: false,
  sequenceHeader: false,
  payload: Buffer.alloc(100, 1),
  ...p,
});

/**
 * A publish on an injected clock: video at 20 fps (keyframe every `gopMs`) and AAC frames (1024 at 48 kHz) from
 * dts 0 to `lastVideoMs`; the clock follows the media time.
 */
function publish(
  opts: { gopMs?: number; lastVideoMs?: number; videoCodec?: 'h264' | 'av1'; audio?: boolean; windowMs?: number } = {},
) {
  const { gopMs = 1000, lastVideoMs = 9000, videoCodec = 'h264', audio = true, windowMs = 6000 } = opts;
  const clock = { now: T0 };
  const source = new StreamSource(key, publisher, sourceOptions(clock));
  const dash = new DashStream(key, { fragmentMs: 2000, windowMs, now: () => clock.now });
  dash.attach(source);
  const video = videoCodec !== undefined;
  if (video)
    source.push(
      packet({
        kind: 'video',
        codec: videoCodec,
        sequenceHeader: true,
        payload: videoCodec === 'av1' ? AV1C_720 : AVCC_720,
      }),
    );
  if (audio) source.push(packet({ kind: 'audio', codec: 'aac', sequenceHeader: true, payload: ASC_48K_STEREO }));
  const media: MediaPacket[] = [];
  for (let dts = 0; dts <= lastVideoMs; dts += 50)
    media.push(packet({ kind: 'video', codec: videoCodec, dts, pts: dts, keyframe: dts % gopMs === 0 }));
  if (audio)
    for (let i = 0; (i * 1024) / 48 <= lastVideoMs - 20; i++) {
      const dts = Math.round((i * 1024) / 48);
      media.push(packet({ kind: 'audio', codec: 'aac', dts, pts: dts, payload: Buffer.alloc(20, 2) }));
    }
  media.sort((a, b) => a.dts - b.dts || (a.kind === 'video' ? -1 : 1));
  const feed = (upToMs: number) => {
    while (media.length > 0 && media[0].dts <= upToMs) {
      const p = media.shift()!;
      clock.now = T0 + p.dts;
      source.push(p);
    }
  };
  return { clock, source, dash, feed };
}

const timeline = (mpd: string, kind: 'video' | 'audio') => {
  const set = mpd.split('<AdaptationSet').find((s) => s.includes(`contentType="${kind}"`)) ?? '';
  return [...set.matchAll(/<S( t="(\d+)")? d="(\d+)"\/>/g)].map((m) => ({
    t: m[2] ? Number(m[2]) : undefined,
    d: Number(m[3]),
  }));
};

describe('DashStream', () => {
  it('cuts a segment at the first keyframe past the target duration; every video segment starts with it', () => {
    const { dash, feed } = publish({ gopMs: 1500 });
    feed(9000);
    // Keyframes at 0, 1.5, 3, 4.5, 6, 7.5, 9 s; target 2 s: cuts at 3, 6 and 9 s.
    for (const [number, startMs, endMs] of [
      [1, 0, 3000],
      [2, 3000, 6000],
      [3, 6000, 9000],
    ]) {
      const boxes = readBoxes(dash.media('video', number)!);
      const traf = findBox(boxes, 'moof/traf')?.children ?? [];
      expect(parseTfdt(findBox(traf, 'tfdt')!)).toBe(startMs * 90);
      const trun = parseTrun(findBox(traf, 'trun')!);
      expect(trun.sampleCount).toBe(60);
      expect(trun.samples[0].flags).toBe(SYNC_SAMPLE_FLAGS);
      expect(trun.samples.reduce((n, s) => n + (s.duration ?? 0), 0)).toBe(3000 * 90);
      const audio = findBox(readBoxes(dash.media('audio', number)!), 'moof/traf')?.children ?? [];
      // Audio: the frames from the first one at or after the segment start, their durations running to the cut.
      const audioStart = parseTfdt(findBox(audio, 'tfdt')!);
      expect(audioStart).toBeGreaterThanOrEqual(startMs * 48);
      expect(audioStart).toBeLessThan(startMs * 48 + 1024);
      const audioSum = parseTrun(findBox(audio, 'trun')!).samples.reduce((n, s) => n + (s.duration ?? 0), 0);
      expect(audioStart + audioSum).toBe(endMs * 48);
    }
    expect(dash.media('video', 4)).toBeUndefined();
  });

  it('renders a live MPD from the injected clock: times, timeline, codecs, sliding window', () => {
    const { dash, clock, feed } = publish();
    expect(dash.manifest()).toBeUndefined();
    feed(4000);
    let mpd = dash.manifest()!;
    expect(mpd).toContain('type="dynamic"');
    expect(mpd).toContain(`availabilityStartTime="${new Date(T0).toISOString()}"`);
    expect(mpd).toContain(`publishTime="${new Date(clock.now).toISOString()}"`);
    expect(mpd).toContain(
      `<UTCTiming schemeIdUri="urn:mpeg:dash:utc:direct:2014" value="${new Date(clock.now).toISOString()}"/>`,
    );
    expect(mpd).toContain('timeShiftBufferDepth="PT6.000S"');
    expect(mpd).toContain('codecs="avc1.64001f" width="1280" height="720"');
    expect(mpd).toContain('codecs="mp4a.40.2" audioSamplingRate="48000"');
    expect(timeline(mpd, 'video')).toEqual([
      { t: 0, d: 180_000 },
      { t: undefined, d: 180_000 },
    ]);
    expect(timeline(mpd, 'audio')).toEqual([
      { t: 0, d: 96_000 },
      { t: undefined, d: 96_000 },
    ]);
    clock.now += 500;
    expect(dash.manifest()).toContain(`publishTime="${new Date(clock.now).toISOString()}"`);
    feed(9000);
    mpd = dash.manifest()!;
    // Segments end at 2, 4, 6, 8 s; the window keeps what ends within 6 s of the newest cut.
    expect(mpd).toContain('startNumber="2"');
    expect(timeline(mpd, 'video')).toEqual([
      { t: 180_000, d: 180_000 },
      { t: undefined, d: 180_000 },
      { t: undefined, d: 180_000 },
    ]);
    // A segment that just left the window is still served to players that were reading it.
    expect(dash.media('video', 1)).toBeDefined();
  });

  it('ends with a static MPD that includes the last, partial segment (a 9.05 s publish lasts PT9.050S)', () => {
    const { dash, source, feed } = publish({ lastVideoMs: 9000, windowMs: 30_000 });
    feed(9000);
    source.end();
    expect(dash.isLive).toBe(false);
    const mpd = dash.manifest()!;
    expect(mpd).toContain('type="static"');
    expect(mpd).toContain('mediaPresentationDuration="PT9.050S"');
    expect(mpd).not.toContain('UTCTiming');
    expect(mpd).not.toContain('availabilityStartTime');
    expect(mpd).toContain('startNumber="1"');
    // Four 2 s segments, then the final 8 s .. 9.05 s one.
    expect(timeline(mpd, 'video')).toEqual([
      { t: 0, d: 180_000 },
      ...[1, 2, 3].map(() => ({ t: undefined, d: 180_000 })),
      { t: undefined, d: 94_500 },
    ]);
    expect(timeline(mpd, 'audio').at(-1)).toEqual({ t: undefined, d: 50_400 });
    const last = readBoxes(dash.media('video', 5)!);
    const trun = parseTrun(findBox(last, 'moof/traf/trun')!);
    // 8.00 .. 9.00 s: 21 frames of 50 ms, the last one included.
    expect(trun.sampleCount).toBe(21);
    expect(trun.samples.every((s) => s.duration === 4500)).toBe(true);
    expect(dash.media('audio', 5)).toBeDefined();
  });

  it('carries AV1 video: av01 sample entry and codecs value', () => {
    const { dash, feed } = publish({ videoCodec: 'av1' });
    feed(3000);
    expect(dash.manifest()).toContain('codecs="av01.0.05M.08" width="1280" height="720"');
    const init = readBoxes(dash.init('video')!);
    const stsd = findBox(init, 'moov/trak/mdia/minf/stbl/stsd')!;
    expect(stsd.payload.includes(Buffer.from('av01av1C', 'latin1'))).toBe(false);
    expect(stsd.payload.includes(Buffer.from('av1C', 'latin1'))).toBe(true);
    expect(stsd.payload.includes(AV1C_720)).toBe(true);
    expect(dash.media('video', 1)).toBeDefined();
  });
});
