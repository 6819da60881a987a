/**
 * A pool of bytes shared by many connections (those not yet admitted), so that together they cannot hold more
 * than `limit` however many there are.
 */
export class ByteBudget {
  private used = 0;

  constructor(private limit: number) {}

  get inUse(): number {
    return this.used;
  }

  /** Takes `bytes` (negative gives back); false, taking nothing, when that would pass the limit. */
  take(bytes: number): boolean {
    if (bytes > 0 && this.used + bytes > this.limit) return false;
    this.used = Math.max(0, this.used + bytes);
    return true;
  }

  release(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }

  setLimit(limit: number): void {
    this.limit = limit;
  }
}
