import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAudioSpecificConfig } from '../../codec/aac/audio-specific-config.js';
import { parseAvcDecoderConfig } from '../../codec/h264/avcc.js';
import { parseH264Sps } from '../../codec/h264/sps.js';
import { parseHevcDecoderConfig } from '../../codec/hevc/hvcc.js';
import { parseHevcSps } from '../../codec/hevc/sps.js';
import { TS_PACKET_SIZE } from '../../codec/mpegts/constants.js';
import { splitLengthPrefixed } from '../../codec/nal/length-prefixed.js';
import { parseOpusHead } from '../../codec/opus/opus-head.js';
import type { MediaPacket } from '../../hub/media-packet.js';
import { TS_TIMESTAMP_WRAP } from '../../ingest/clock.js';
import { fixture, ingest, isMonotonic, pesOf, splitAt, summarize } from '../../ingest/test-support.js';

const h264Ts = fixture('h264-aac.m2ts');
const hevcTs = fixture('hevc-aac.m2ts');

const video = (packets: MediaPacket[]) => packets.filter((p) => p.kind === 'video');
const audio = (packets: MediaPacket[]) => packets.filter((p) => p.kind === 'audio');
const media = (packets: MediaPacket[]) => packets.filter((p) => !p.sequenceHeader);

/** What every output must satisfy: integer ms, dts monotonic per kind, pts >= dts. */
function expectWellTimed(packets: MediaPacket[]) {
  for (const kind of ['video', 'audio'] as const) {
    const track = packets.filter((p) => p.kind === kind);
    expect(isMonotonic(track.map((p) => p.dts))).toBe(true);
    for (const p of track) {
      expect(Number.isInteger(p.dts) && Number.isInteger(p.pts)).toBe(true);
      expect(p.dts).toBeGreaterThanOrEqual(0);
      expect(p.pts).toBeGreaterThanOrEqual(p.dts);
    }
  }
}

describe('TsIngest, ffmpeg H.264 + AAC', () => {
  const { packets, stats, ingest: ts } = ingest(h264Ts);

  it('finds both tracks and emits every frame with one sequence header each', () => {
    expect(ts.tracks).toEqual({ video: { pid: 256, codec: 'h264' }, audio: { pid: 257, codec: 'aac' } });
    expect(media(video(packets))).toHaveLength(50);
    expect(media(audio(packets))).toHaveLength(88);
    expect(video(packets)[0].sequenceHeader).toBe(true);
    expect(audio(packets)[0].sequenceHeader).toBe(true);
    expect(packets.filter((p) => p.sequenceHeader)).toHaveLength(2);
    expect(stats).toMatchObject({ pes: 56, ignoredPes: 0, packets: 140, restarts: 0, streamChanges: 0 });
    expect(Object.values(stats.dropped).every((n) => n === 0)).toBe(true);
    expect(stats.demux.continuityErrors).toBe(0);
  });

  it('synthesizes an avcC whose SPS gives 320x240, and an ASC at 44.1 kHz', () => {
    const avcc = parseAvcDecoderConfig(video(packets)[0].payload);
    const sps = parseH264Sps(avcc.sps[0]);
    expect([sps.width, sps.height]).toEqual([320, 240]);
    expect(parseAudioSpecificConfig(audio(packets)[0].payload).sampleRate).toBe(44_100);
  });

  it('puts keyframes at the GOP (every 25 frames = 1 s) and starts near 0 ms', () => {
    const frames = media(video(packets));
    expect(frames.filter((p) => p.keyframe).map((p) => p.dts)).toEqual([0, 1000]);
    expect(frames.map((p) => p.dts)).toEqual(Array.from({ length: 50 }, (_, i) => i * 40));
    expectWellTimed(packets);
    // ffmpeg starts audio 23 ms before video: the first audio frame is held at 0, the rest keep the offset.
    expect(media(audio(packets))[2].dts).toBe(23);
  });

  it('writes video as length-prefixed NAL units', () => {
    for (const p of media(video(packets))) expect(splitLengthPrefixed(p.payload, 4).length).toBeGreaterThan(0);
  });
});

describe('TsIngest, other ffmpeg streams', () => {
  it('keeps B-frame composition offsets (libx264 -bf 2)', () => {
    const { packets } = ingest(fixture('h264-bframes.m2ts'));
    const frames = media(video(packets));
    expect(frames).toHaveLength(50);
    expect(frames.some((p) => p.pts > p.dts)).toBe(true);
    expectWellTimed(packets);
  });

  it('reads HEVC (libx265): hvcC with a 320x240 SPS, IRAP keyframes, B-frames', () => {
    const { packets, ingest: ts } = ingest(hevcTs);
    expect(ts.tracks.video).toEqual({ pid: 256, codec: 'hevc' });
    const header = video(packets)[0];
    expect(header.sequenceHeader).toBe(true);
    const sps = parseHevcSps(parseHevcDecoderConfig(header.payload).sps[0]);
    expect([sps.width, sps.height]).toEqual([320, 240]);
    const frames = media(video(packets));
    expect(frames).toHaveLength(50);
    expect(frames.filter((p) => p.keyframe)).toHaveLength(2);
    expect(frames.some((p) => p.pts > p.dts)).toBe(true);
    expectWellTimed(packets);
  });

  it('unwraps a 33-bit PTS wrap: same packets as the stream without it', () => {
    const wrapped = fixture('h264-wrap.m2ts');
    const pts = pesOf('h264-wrap.m2ts', 'h264').map((e) => e.pts!);
    expect(pts.some((t) => t > TS_TIMESTAMP_WRAP - 90_000)).toBe(true);
    expect(pts.some((t) => t < 90_000)).toBe(true);
    const { packets, stats } = ingest(wrapped);
    expect(stats.restarts).toBe(0);
    expect(summarize(packets)).toEqual(summarize(ingest(h264Ts).packets));
  });

  it('passes MP3 through, one frame per packet', () => {
    const { packets, ingest: ts } = ingest(fixture('mp3.m2ts'));
    expect(ts.tracks).toEqual({ audio: { pid: 256, codec: 'mp3' } });
    expect(packets).toHaveLength(40);
    expectWellTimed(packets);
  });

  it('passes Opus through after an OpusHead with the PMT channel count', () => {
    const { packets, ingest: ts } = ingest(fixture('opus.m2ts'));
    expect(ts.tracks.audio?.codec).toBe('opus');
    expect(packets[0].sequenceHeader).toBe(true);
    expect(parseOpusHead(packets[0].payload).channels).toBe(2);
    const frames = media(packets);
    expect(frames).toHaveLength(51);
    expect(frames.slice(1, 10).map((p, i) => p.dts - frames[i].dts)).toEqual(Array(9).fill(20));
  });
});

