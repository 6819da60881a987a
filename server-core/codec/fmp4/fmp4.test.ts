import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAudioSpecificConfig } from '../aac/audio-specific-config.js';
import { buildAvcDecoderConfig } from '../h264/avcc.js';
import { findBox, parseMdhd, parseTfdt, parseTkhd, parseTrun, readBoxes } from './box-reader.js';
import { Fmp4Error } from './fmp4-error.js';
import { writeInitSegment } from './init-segment.js';
import { writeMediaSegment } from './media-segment.js';
import type { Fmp4Track } from './track.js';

const hex = (s: string) => Buffer.from(s, 'hex');
const VIDEO: Fmp4Track = {
  id: 1,
  kind: 'video',
  codec: 'h264',
  timescale: 90_000,
  width: 1280,
  height: 720,
  config: buildAvcDecoderConfig([hex('6764001facd9405005bb0110000003001000000303c0f1831960')], [hex('68ebe3cb22c0')]),
};
const AUDIO: Fmp4Track = {
  id: 2,
  kind: 'audio',
  codec: 'aac',
  timescale: 48_000,
  sampleRate: 48_000,
  channels: 2,
  config: buildAudioSpecificConfig({ objectType: 2, sampleRate: 48000, channels: 2 }),
};

const sample = fc.record({
  duration: fc.integer({ min: 1, max: 6000 }),
  data: fc.uint8Array({ minLength: 1, maxLength: 300 }).map((a) => Buffer.from(a)),
  keyframe: fc.boolean(),
  compositionOffset: fc.integer({ min: -3000, max: 9000 }),
});

describe('fragmented MP4', () => {
  it('writes an init segment whose boxes parse back: brands, tracks, timescales, sizes, sample entries', () => {
    const init = writeInitSegment([VIDEO, AUDIO]);
    const boxes = readBoxes(init);
    expect(boxes.map((b) => b.type)).toEqual(['ftyp', 'moov']);
    expect(boxes.reduce((n, b) => n + b.size, 0)).toBe(init.length);
    const traks = findBox(boxes, 'moov')?.children?.filter((b) => b.type === 'trak') ?? [];
    expect(traks).toHaveLength(2);
    const videoTrak = traks[0].children ?? [];
    expect(parseTkhd(findBox(videoTrak, 'tkhd')!)).toEqual({ trackId: 1, width: 1280, height: 720 });
    expect(parseMdhd(findBox(videoTrak, 'mdia/mdhd')!).timescale).toBe(90_000);
    const stsd = findBox(videoTrak, 'mdia/minf/stbl/stsd')!;
    expect(stsd.payload.includes(Buffer.from('avc1'))).toBe(true);
    expect(stsd.payload.includes(VIDEO.config!)).toBe(true);
    const audioStsd = findBox(traks[1].children ?? [], 'mdia/minf/stbl/stsd')!;
    expect(audioStsd.payload.includes(Buffer.from('mp4a'))).toBe(true);
    expect(audioStsd.payload.includes(AUDIO.config!)).toBe(true);
    expect(findBox(boxes, 'moov/mvex')?.children?.filter((b) => b.type === 'trex')).toHaveLength(2);
  });

  it('writes fragments whose trun data offsets point at each sample inside the mdat', () => {
    fc.assert(
      fc.property(
        fc.array(sample, { minLength: 1, maxLength: 12 }),
        fc.array(sample, { minLength: 1, maxLength: 12 }),
        fc.nat(1e9),
        (video, audio, base) => {
          const segment = writeMediaSegment(7, [
            { trackId: 1, baseMediaDecodeTime: base, samples: video.map((s) => ({ ...s, size: s.data.length })) },
            {
              trackId: 2,
              baseMediaDecodeTime: base / 2,
              samples: audio.map((s) => ({ ...s, size: s.data.length, compositionOffset: 0 })),
            },
          ]);
          const boxes = readBoxes(segment);
          expect(boxes.map((b) => b.type)).toEqual(['moof', 'mdat']);
          const moof = boxes[0];
          const trafs = moof.children?.filter((b) => b.type === 'traf') ?? [];
          expect(trafs).toHaveLength(2);
          [video, audio].forEach((samples, t) => {
            const children = trafs[t].children ?? [];
            expect(parseTfdt(findBox(children, 'tfdt')!)).toBe(t === 0 ? base : Math.floor(base / 2));
            const trun = parseTrun(findBox(children, 'trun')!);
            expect(trun.sampleCount).toBe(samples.length);
            let offset = moof.start + (trun.dataOffset ?? 0);
            trun.samples.forEach((s, i) => {
              expect(s.duration).toBe(samples[i].duration);
              const size = s.size ?? -1;
              expect(size).toBe(samples[i].data.length);
              expect(segment.subarray(offset, offset + size).equals(samples[i].data)).toBe(true);
              if (t === 0) expect(s.compositionOffset).toBe(samples[i].compositionOffset);
              offset += size;
            });
          });
        },
      ),
    );
  });

  it('throws only Fmp4Error on random or truncated boxes', () => {
    const init = writeInitSegment([VIDEO]);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.nat(init.length), (random, cut) => {
        for (const input of [Buffer.from(random), init.subarray(0, cut)]) {
          try {
            readBoxes(input);
          } catch (error) {
            expect(error).toBeInstanceOf(Fmp4Error);
          }
        }
      }),
    );
  });
});
