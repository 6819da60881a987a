/** One finished HLS media segment, held in memory (and optionally mirrored to disk). */
export interface HlsSegment {
  /** Media sequence number. */
  readonly sequence: number;
  /** File name inside the stream's folder, e.g. `livestream-12.ts`. */
  readonly name: string;
  readonly durationMs: number;
  /** Wall-clock time of the segment's first frame, for EXT-X-PROGRAM-DATE-TIME. */
  readonly programDateTime: Date;
  /** First segment after a publisher reconnected: its timeline and continuity counters restart. */
  readonly discontinuity: boolean;
  readonly data: Buffer;
}
