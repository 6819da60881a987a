/** Input that is off its expected time by more than this (a gap, a jump, clock drift) starts a new anchor. */
export const REANCHOR_MS = 60;

interface Anchor {
  /** Input audio fed before this anchor, ms. */
  fedMs: number;
  pts: number;
}

/**
 * Gives a transcoder's output frames the stream's timestamps. ffmpeg reads elementary audio from a pipe, so it
 * sees no timestamps and closes gaps: the output's n-th millisecond is the input's n-th millisecond of audio.
 * Input frames record where the audio timeline jumps; an output frame takes the time of the input audio at
 * the same position.
 */
export class TranscodeTimeline {
  private anchors: Anchor[] = [];
  private fedMs = 0;
  private outMs = 0;

  /** One input frame: its presentation time and duration. */
  input(pts: number, durationMs: number): void {
    const last = this.anchors[this.anchors.length - 1];
    const expected = last ? last.pts + (this.fedMs - last.fedMs) : undefined;
    if (expected === undefined || Math.abs(pts - expected) > REANCHOR_MS) this.anchors.push({ fedMs: this.fedMs, pts });
    this.fedMs += durationMs;
  }

  /** The time of the next output frame of this duration; undefined before any input. */
  output(durationMs: number): number | undefined {
    while (this.anchors.length > 1 && this.anchors[1].fedMs <= this.outMs) this.anchors.shift();
    const anchor = this.anchors[0];
    if (!anchor) return undefined;
    const pts = anchor.pts + (this.outMs - anchor.fedMs);
    this.outMs += durationMs;
    return Math.round(pts);
  }

  /** A new ffmpeg run: it starts from nothing. */
  reset(): void {
    this.anchors = [];
    this.fedMs = 0;
    this.outMs = 0;
  }
}