describe('TsIngest, any split of the input', () => {
  const whole = summarize(ingest(h264Ts).packets);

  it('gives identical packets for the TS split at random boundaries', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(h264Ts.length), { maxLength: 40 }), (cuts) => {
        expect(summarize(ingest(splitAt(h264Ts, cuts)).packets)).toEqual(whole);
      }),
      { numRuns: 40 },
    );
  });

  it('gives identical packets byte by byte at the start', () => {
    const head = h264Ts.subarray(0, 40 * TS_PACKET_SIZE);
    const bytes = [...head].map((b) => Buffer.from([b]));
    expect(summarize(ingest([...bytes, h264Ts.subarray(head.length)]).packets)).toEqual(whole);
  });
});

describe('TsIngest, restarted senders', () => {
  it('continues monotonic when the same sender starts again (timestamps jump back)', () => {
    const { packets, stats } = ingest([h264Ts, h264Ts]);
    expect(stats.restarts).toBe(1);
    expect(stats.streamChanges).toBe(0);
    const frames = media(video(packets));
    expect(frames).toHaveLength(100);
    expect(frames.filter((p) => p.keyframe)).toHaveLength(4);
    expect(frames[50].dts).toBeGreaterThan(frames[49].dts);
    expect(frames[50].dts - frames[49].dts).toBeLessThan(100);
    expect(media(audio(packets))).toHaveLength(176);
    // Same configuration: no second sequence header.
    expect(packets.filter((p) => p.sequenceHeader)).toHaveLength(2);
    expectWellTimed(packets);
  });

  it('follows a new sender with other streams (new PMT): new codec, new record, same timeline', () => {
    const { packets, stats, ingest: ts } = ingest([h264Ts, hevcTs]);
    expect(stats.streamChanges).toBe(1);
    expect(ts.tracks.video?.codec).toBe('hevc');
    const headers = video(packets).filter((p) => p.sequenceHeader);
    expect(headers.map((p) => p.codec)).toEqual(['h264', 'hevc']);
    // The demuxer drops the first sender's last (open) video PES when the PID changes codec.
    expect(media(video(packets))).toHaveLength(99);
    const firstHevc = video(packets).findIndex((p) => p.codec === 'hevc');
    expect(video(packets)[firstHevc + 1].keyframe).toBe(true);
    expect(video(packets)[firstHevc].dts).toBeGreaterThanOrEqual(1960);
    // The AAC stream stayed the same: its normalizer and configuration carry on.
    expect(audio(packets).filter((p) => p.sequenceHeader)).toHaveLength(1);
    expectWellTimed(packets);
  });
});

describe('TsIngest, lost and bad data', () => {
  it('drops what lost packets broke, counts it, and keeps going', () => {
    const packetCount = h264Ts.length / TS_PACKET_SIZE;
    const kept: Buffer[] = [];
    for (let i = 0; i < packetCount; i++) {
      if (i === 60 || i === 150) continue; // one P-frame packet in each GOP
      kept.push(h264Ts.subarray(i * TS_PACKET_SIZE, (i + 1) * TS_PACKET_SIZE));
    }
    const { packets, stats } = ingest(kept);
    expect(stats.demux.continuityErrors).toBeGreaterThan(0);
    expect(stats.demux.droppedPes).toBeGreaterThan(0);
    expect(media(video(packets)).length).toBeGreaterThan(0);
    expect(media(video(packets)).length).toBeLessThan(50);
    expectWellTimed(packets);
  });

  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 2000 }), { maxLength: 5 }), (chunks) => {
        ingest(chunks.map((c) => Buffer.from(c)));
      }),
    );
  });

  it('never throws on truncated or corrupted streams, and stays well timed', () => {
    fc.assert(
      fc.property(
        fc.nat(hevcTs.length),
        fc.array(fc.tuple(fc.nat(hevcTs.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 30 }),
        (cut, flips) => {
          const bytes = Buffer.from(hevcTs.subarray(0, cut));
          for (const [at, value] of flips) if (at < bytes.length) bytes[at] = value;
          expectWellTimed(ingest(bytes).packets);
        },
      ),
      { numRuns: 60 },
    );
  });
});
