/** One LL-HLS partial segment (RFC 8216bis 4.4.4.9): a moof+mdat of every track, served from memory. */
export interface LlHlsPart {
  /** Media sequence number of the segment it belongs to, and its index in it. */
  readonly msn: number;
  readonly index: number;
  /** File name next to the playlist, e.g. `part-12-3.m4s`. */
  readonly name: string;
  readonly durationMs: number;
  /** Starts with a sync sample: a player may start decoding here (INDEPENDENT=YES). */
  readonly independent: boolean;
  readonly data: Buffer;
}

/** A finished fMP4 media segment: its parts back to back (each a moof+mdat, so still a valid CMAF segment). */
export interface LlHlsSegment {
  readonly msn: number;
  readonly name: string;
  readonly durationMs: number;
  /** Wall-clock time of its first frame (EXT-X-PROGRAM-DATE-TIME). */
  readonly programDateTime: Date;
  /** The first segment after a publisher came back (EXT-X-DISCONTINUITY). */
  readonly discontinuity: boolean;
  /** The init segment its parts need (EXT-X-MAP), e.g. `init-0.mp4`. */
  readonly initName: string;
  readonly parts: readonly LlHlsPart[];
  readonly data: Buffer;
}

/** The segment being built: its parts so far, listed in the playlist before the segment is complete. */
export interface LlHlsOpenSegment {
  readonly msn: number;
  readonly startMs: number;
  readonly programDateTime: Date;
  readonly discontinuity: boolean;
  readonly initName: string;
  readonly parts: LlHlsPart[];
}
