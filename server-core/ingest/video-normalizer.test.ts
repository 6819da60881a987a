import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAvcDecoderConfig } from '../codec/h264/avcc.js';
import { parseH264Sps } from '../codec/h264/sps.js';
import { parseHevcDecoderConfig } from '../codec/hevc/hvcc.js';
import { parseHevcSps } from '../codec/hevc/sps.js';
import { joinAnnexB } from '../codec/nal/annexb.js';
import { splitLengthPrefixed } from '../codec/nal/length-prefixed.js';
import type { MediaPacket } from '../hub/media-packet.js';
import { accessUnitsByAud, fixture, pesOf, summarize } from './test-support.js';
import { MAX_NAL_UNITS_PER_ACCESS_UNIT, VideoNormalizer } from './video-normalizer.js';

const h264Type = (n: Buffer) => n[0] & 0x1f;
const hevcType = (n: Buffer) => (n[0] >> 1) & 0x3f;

/** Pushes every PES of a fixture's video stream, dts/pts as 90 kHz ticks / 90 (exact for these 25 fps files). */
function normalizeFixture(name: string, codec: 'h264' | 'hevc') {
  const normalizer = new VideoNormalizer({ codec });
  const pes = pesOf(name, codec);
  const first = pes[0].dts!;
  const packets = pes.flatMap((e) => normalizer.pushAnnexB(e.data, (e.dts! - first) / 90, (e.pts! - first) / 90));
  return { normalizer, packets, pes };
}

const frames = (packets: MediaPacket[]) => packets.filter((p) => !p.sequenceHeader);
const headers = (packets: MediaPacket[]) => packets.filter((p) => p.sequenceHeader);

describe('VideoNormalizer, H.264 from ffmpeg', () => {
  const { normalizer, packets } = normalizeFixture('h264-aac.m2ts', 'h264');

  it('emits one avcC sequence header first, then all 50 frames', () => {
    expect(packets).toHaveLength(51);
    expect(packets[0]).toMatchObject({ kind: 'video', codec: 'h264', sequenceHeader: true, keyframe: true, dts: 0 });
    expect(headers(packets)).toHaveLength(1);
    expect(normalizer.stats).toEqual({ accessUnits: 50, frames: 50, keyframes: 2, sequenceHeaders: 1, configOnly: 0 });
  });

  it('synthesizes a record that parses, whose SPS says 320x240', () => {
    const config = parseAvcDecoderConfig(packets[0].payload);
    expect(config.lengthSize).toBe(4);
    expect(config.sps).toHaveLength(1);
    expect(config.pps).toHaveLength(1);
    const sps = parseH264Sps(config.sps[0]);
    expect([sps.width, sps.height]).toEqual([320, 240]);
    expect(config.profileIdc).toBe(sps.profileIdc);
    expect(normalizer.decoderConfig).toBe(packets[0].payload);
  });

  it('marks the IDR of every GOP (frames 0 and 25) and nothing else as keyframe', () => {
    const keyIndexes = frames(packets).flatMap((p, i) => (p.keyframe ? [i] : []));
    expect(keyIndexes).toEqual([0, 25]);
    expect(frames(packets)[25].dts).toBe(1000);
  });

  it('writes length-prefixed slices and SEI without parameter sets or AUDs', () => {
    for (const p of frames(packets)) {
      const types = splitLengthPrefixed(p.payload, 4).map(h264Type);
      expect(types.length).toBeGreaterThan(0);
      expect(types.filter((t) => t === 7 || t === 8 || t === 9)).toEqual([]);
      expect(types.includes(5)).toBe(p.keyframe);
    }
  });

  it('keeps timestamps in ms, 40 ms apart', () => {
    expect(frames(packets).map((p) => p.dts)).toEqual(Array.from({ length: 50 }, (_, i) => i * 40));
  });
});

describe('VideoNormalizer, B-frames', () => {
  it('passes pts != dts through (H.264 -bf 2)', () => {
    const { packets } = normalizeFixture('h264-bframes.m2ts', 'h264');
    const coded = frames(packets);
    expect(coded).toHaveLength(50);
    expect(coded.some((p) => p.pts !== p.dts)).toBe(true);
    expect(coded.every((p) => p.pts >= p.dts)).toBe(true);
    const pts = coded.map((p) => p.pts).sort((a, b) => a - b);
    expect(pts).toEqual(Array.from({ length: 50 }, (_, i) => pts[0] + i * 40));
  });
});

