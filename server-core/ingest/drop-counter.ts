/**
 * Why ingest dropped something. Every non-FLV ingest (MPEG-TS now; SRT, WebRTC, GB28181 later) counts its
 * per-packet problems by these codes instead of throwing or logging each one (DESIGN.md rule 4).
 * - waiting-for-keyframe: video before the first keyframe (or after a restart), nothing to decode it from.
 * - no-parameter-sets: a keyframe with no SPS/PPS (VPS) seen in-band yet.
 * - bad-parameter-set: an SPS/PPS/VPS that does not parse, or a record that cannot be built from them.
 * - malformed: an access unit, ADTS/MP3 frame or Opus packet that does not parse (skipped bytes included).
 * - too-large: beyond one of the named size limits.
 * - bad-timestamp: missing, non-finite or negative timestamps.
 * - unsupported: a valid stream this ingest cannot carry (codec, channel layout).
 */
export const INGEST_DROP_REASONS = [
  'waiting-for-keyframe',
  'no-parameter-sets',
  'bad-parameter-set',
  'malformed',
  'too-large',
  'bad-timestamp',
  'unsupported',
] as const;

export type IngestDropReason = (typeof INGEST_DROP_REASONS)[number];

export type IngestDropCounts = Record<IngestDropReason, number>;

/** Counts drops by reason; several normalizers may share one so totals survive their replacement. */
export class DropCounter {
  private readonly counts: IngestDropCounts = emptyDropCounts();
  total = 0;

  count(reason: IngestDropReason, n = 1): void {
    this.counts[reason] += n;
    this.total += n;
  }

  get(reason: IngestDropReason): number {
    return this.counts[reason];
  }

  snapshot(): IngestDropCounts {
    return { ...this.counts };
  }
}

export function emptyDropCounts(): IngestDropCounts {
  const counts = {} as IngestDropCounts;
  for (const reason of INGEST_DROP_REASONS) counts[reason] = 0;
  return counts;
}
