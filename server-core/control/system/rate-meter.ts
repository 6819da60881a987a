const DEFAULT_WINDOW_MS = 30_000;

/**
 * A bitrate over a sliding window from samples of a growing byte counter (SRS reports kbps over 30 s).
 * Keeps one sample per call; callers sample every few seconds.
 */
export class RateMeter {
  private readonly samples: { at: number; bytes: number }[] = [];

  constructor(private readonly windowMs = DEFAULT_WINDOW_MS) {}

  sample(totalBytes: number, nowMs: number): void {
    this.samples.push({ at: nowMs, bytes: totalBytes });
    while (this.samples.length > 2 && nowMs - this.samples[1].at >= this.windowMs) this.samples.shift();
  }

  kbps(): number {
    if (this.samples.length < 2) return 0;
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const ms = last.at - first.at;
    return ms > 0 ? Math.round(((last.bytes - first.bytes) * 8) / ms) : 0;
  }
}
