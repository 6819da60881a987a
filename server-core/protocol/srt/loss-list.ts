import { seqCompare, seqInc, seqOffset } from './seq.js';
import { SrtError } from './srt-error.js';

/**
 * NAK loss list coding (draft-sharabayko-srt-01 section 3.2.5, Appendix A). Each entry is one 32-bit word:
 *   |0| sequence number (31) |                   a single lost packet
 *   |1| first lost (31) | |0| last lost (31) |  an inclusive range, in two words
 */
export interface SeqRange {
  from: number;
  to: number;
}

export function encodeLossList(ranges: readonly SeqRange[]): Buffer {
  let words = 0;
  for (const r of ranges) words += r.from === r.to ? 1 : 2;
  const out = Buffer.allocUnsafe(words * 4);
  let at = 0;
  for (const r of ranges) {
    if (r.from === r.to) {
      out.writeUInt32BE(r.from & 0x7fffffff, at);
      at += 4;
    } else {
      out.writeUInt32BE((0x80000000 | r.from) >>> 0, at);
      out.writeUInt32BE(r.to & 0x7fffffff, at + 4);
      at += 8;
    }
  }
  return out;
}

export function decodeLossList(body: Buffer): SeqRange[] {
  if (body.length % 4 !== 0) throw new SrtError('SRT_TRUNCATED', `loss list of ${body.length} bytes`);
  const ranges: SeqRange[] = [];
  for (let at = 0; at < body.length; at += 4) {
    const w = body.readUInt32BE(at);
    if ((w & 0x80000000) === 0) {
      ranges.push({ from: w, to: w });
      continue;
    }
    if (at + 4 >= body.length) throw new SrtError('SRT_INVALID', 'loss list range without its last number');
    const to = body.readUInt32BE(at + 4);
    if (to & 0x80000000) throw new SrtError('SRT_INVALID', 'loss list range ends with another range start');
    const from = w & 0x7fffffff;
    if (seqCompare(to, from) < 0) throw new SrtError('SRT_INVALID', `reversed loss range ${from}..${to}`);
    ranges.push({ from, to });
    at += 4;
  }
  return ranges;
}

/** Collapses a sorted list of sequence numbers into ranges of consecutive numbers. */
export function rangesOf(seqs: readonly number[]): SeqRange[] {
  const out: SeqRange[] = [];
  for (const s of seqs) {
    const last = out[out.length - 1];
    if (last && seqInc(last.to) === s) last.to = s;
    else out.push({ from: s, to: s });
  }
  return out;
}

/** Number of sequence numbers the ranges cover. */
export function lossCount(ranges: readonly SeqRange[]): number {
  let n = 0;
  for (const r of ranges) n += seqOffset(r.from, r.to) + 1;
  return n;
}
