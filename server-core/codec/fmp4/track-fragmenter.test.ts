import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findBox, parseTfdt, parseTrun, readBoxes } from './box-reader.js';
import { NON_SYNC_SAMPLE_FLAGS, SYNC_SAMPLE_FLAGS, writeMediaSegment } from './media-segment.js';
import { ASC_48K_STEREO, AVCC_720 } from './test-fixtures.js';
import type { Fmp4Fragment } from './track.js';
import { describeTrack } from './track-description.js';
import { type TimedSample, TrackFragmenter } from './track-fragmenter.js';

const VIDEO = describeTrack(1, 'h264', AVCC_720);
const AUDIO = describeTrack(2, 'aac', ASC_48K_STEREO);

const frame = (dts: number, keyframe = false, cto = 0, size = 10): TimedSample => ({
  dts,
  pts: dts + cto,
  keyframe,
  data: Buffer.alloc(size, dts & 0xff),
});

/** Parses one moof+mdat back: per traf its tfdt and samples, each with the bytes its data offset points at. */
function parse(segment: Buffer) {
  const boxes = readBoxes(segment);
  expect(boxes.map((b) => b.type)).toEqual(['moof', 'mdat']);
  const moof = boxes[0];
  const mdat = boxes[1];
  return (moof.children ?? [])
    .filter((b) => b.type === 'traf')
    .map((traf) => {
      const children = traf.children ?? [];
      const trun = parseTrun(findBox(children, 'trun')!);
      let offset = moof.start + (trun.dataOffset ?? 0);
      const samples = trun.samples.map((s) => {
        const data = segment.subarray(offset, offset + (s.size ?? 0));
        expect(offset).toBeGreaterThanOrEqual(mdat.start + mdat.headerSize);
        expect(offset + (s.size ?? 0)).toBeLessThanOrEqual(mdat.start + mdat.size);
        offset += s.size ?? 0;
        return { ...s, data };
      });
      return { tfdt: parseTfdt(findBox(children, 'tfdt')!), samples };
    });
}

describe('TrackFragmenter', () => {
  it('takeUntil: samples before the cut, durations to the next sample, the last one up to the cut', () => {
    const f = new TrackFragmenter(VIDEO);
    for (const dts of [0, 40, 80, 120]) f.push(frame(dts, dts === 0, dts === 0 ? 0 : 80));
    f.push(frame(200, true));
    const fragment = f.takeUntil(200)!;
    expect(fragment.baseMediaDecodeTime).toBe(0);
    expect(fragment.samples.map((s) => s.duration)).toEqual([3600, 3600, 3600, 7200]);
    expect(fragment.samples.map((s) => s.compositionOffset)).toEqual([0, 7200, 7200, 7200]);
    expect(fragment.samples.map((s) => s.keyframe)).toEqual([true, false, false, false]);
    expect(f.pendingCount).toBe(1);
    // The keyframe that started the next segment is its first sample, at the cut.
    expect(f.takeUntil(240)).toMatchObject({ baseMediaDecodeTime: 18_000, samples: [{ duration: 3600 }] });
    expect(f.takeUntil(300)).toBeUndefined();
  });

  it('takeReady: holds the last sample back until its successor arrives; final takes it with the last duration', () => {
    const f = new TrackFragmenter(AUDIO, 1000);
    f.push(frame(1000));
    expect(f.takeReady()).toBeUndefined();
    f.push(frame(1021));
    f.push(frame(1043));
    const first = f.takeReady()!;
    // Origin 1000 ms is media time 0; 21 ms and 22 ms at 48 kHz.
    expect(first).toMatchObject({ trackId: 2, baseMediaDecodeTime: 0 });
    expect(first.samples.map((s) => s.duration)).toEqual([1008, 1056]);
    expect(first.samples.every((s) => s.keyframe)).toBe(true);
    const last = f.takeReady(true)!;
    expect(last.baseMediaDecodeTime).toBe(2064);
    expect(last.samples.map((s) => s.duration)).toEqual([1056]);
    expect(f.takeReady(true)).toBeUndefined();
  });

  it("uses the codec's frame duration when nothing else is known, and never a zero or negative one", () => {
    const audio = new TrackFragmenter(AUDIO);
    audio.push(frame(0));
    expect(audio.takeReady(true)?.samples[0].duration).toBe(1024);
    const video = new TrackFragmenter(VIDEO);
    video.push(frame(0, true));
    expect(video.pendingEndMs()).toBeCloseTo(33.33, 2);
    video.push(frame(0));
    video.push(frame(40));
    expect(video.pendingEndMs()).toBe(80);
    const fragment = video.takeReady(true)!;
    expect(fragment.samples.map((s) => s.duration)).toEqual([3000, 3600, 3600]);
  });

  it('round-trips through moof/mdat: tfdt, durations, sizes, composition offsets, sync flags, data offsets', () => {
    const sample = fc.record({
      gap: fc.integer({ min: 1, max: 100 }),
      cto: fc.integer({ min: -50, max: 200 }),
      keyframe: fc.boolean(),
      size: fc.integer({ min: 1, max: 200 }),
    });
    fc.assert(
      fc.property(
        fc.array(sample, { minLength: 1, maxLength: 20 }),
        fc.array(sample, { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 0, max: 1e7 }),
        (videoIn, audioIn, start) => {
          const tracks = [new TrackFragmenter(VIDEO, start), new TrackFragmenter(AUDIO, start)];
          const inputs = [videoIn, audioIn].map((list, t) => {
            let dts = start;
            return list.map((s) => {
              dts += s.gap;
              const timed = frame(dts, s.keyframe, t === 0 ? s.cto : 0, s.size);
              tracks[t].push(timed);
              return timed;
            });
          });
          const end = Math.max(...inputs.map((list) => list[list.length - 1].dts)) + 1;
          const fragments = tracks.map((t) => t.takeUntil(end)).filter((f): f is Fmp4Fragment => f !== undefined);
          const parsed = parse(writeMediaSegment(3, fragments));
          parsed.forEach((traf, t) => {
            const track = tracks[t];
            const input = inputs[t];
            expect(traf.tfdt).toBe(track.toTimescale(input[0].dts));
            let time = traf.tfdt;
            traf.samples.forEach((s, i) => {
              const next = input[i + 1] ? track.toTimescale(input[i + 1].dts) : track.toTimescale(end);
              expect(time).toBe(track.toTimescale(input[i].dts));
              expect(s.duration).toBe(next - time);
              expect(s.data.equals(input[i].data)).toBe(true);
              expect(s.compositionOffset).toBe(track.toTimescale(input[i].pts) - time);
              const sync = t === 1 || input[i].keyframe;
              expect(s.flags).toBe(sync ? SYNC_SAMPLE_FLAGS : NON_SYNC_SAMPLE_FLAGS);
              time += s.duration ?? 0;
            });
          });
        },
      ),
    );
  });
});
