import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RESTART_GAP_MS,
  IngestClock,
  RTP_TIMESTAMP_WRAP,
  type TrackClock,
  TS_CLOCK_RATE,
  TS_TIMESTAMP_WRAP,
  unwrapTicks,
} from './clock.js';
import { isMonotonic } from './test-support.js';

const MS = TS_CLOCK_RATE / 1000;

/** convert + settle, as an ingest does for a packet at a PES's time. */
function at(track: TrackClock, dts: number, pts?: number) {
  const time = track.convert(dts, pts);
  return time && track.settle(time.dts, time.pts);
}

describe('unwrapTicks', () => {
  it('picks the value nearest the reference', () => {
    expect(unwrapTicks(10, TS_TIMESTAMP_WRAP - 10, TS_TIMESTAMP_WRAP)).toBe(TS_TIMESTAMP_WRAP + 10);
    expect(unwrapTicks(TS_TIMESTAMP_WRAP - 10, TS_TIMESTAMP_WRAP + 5, TS_TIMESTAMP_WRAP)).toBe(TS_TIMESTAMP_WRAP - 10);
    expect(unwrapTicks(123, 0, Number.POSITIVE_INFINITY)).toBe(123);
  });

  it('is within half a wrap of the reference and congruent to the input', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: TS_TIMESTAMP_WRAP - 1 }),
        fc.integer({ min: 0, max: 4 * TS_TIMESTAMP_WRAP }),
        (ticks, reference) => {
          const out = unwrapTicks(ticks, reference, TS_TIMESTAMP_WRAP);
          expect(Math.abs(out - reference)).toBeLessThanOrEqual(TS_TIMESTAMP_WRAP / 2);
          expect(Math.abs((out - ticks) % TS_TIMESTAMP_WRAP)).toBe(0);
        },
      ),
    );
  });
});

