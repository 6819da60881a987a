import type { Logger } from 'pino';

const SUMMARY_INTERVAL_MS = 10_000;

/**
 * Counts per-packet problems and logs one summary line per interval instead of one line per packet,
 * so a broken encoder cannot flood the log.
 */
export class ProblemCounter {
  private readonly counts = new Map<string, { count: number; last: string }>();
  private timer?: NodeJS.Timeout;
  total = 0;

  constructor(
    private readonly logger: Logger,
    private readonly what: string,
  ) {}

  count(cid: string, error: Error): void {
    this.total++;
    const entry = this.counts.get(cid);
    if (entry) {
      entry.count++;
      entry.last = error.message;
    } else {
      this.counts.set(cid, { count: 1, last: error.message });
    }
    if (!this.timer) {
      this.timer = setTimeout(() => this.report(), SUMMARY_INTERVAL_MS);
      this.timer.unref();
    }
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.report();
  }

  private report(): void {
    this.timer = undefined;
    for (const [cid, entry] of this.counts) {
      this.logger.warn({ cid, count: entry.count, last: entry.last }, this.what);
    }
    this.counts.clear();
  }
}