describe('VideoNormalizer, HEVC from ffmpeg', () => {
  const { packets, normalizer } = normalizeFixture('hevc-aac.m2ts', 'hevc');

  it('emits an hvcC with VPS/SPS/PPS whose SPS says 320x240', () => {
    expect(packets[0]).toMatchObject({ codec: 'hevc', sequenceHeader: true, keyframe: true });
    const config = parseHevcDecoderConfig(packets[0].payload);
    expect([config.vps.length, config.sps.length, config.pps.length]).toEqual([1, 1, 1]);
    const sps = parseHevcSps(config.sps[0]);
    expect([sps.width, sps.height]).toEqual([320, 240]);
    expect(config.generalProfileIdc).toBe(sps.generalProfileIdc);
  });

  it('emits 50 frames, keyframes (IRAP) at the GOP, pts != dts', () => {
    const coded = frames(packets);
    expect(coded).toHaveLength(50);
    // In decode order the second IRAP comes before the two B-frames shown ahead of it.
    const keys = coded.filter((p) => p.keyframe);
    expect(keys.map((p) => p.pts - keys[0].pts)).toEqual([0, 1000]);
    expect(coded.indexOf(keys[0])).toBe(0);
    expect(coded.some((p) => p.pts !== p.dts)).toBe(true);
    for (const p of coded) {
      const types = splitLengthPrefixed(p.payload, 4).map(hevcType);
      expect(types.filter((t) => t >= 32 && t <= 35)).toEqual([]);
      expect(types.some((t) => t >= 16 && t <= 23)).toBe(p.keyframe);
    }
    expect(normalizer.stats.sequenceHeaders).toBe(1);
  });
});

describe('VideoNormalizer, configuration changes', () => {
  for (const codec of ['h264', 'hevc'] as const) {
    it(`re-emits the ${codec} record when the SPS changes (320x240 -> 160x120)`, () => {
      const normalizer = new VideoNormalizer({ codec });
      const units = accessUnitsByAud(fixture(`size-change.${codec}`), codec);
      expect(units).toHaveLength(20);
      const packets = units.flatMap((nals, i) => normalizer.pushNalUnits(nals, i * 40));
      const seq = headers(packets);
      expect(seq.map((p) => p.dts)).toEqual([0, 400]);
      const sizes = seq.map((p) => {
        if (codec === 'h264') {
          const sps = parseH264Sps(parseAvcDecoderConfig(p.payload).sps[0]);
          return [sps.width, sps.height];
        }
        const sps = parseHevcSps(parseHevcDecoderConfig(p.payload).sps[0]);
        return [sps.width, sps.height];
      });
      expect(sizes).toEqual([
        [320, 240],
        [160, 120],
      ]);
      // The header comes right before the keyframe that needs it.
      const at = packets.indexOf(seq[1]);
      expect(packets[at + 1]).toMatchObject({ keyframe: true, sequenceHeader: false, dts: 400 });
      expect(frames(packets).flatMap((p, i) => (p.keyframe ? [i] : []))).toEqual([0, 5, 10, 15]);
    });
  }

  it('gives the same packets for split NAL units as for Annex B', () => {
    const units = accessUnitsByAud(fixture('size-change.h264'), 'h264');
    const a = new VideoNormalizer({ codec: 'h264' });
    const b = new VideoNormalizer({ codec: 'h264' });
    const fromNals = units.flatMap((nals, i) => a.pushNalUnits(nals, i * 40));
    const fromAnnexB = units.flatMap((nals, i) => b.pushAnnexB(joinAnnexB(nals), i * 40));
    expect(summarize(fromAnnexB)).toEqual(summarize(fromNals));
  });

  it('takes parameter sets sent in an access unit of their own', () => {
    const [first, ...rest] = accessUnitsByAud(fixture('size-change.h264'), 'h264');
    const normalizer = new VideoNormalizer({ codec: 'h264' });
    const sets = first.filter((n) => h264Type(n) === 7 || h264Type(n) === 8);
    const picture = first.filter((n) => h264Type(n) !== 7 && h264Type(n) !== 8);
    expect(normalizer.pushNalUnits(sets, 0)).toEqual([]);
    expect(normalizer.stats.configOnly).toBe(1);
    const out = normalizer.pushNalUnits(picture, 0);
    expect(out.map((p) => p.sequenceHeader)).toEqual([true, false]);
    expect(normalizer.pushNalUnits(rest[0], 40)).toHaveLength(1);
  });
});

