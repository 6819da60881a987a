/** One DASH segment period: a fragment per representation, cut at the same instant. */
export interface DashSegment {
  number: number;
  startMs: number;
  endMs: number;
  /** Per representation: timeline position (track timescale) and the moof+mdat bytes. */
  media: Map<'video' | 'audio', { t: number; d: number; data: Buffer }>;
}
