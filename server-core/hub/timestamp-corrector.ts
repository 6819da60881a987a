/**
 * Timestamp correction applied once per stream at ingest, so every reader sees the same timeline.
 *
 * `full` follows SRS's `time_jitter full`: the stream starts at 0 and a jump larger than the jitter bound
 * (forwards or backwards) is replaced by a nominal frame step. On top of that each track is kept monotonic,
 * because muxers and players reject a DTS that goes backwards. `zero` only shifts the first packet to 0;
 * `off` passes timestamps through (still monotonic per track).
 *
 * When a publisher takes over a stream whose previous publisher left (a blip), `resume` re-anchors the next
 * packet at the last output plus the real gap, in every mode: readers that stayed see time go on.
 */
export type JitterMode = 'full' | 'zero' | 'off';

const MAX_JITTER_MS = 250;
const DEFAULT_FRAME_STEP_MS = 10;

export class TimestampCorrector {
  /** Added to input timestamps; undefined until the first packet (or in `off` mode before any resume). */
  private offset: number | undefined;
  /** Set by resume: where the next packet lands. */
  private resumeAt: number | undefined;
  private lastInput = 0;
  private lastOutput = 0;
  private readonly lastDtsByTrack = new Map<number, number>();

  constructor(private readonly mode: JitterMode) {}

  /** Returns the corrected dts and pts (pts keeps its composition offset). */
  correct(track: number, dts: number, pts: number): { dts: number; pts: number } {
    let out = this.mapDts(dts);
    const last = this.lastDtsByTrack.get(track);
    if (last !== undefined && out < last) out = last;
    this.lastDtsByTrack.set(track, out);
    if (out > this.lastOutput) this.lastOutput = out;
    const cts = pts - dts;
    return { dts: out, pts: out + Math.max(cts, 0) };
  }

  /** A new publisher continues the stream after `gapMs` without one: its first packet follows the last output. */
  resume(gapMs: number): void {
    this.resumeAt = this.lastOutput + Math.max(DEFAULT_FRAME_STEP_MS, Math.round(gapMs));
  }

  private mapDts(dts: number): number {
    if (this.resumeAt !== undefined) {
      this.offset = this.resumeAt - dts;
      this.resumeAt = undefined;
      this.lastInput = dts;
      return Math.max(0, dts + this.offset);
    }
    if (this.mode === 'off') return this.offset === undefined ? dts : Math.max(0, dts + this.offset);
    if (this.offset === undefined) {
      this.offset = -dts;
      this.lastInput = dts;
      return 0;
    }
    if (this.mode === 'zero') return Math.max(0, dts + this.offset);
    const delta = dts - this.lastInput;
    this.lastInput = dts;
    if (delta > MAX_JITTER_MS || delta < -MAX_JITTER_MS) {
      // A jump: re-anchor so the output advances by one nominal step.
      this.offset = this.lastOutput + DEFAULT_FRAME_STEP_MS - dts;
    }
    return Math.max(0, dts + this.offset);
  }
}