describe('IngestClock', () => {
  it('starts the first track at 0 and converts 90 kHz to integer ms', () => {
    const track = new IngestClock().track(TS_CLOCK_RATE);
    expect(at(track, 126_000)).toEqual({ dts: 0, pts: 0 });
    expect(at(track, 126_000 + 3600, 126_000 + 3600 + 7200)).toEqual({ dts: 40, pts: 120 });
    expect(at(track, 126_000 + 3600 + 3003)).toEqual({ dts: 73, pts: 73 }); // 73.37 ms rounds
  });

  it('keeps the offset between tracks of one stream', () => {
    const clock = new IngestClock();
    const video = clock.track(TS_CLOCK_RATE);
    const audio = clock.track(TS_CLOCK_RATE);
    expect(at(video, 126_000)?.dts).toBe(0);
    expect(at(audio, 126_000 + 50 * MS)?.dts).toBe(50);
    // Audio a little before the origin maps before 0, and is settled at 0.
    expect(clock.track(TS_CLOCK_RATE).convert(126_000 - 20 * MS)?.dts).toBe(-20);
    expect(at(clock.track(TS_CLOCK_RATE), 126_000 - 20 * MS)?.dts).toBe(0);
  });

  it('unwraps the 33-bit wrap, pts wrapping before dts included', () => {
    const track = new IngestClock().track(TS_CLOCK_RATE);
    const start = TS_TIMESTAMP_WRAP - 100 * MS;
    expect(at(track, start)?.dts).toBe(0);
    expect(at(track, start + 80 * MS, (start + 120 * MS) % TS_TIMESTAMP_WRAP)).toEqual({ dts: 80, pts: 120 });
    expect(at(track, (start + 120 * MS) % TS_TIMESTAMP_WRAP)?.dts).toBe(120);
    expect(at(track, (start + 10_000 * MS) % TS_TIMESTAMP_WRAP)?.dts).toBe(10_000);
  });

  it('converts 48 kHz RTP time with the 32-bit wrap', () => {
    const track = new IngestClock().track(48_000, RTP_TIMESTAMP_WRAP);
    const start = RTP_TIMESTAMP_WRAP - 960;
    expect(at(track, start)?.dts).toBe(0);
    expect(at(track, (start + 960) % RTP_TIMESTAMP_WRAP)?.dts).toBe(20);
    expect(at(track, (start + 1920) % RTP_TIMESTAMP_WRAP)?.dts).toBe(40);
  });

  it('refuses values that are not finite non-negative ticks', () => {
    const track = new IngestClock().track(TS_CLOCK_RATE);
    expect(at(track, Number.NaN)).toBeUndefined();
    expect(at(track, -1)).toBeUndefined();
    expect(at(track, 0, Number.POSITIVE_INFINITY)).toBeUndefined();
  });

  it('never lets dts go backwards or pts fall before dts', () => {
    const track = new IngestClock().track(TS_CLOCK_RATE);
    at(track, 90_000);
    at(track, 90_000 + 100 * MS);
    expect(at(track, 90_000 + 60 * MS)).toEqual({ dts: 100, pts: 100 });
    expect(at(track, 90_000 + 200 * MS, 90_000 + 150 * MS)).toEqual({ dts: 200, pts: 200 });
  });

  it('starts a new epoch after the latest output when a sender restarts, shared by the other track', () => {
    const clock = new IngestClock();
    const video = clock.track(TS_CLOCK_RATE);
    const audio = clock.track(TS_CLOCK_RATE);
    at(video, 900_000);
    at(audio, 900_000);
    at(video, 900_000 + 2000 * MS);
    at(audio, 900_000 + 2010 * MS);
    // The new sender starts at 1.4 s; its audio is 20 ms behind its video.
    expect(at(video, 126_000)?.dts).toBe(2010 + DEFAULT_RESTART_GAP_MS);
    expect(at(audio, 126_000 - 20 * MS)?.dts).toBe(2010 + DEFAULT_RESTART_GAP_MS - 20);
    expect(at(video, 126_000 + 40 * MS)?.dts).toBe(2010 + DEFAULT_RESTART_GAP_MS + 40);
    expect(clock.jumps).toBe(1);
    expect(clock.epochs).toBe(2);
  });

  it('does not join an epoch another track started long ago: a late jump starts its own', () => {
    const clock = new IngestClock();
    const video = clock.track(TS_CLOCK_RATE);
    const audio = clock.track(TS_CLOCK_RATE);
    for (let t = 10_000; t <= 11_000; t += 40) {
      at(video, t * MS);
      at(audio, t * MS);
    }
    // Video's sender restarts at 0 and runs 20 s; audio's keeps going, then restarts at 0 too.
    for (let t = 0; t <= 20_000; t += 40) {
      at(video, t * MS);
      at(audio, (11_000 + t) * MS);
    }
    expect(clock.jumps).toBe(1);
    const latest = clock.latest;
    // Joining video's epoch would put audio 20 s back: it starts a new epoch after the latest output instead.
    expect(at(audio, 0)?.dts).toBe(latest + DEFAULT_RESTART_GAP_MS);
    expect(clock.jumps).toBe(2);
  });

  it('treats a jump far forward as a restart too', () => {
    const clock = new IngestClock({ maxForwardJumpMs: 5000 });
    const track = clock.track(TS_CLOCK_RATE);
    at(track, 0);
    at(track, 40 * MS);
    expect(at(track, 3_600_000 * MS)?.dts).toBe(40 + DEFAULT_RESTART_GAP_MS);
    expect(clock.jumps).toBe(1);
  });

  it('restart() re-anchors the next timestamp of any track without counting a jump', () => {
    const clock = new IngestClock();
    const old = clock.track(TS_CLOCK_RATE);
    at(old, 0);
    at(old, 1000 * MS);
    clock.restart();
    const video = clock.track(TS_CLOCK_RATE);
    const audio = clock.track(TS_CLOCK_RATE);
    expect(at(video, 5_000_000)?.dts).toBe(1000 + DEFAULT_RESTART_GAP_MS);
    expect(at(audio, 5_000_000 + 10 * MS)?.dts).toBe(1000 + DEFAULT_RESTART_GAP_MS + 10);
    expect(clock.jumps).toBe(0);
    expect(clock.epochs).toBe(2);
  });

  it('a clock replacing another never goes below what that one emitted', () => {
    const clock = new IngestClock();
    const audio = clock.track(TS_CLOCK_RATE);
    at(audio, 0);
    at(audio, 1000 * MS);
    clock.restart();
    const video = clock.track(TS_CLOCK_RATE);
    const next = clock.track(TS_CLOCK_RATE, TS_TIMESTAMP_WRAP, audio);
    expect(next.lastDts).toBe(1000);
    expect(at(video, 900_000)?.dts).toBe(1000 + DEFAULT_RESTART_GAP_MS);
    // The new sender's audio starts 200 ms before its video: held at the old track's last time.
    expect(at(next, 900_000 - 200 * MS)?.dts).toBe(1000);
    expect(at(next, 900_000)?.dts).toBe(1000 + DEFAULT_RESTART_GAP_MS);
  });

  it('follows any sender with small steps across wraps: monotonic, steps kept to the ms', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: TS_TIMESTAMP_WRAP - 1 }),
        fc.array(fc.integer({ min: 0, max: 400 * MS }), { minLength: 1, maxLength: 100 }),
        (start, steps) => {
          const track = new IngestClock().track(TS_CLOCK_RATE);
          let ticks = start;
          const out = [at(track, ticks)!.dts];
          for (const step of steps) {
            ticks += step;
            out.push(at(track, ticks % TS_TIMESTAMP_WRAP)!.dts);
          }
          expect(out[0]).toBe(0);
          expect(isMonotonic(out)).toBe(true);
          expect(Math.abs(out[out.length - 1] - (ticks - start) / MS)).toBeLessThanOrEqual(0.5);
        },
      ),
    );
  });
});