describe('VideoNormalizer, waiting and dropping', () => {
  const units = accessUnitsByAud(fixture('size-change.h264'), 'h264');
  const stripSets = (nals: Buffer[]) => nals.filter((n) => h264Type(n) !== 7 && h264Type(n) !== 8);

  it('emits nothing before the first keyframe, and counts why', () => {
    const normalizer = new VideoNormalizer({ codec: 'h264' });
    const out = units.slice(1, 5).flatMap((nals, i) => normalizer.pushNalUnits(nals, i * 40));
    expect(out).toEqual([]);
    expect(normalizer.drops.get('waiting-for-keyframe')).toBe(4);
    expect(normalizer.pushNalUnits(units[5], 200).map((p) => p.sequenceHeader)).toEqual([true, false]);
  });

  it('drops a keyframe without parameter sets until one comes with them', () => {
    const normalizer = new VideoNormalizer({ codec: 'h264' });
    expect(normalizer.pushNalUnits(stripSets(units[0]), 0)).toEqual([]);
    expect(normalizer.drops.get('no-parameter-sets')).toBe(1);
    expect(normalizer.pushNalUnits(units[0], 0)).toHaveLength(2);
  });

  it('waits for the next keyframe after reset() and does not repeat an unchanged record', () => {
    const normalizer = new VideoNormalizer({ codec: 'h264' });
    normalizer.pushNalUnits(units[0], 0);
    normalizer.reset();
    expect(normalizer.pushNalUnits(units[1], 40)).toEqual([]);
    expect(normalizer.pushNalUnits(units[5], 200).map((p) => p.sequenceHeader)).toEqual([false]);
  });

  it('counts a bad SPS and keeps the good configuration', () => {
    const normalizer = new VideoNormalizer({ codec: 'h264' });
    normalizer.pushNalUnits(units[0], 0);
    const out = normalizer.pushNalUnits([Buffer.from([0x67, 0xff]), ...units[1]], 40);
    expect(out.map((p) => p.sequenceHeader)).toEqual([false]);
    expect(normalizer.drops.get('bad-parameter-set')).toBe(1);
  });

  it('drops bad timestamps, forbidden_zero_bit and oversized NAL counts', () => {
    const normalizer = new VideoNormalizer({ codec: 'h264' });
    expect(normalizer.pushNalUnits(units[0], Number.NaN)).toEqual([]);
    expect(normalizer.pushNalUnits(units[0], 1.5)).toEqual([]);
    expect(normalizer.pushNalUnits(units[0], 40, 0)).toEqual([]);
    expect(normalizer.drops.get('bad-timestamp')).toBe(3);
    expect(normalizer.pushNalUnits([Buffer.from([0x85, 0x00])], 0)).toEqual([]);
    expect(normalizer.drops.get('malformed')).toBe(1);
    const many = Array.from({ length: MAX_NAL_UNITS_PER_ACCESS_UNIT + 1 }, () => Buffer.from([0x06, 0x05]));
    expect(normalizer.pushNalUnits(many, 0)).toEqual([]);
    expect(normalizer.drops.get('too-large')).toBe(1);
  });
});

describe('VideoNormalizer never throws', () => {
  const units = accessUnitsByAud(fixture('size-change.hevc'), 'hevc');

  for (const codec of ['h264', 'hevc'] as const) {
    it(`on random bytes and random NAL units (${codec})`, () => {
      fc.assert(
        fc.property(
          fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 }),
          fc.array(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 6 }), { maxLength: 6 }),
          (annexB, nalAus) => {
            const normalizer = new VideoNormalizer({ codec });
            for (const bytes of annexB) normalizer.pushAnnexB(Buffer.from(bytes), 0);
            for (const au of nalAus) {
              normalizer.pushNalUnits(
                au.map((n) => Buffer.from(n)),
                0,
              );
            }
          },
        ),
      );
    });
  }

  it('on truncated and corrupted real access units', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: units.length - 1 }),
        fc.nat(),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        (index, cut, flips) => {
          const bytes = Buffer.from(joinAnnexB(units[index]));
          for (const [at, value] of flips) bytes[at % bytes.length] = value;
          const normalizer = new VideoNormalizer({ codec: 'hevc' });
          normalizer.pushAnnexB(bytes.subarray(0, cut % (bytes.length + 1)), 0);
          normalizer.pushAnnexB(joinAnnexB(units[0]), 0);
          for (const p of normalizer.pushAnnexB(bytes, 40)) {
            if (!p.sequenceHeader) expect(splitLengthPrefixed(p.payload, 4).length).toBeGreaterThan(0);
          }
        },
      ),
    );
  });
});
