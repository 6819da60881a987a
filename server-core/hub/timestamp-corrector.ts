/**
 * Timestamp correction applied once per stream at ingest, so every reader sees the same timeline.
 *
 * `full` follows SRS's `time_jitter full`: the stream starts at 0 and a jump larger than the jitter bound
 * (forwards or backwards) is replaced by a nominal frame step. On top of that each track is kept monotonic,
 * because muxers and players reject a DTS that goes backwards. `zero` only shifts the first packet to 0;
 * `off` passes timestamps through (still monotonic per track).
 */
export type JitterMode = 'full' | 'zero' | 'off';

const MAX_JITTER_MS = 250;
const DEFAULT_FRAME_STEP_MS = 10;

export class TimestampCorrector {
  private offset: number | undefined;
  private lastInput = 0;
  private lastOutput = 0;
  private readonly lastDtsByTrack = new Map<string, number>();

  constructor(private readonly mode: JitterMode) {}

  /** Returns the corrected dts and pts (pts keeps its composition offset). */
  correct(track: string, dts: number, pts: number): { dts: number; pts: number } {
    let out = this.mapDts(dts);
    const last = this.lastDtsByTrack.get(track);
    if (last !== undefined && out < last) out = last;
    this.lastDtsByTrack.set(track, out);
    const cts = pts - dts;
    return { dts: out, pts: out + Math.max(cts, 0) };
  }

  private mapDts(dts: number): number {
    if (this.mode === 'off') return dts;
    if (this.offset === undefined) {
      this.offset = -dts;
      this.lastInput = dts;
      this.lastOutput = 0;
      return 0;
    }
    if (this.mode === 'zero') return Math.max(0, dts + this.offset);
    const delta = dts - this.lastInput;
    this.lastInput = dts;
    if (delta > MAX_JITTER_MS || delta < -MAX_JITTER_MS) {
      // A jump: re-anchor so the output advances by one nominal step.
      this.offset = this.lastOutput + DEFAULT_FRAME_STEP_MS - dts;
    }
    const out = Math.max(0, dts + this.offset);
    this.lastOutput = Math.max(this.lastOutput, out);
    return out;
  }
}
