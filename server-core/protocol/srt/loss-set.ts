import type { SeqRange } from './loss-list.js';
import { seqCompare, seqDec, seqInc, seqOffset } from './seq.js';

/**
 * The receiver's loss list (draft-sharabayko-srt-01 section 4.8.2): sequence numbers detected missing and not
 * yet received or dropped, as sorted, disjoint, non-adjacent ranges in 31-bit sequence order.
 */
export class LossSet {
  private ranges: SeqRange[] = [];

  get isEmpty(): boolean {
    return this.ranges.length === 0;
  }

  get first(): number | undefined {
    return this.ranges[0]?.from;
  }

  /** Count of missing numbers. */
  get size(): number {
    let n = 0;
    for (const r of this.ranges) n += seqOffset(r.from, r.to) + 1;
    return n;
  }

  /** Adds `from..to`, which must lie after every number already held (losses are found in order). */
  append(from: number, to: number): void {
    const last = this.ranges[this.ranges.length - 1];
    if (last && seqInc(last.to) === from) last.to = to;
    else this.ranges.push({ from, to });
  }

  has(seq: number): boolean {
    return this.indexOf(seq) >= 0;
  }

  remove(seq: number): boolean {
    const i = this.indexOf(seq);
    if (i < 0) return false;
    const r = this.ranges[i];
    if (r.from === r.to) this.ranges.splice(i, 1);
    else if (r.from === seq) r.from = seqInc(seq);
    else if (r.to === seq) r.to = seqDec(seq);
    else this.ranges.splice(i, 1, { from: r.from, to: seqDec(seq) }, { from: seqInc(seq), to: r.to });
    return true;
  }

  /** Forgets every number before `seq`. */
  removeBefore(seq: number): void {
    while (this.ranges.length > 0) {
      const r = this.ranges[0];
      if (seqCompare(r.to, seq) < 0) this.ranges.shift();
      else {
        if (seqCompare(r.from, seq) < 0) r.from = seq;
        return;
      }
    }
  }

  /** Forgets `from..to`. */
  removeRange(from: number, to: number): void {
    const kept: SeqRange[] = [];
    for (const r of this.ranges) {
      if (seqCompare(r.to, from) < 0 || seqCompare(r.from, to) > 0) kept.push(r);
      else {
        if (seqCompare(r.from, from) < 0) kept.push({ from: r.from, to: seqDec(from) });
        if (seqCompare(r.to, to) > 0) kept.push({ from: seqInc(to), to: r.to });
      }
    }
    this.ranges = kept;
  }

  /** The first `maxRanges` ranges, copied. */
  list(maxRanges = Number.POSITIVE_INFINITY): SeqRange[] {
    return this.ranges.slice(0, maxRanges).map((r) => ({ ...r }));
  }

  private indexOf(seq: number): number {
    let lo = 0;
    let hi = this.ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = this.ranges[mid];
      if (seqCompare(seq, r.from) < 0) hi = mid - 1;
      else if (seqCompare(seq, r.to) > 0) lo = mid + 1;
      else return mid;
    }
    return -1;
  }
}
