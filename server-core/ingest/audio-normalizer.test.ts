import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAdtsHeader, writeAdtsHeader } from '../codec/aac/adts.js';
import { parseAudioSpecificConfig } from '../codec/aac/audio-specific-config.js';
import { parseOpusHead } from '../codec/opus/opus-head.js';
import { AudioNormalizer, MAX_FRAMES_PER_PAYLOAD } from './audio-normalizer.js';
import { fixture, isMonotonic, pesOf } from './test-support.js';

const adts = fixture('mono-48k.aac');

/** ADTS frames of a buffer, headers included. */
function adtsFrames(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < buf.length; ) {
    const { frameLength } = parseAdtsHeader(buf.subarray(at));
    out.push(buf.subarray(at, at + frameLength));
    at += frameLength;
  }
  return out;
}

describe('AudioNormalizer, AAC', () => {
  it('turns the ffmpeg ADTS file into an ASC and 48 raw frames 1024 samples apart', () => {
    const normalizer = new AudioNormalizer({ codec: 'aac' });
    const packets = normalizer.pushAdts(adts, 1000);
    expect(packets).toHaveLength(49);
    expect(packets[0]).toMatchObject({ kind: 'audio', codec: 'aac', sequenceHeader: true, keyframe: false, dts: 1000 });
    const asc = parseAudioSpecificConfig(packets[0].payload);
    expect(asc).toMatchObject({ objectType: 2, sampleRate: 48_000, channels: 1 });
    const frames = packets.slice(1);
    expect(frames.map((p) => p.dts)).toEqual(frames.map((_, i) => 1000 + Math.round((i * 1024 * 1000) / 48_000)));
    expect(frames.every((p) => p.pts === p.dts && !p.sequenceHeader)).toBe(true);
    // Raw frames: the ADTS headers are gone.
    const withHeaders = adtsFrames(adts);
    expect(frames.map((p) => p.payload.length)).toEqual(withHeaders.map((f) => f.length - 7));
    expect(normalizer.stats).toEqual({ payloads: 1, frames: 48, sequenceHeaders: 1, skippedBytes: 0 });
  });

  it('gives the same frames one ADTS frame at a time', () => {
    const whole = new AudioNormalizer({ codec: 'aac' }).pushAdts(adts, 0);
    const one = new AudioNormalizer({ codec: 'aac' });
    const step = adtsFrames(adts).flatMap((f, i) => one.pushAdts(f, Math.round((i * 1024 * 1000) / 48_000)));
    expect(step).toEqual(whole);
  });

  it('reads the 44.1 kHz mono AAC of the TS fixture', () => {
    const normalizer = new AudioNormalizer({ codec: 'aac' });
    const packets = pesOf('h264-aac.m2ts', 'aac').flatMap((e) => normalizer.pushAdts(e.data, Math.round(e.pts! / 90)));
    expect(packets.filter((p) => !p.sequenceHeader)).toHaveLength(88);
    expect(parseAudioSpecificConfig(packets[0].payload)).toMatchObject({ sampleRate: 44_100, channels: 1 });
    expect(isMonotonic(packets.map((p) => p.dts))).toBe(true);
  });

  it('re-emits the sequence header when the configuration changes, and only then', () => {
    const normalizer = new AudioNormalizer({ codec: 'aac' });
    const raw = Buffer.alloc(20, 0x21);
    const mono = { objectType: 2, samplingFrequencyIndex: 3, sampleRate: 48_000, channelConfiguration: 1 };
    const stereo = { ...mono, channelConfiguration: 2 };
    const frame = (config: typeof mono) => Buffer.concat([writeAdtsHeader(config, raw.length), raw]);
    const out = [
      ...normalizer.pushAdts(frame(mono), 0),
      ...normalizer.pushAdts(frame(mono), 21),
      ...normalizer.pushAdts(Buffer.concat([frame(mono), frame(stereo)]), 43),
    ];
    expect(out.map((p) => (p.sequenceHeader ? 'S' : 'F'))).toEqual(['S', 'F', 'F', 'F', 'S', 'F']);
    expect(parseAudioSpecificConfig(out[4].payload).channels).toBe(2);
    expect(out[4].dts).toBe(64);
  });

  it('skips garbage to the next frame and drops a frame cut short, counting both', () => {
    const normalizer = new AudioNormalizer({ codec: 'aac' });
    const [a, b, c] = adtsFrames(adts);
    const data = Buffer.concat([
      Buffer.from([1, 2, 3, 0xff, 0x00]),
      a,
      Buffer.from([0xff, 0xf1, 9]),
      b,
      c.subarray(0, 20),
    ]);
    const frames = normalizer.pushAdts(data, 0).filter((p) => !p.sequenceHeader);
    expect(frames.map((p) => p.payload.length)).toEqual([a.length - 7, b.length - 7]);
    expect(frames.map((p) => p.dts)).toEqual([0, 21]);
    expect(normalizer.drops.get('malformed')).toBeGreaterThanOrEqual(3);
    expect(normalizer.stats.skippedBytes).toBeGreaterThanOrEqual(8);
  });

  it('takes raw frames with a known ASC (the RTP hook)', () => {
    const normalizer = new AudioNormalizer({ codec: 'aac' });
    const asc = Buffer.from([0x11, 0x88]); // LC 48 kHz mono
    const out = normalizer.pushAacFrames([Buffer.from([1]), Buffer.from([2]), Buffer.alloc(0)], asc, 100);
    expect(out.map((p) => [p.sequenceHeader, p.dts])).toEqual([
      [true, 100],
      [false, 100],
      [false, 121],
    ]);
    expect(normalizer.drops.get('malformed')).toBe(1);
    expect(normalizer.pushAacFrames([Buffer.from([3])], Buffer.from(asc), 150)).toHaveLength(1);
    expect(normalizer.pushAacFrames([Buffer.from([3])], Buffer.from([0xff]), 170)).toEqual([]);
  });

  it('caps the frames taken from one payload', () => {
    const normalizer = new AudioNormalizer({ codec: 'aac' });
    const [a] = adtsFrames(adts);
    const out = normalizer.pushAdts(Buffer.concat(Array.from({ length: MAX_FRAMES_PER_PAYLOAD + 5 }, () => a)), 0);
    expect(out.filter((p) => !p.sequenceHeader)).toHaveLength(MAX_FRAMES_PER_PAYLOAD);
    expect(normalizer.drops.get('too-large')).toBe(1);
  });
});

