import type { Fmp4Fragment, Fmp4Sample, Fmp4Track } from './track.js';

/** One access unit as the hub carries it: millisecond timestamps, codec-native payload. */
export interface TimedSample {
  /** Decode time, ms. */
  dts: number;
  /** Presentation time, ms. */
  pts: number;
  keyframe: boolean;
  data: Buffer;
}

interface Pending {
  sample: TimedSample;
  /** Decode time in the track's timescale. */
  time: number;
}

/**
 * Collects one track's samples and hands them out as fragments (a traf's worth: tfdt + trun samples) in the
 * track's timescale. Millisecond timestamps map to `round((ms - originMs) * timescale / 1000)`, so samples keep
 * their exact place however the stream is cut. A sample's duration is the distance to the next sample's decode
 * time; two ways to cut decide the last one:
 *
 * - `takeUntil(endMs)`: every sample before endMs, the last lasting up to endMs (segments that tile a timeline,
 *   cut at the next keyframe: DASH).
 * - `takeReady()`: every sample whose successor is known, the last waits for its successor; `takeReady(true)` at
 *   the end takes it too, with the previous duration (a recording cut at any point: DVR).
 * - `takeBefore(endMs)`: like takeReady, but only samples with dts before endMs (LL-HLS parts: each part's
 *   samples last exactly until the next part's first one, so parts tile each track's timeline without gaps).
 *
 * Audio samples are all sync samples; video samples are sync when they are keyframes. A sample with no positive
 * distance to its successor (a repeated timestamp) gets the previous duration, never 0 or a negative value.
 * Pure: no clock, no I/O.
 */
export class TrackFragmenter {
  private pending: Pending[] = [];
  private lastDuration = 0;

  constructor(
    readonly track: Fmp4Track,
    /** Media time 0 in ms (a recording's first timestamp); 0 keeps the stream's own timeline. */
    readonly originMs = 0,
  ) {}

  /** Milliseconds on the stream's clock to this track's timescale. */
  toTimescale(ms: number): number {
    return Math.round(((ms - this.originMs) * this.track.timescale) / 1000);
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  push(sample: TimedSample): void {
    this.pending.push({ sample, time: this.toTimescale(sample.dts) });
  }

  /**
   * Where the pending samples end, ms: the last one's decode time plus its expected duration (the gap before it,
   * or the previous duration, or the codec's usual frame duration). Undefined when nothing is pending.
   */
  pendingEndMs(): number | undefined {
    const last = this.pending[this.pending.length - 1];
    if (!last) return undefined;
    const before = this.pending[this.pending.length - 2];
    const gap = before ? last.time - before.time : 0;
    const duration = gap > 0 ? gap : this.lastDuration || this.defaultDuration();
    return last.sample.dts + (duration * 1000) / this.track.timescale;
  }

  /** Takes every pending sample with dts before endMs; the last one lasts until endMs (at least one tick). */
  takeUntil(endMs: number): Fmp4Fragment | undefined {
    const count = this.pending.findIndex((p) => p.sample.dts >= endMs);
    const take = count < 0 ? this.pending.length : count;
    if (take === 0) return undefined;
    const last = this.pending[take - 1].time;
    return this.take(take, Math.max(this.toTimescale(endMs), last + 1));
  }

  /** Takes every sample whose duration is known (all but the last); all of them when `final`. */
  takeReady(final = false): Fmp4Fragment | undefined {
    const take = final ? this.pending.length : this.pending.length - 1;
    if (take <= 0) return undefined;
    return this.take(take, this.pending[take]?.time);
  }

  /** Takes the samples with dts before endMs whose successor is known (the rest wait for the next cut). */
  takeBefore(endMs: number): Fmp4Fragment | undefined {
    const before = this.pending.findIndex((p) => p.sample.dts >= endMs);
    const take = Math.min(before < 0 ? this.pending.length : before, this.pending.length - 1);
    if (take <= 0) return undefined;
    return this.take(take, this.pending[take].time);
  }

  /** The first `count` pending samples; `endTime` is where the last one ends (undefined: unknown). */
  private take(count: number, endTime: number | undefined): Fmp4Fragment {
    const taken = this.pending.slice(0, count);
    this.pending = this.pending.slice(count);
    const samples: Fmp4Sample[] = taken.map(({ sample, time }, i) => {
      const next = i + 1 < taken.length ? taken[i + 1].time : endTime;
      const distance = next === undefined ? 0 : next - time;
      const duration = distance > 0 ? distance : this.lastDuration || this.defaultDuration();
      this.lastDuration = duration;
      return {
        duration,
        size: sample.data.length,
        data: sample.data,
        keyframe: this.track.kind === 'audio' || sample.keyframe,
        compositionOffset: this.toTimescale(sample.pts) - time,
      };
    });
    return { trackId: this.track.id, baseMediaDecodeTime: taken[0].time, samples };
  }

  /** A frame's usual duration when nothing better is known: AAC 1024 samples, Opus 20 ms, video 1/30 s. */
  private defaultDuration(): number {
    const { kind, codec, timescale } = this.track;
    if (kind === 'audio') return codec === 'aac' ? 1024 : Math.round(timescale / 50);
    return Math.round(timescale / 30);
  }
}