describe('AudioNormalizer, Opus and MP3 pass-through', () => {
  it('announces an OpusHead, then passes packets with TOC timing', () => {
    const normalizer = new AudioNormalizer({ codec: 'opus', opusChannels: 2 });
    // TOC 0xfc: CELT FB 20 ms, one frame; 0x78 + code 3 with 3 frames of SILK WB 20 ms.
    const out = normalizer.pushOpus(
      [Buffer.from([0xfc, 1]), Buffer.from([0x4b, 0x03, 2]), Buffer.from([0xfc, 3])],
      500,
    );
    expect(out.map((p) => [p.sequenceHeader, p.dts])).toEqual([
      [true, 500],
      [false, 500],
      [false, 520],
      [false, 580],
    ]);
    expect(parseOpusHead(out[0].payload)).toMatchObject({ channels: 2 });
    expect(normalizer.push(Buffer.from([0xfc, 4]), 600)).toHaveLength(1);
    expect(normalizer.pushOpus([Buffer.alloc(0)], 620)).toEqual([]);
    expect(normalizer.drops.get('malformed')).toBe(1);
  });

  it('counts Opus layouts it cannot describe as unsupported', () => {
    const normalizer = new AudioNormalizer({ codec: 'opus', opusChannels: 6 });
    expect(normalizer.pushOpus([Buffer.from([0xfc])], 0)).toEqual([]);
    expect(normalizer.drops.get('unsupported')).toBe(1);
  });

  it('splits the MP3 frames of the TS fixture, one packet each, 1152 samples apart', () => {
    const normalizer = new AudioNormalizer({ codec: 'mp3' });
    const packets = pesOf('mp3.m2ts', 'mp3').flatMap((e) => normalizer.push(e.data, Math.round(e.pts! / 90)));
    expect(packets).toHaveLength(40);
    expect(packets.every((p) => p.codec === 'mp3' && !p.sequenceHeader && p.payload[0] === 0xff)).toBe(true);
    const steps = packets.slice(1).map((p, i) => p.dts - packets[i].dts);
    expect(steps.every((s) => s >= 25 && s <= 27)).toBe(true); // 26.12 ms, rounded per PES
    expect(normalizer.drops.total).toBe(0);
  });
});

describe('AudioNormalizer never throws', () => {
  for (const codec of ['aac', 'mp3', 'opus'] as const) {
    it(`on random payloads (${codec})`, () => {
      fc.assert(
        fc.property(fc.array(fc.uint8Array({ maxLength: 400 }), { maxLength: 6 }), fc.nat(), (payloads, pts) => {
          const normalizer = new AudioNormalizer({ codec });
          for (const p of payloads) {
            for (const packet of normalizer.push(Buffer.from(p), pts)) expect(packet.dts).toBeGreaterThanOrEqual(pts);
          }
        }),
      );
    });
  }

  it('on truncated and corrupted ADTS', () => {
    fc.assert(
      fc.property(
        fc.nat(adts.length),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 10 }),
        (cut, flips) => {
          const bytes = Buffer.from(adts.subarray(0, cut));
          for (const [at, value] of flips) if (bytes.length > 0) bytes[at % bytes.length] = value;
          const normalizer = new AudioNormalizer({ codec: 'aac' });
          const out = normalizer.pushAdts(bytes, 0);
          expect(isMonotonic(out.map((p) => p.dts))).toBe(true);
        },
      ),
    );
  });
});
