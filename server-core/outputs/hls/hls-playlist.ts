import type { HlsSegment } from './hls-segment.js';

export interface PlaylistInput {
  segments: readonly HlsSegment[];
  /** Discontinuities that already left the window (EXT-X-DISCONTINUITY-SEQUENCE). */
  discontinuitySequence: number;
  targetDurationSeconds: number;
  ended: boolean;
}

/**
 * A live media playlist (RFC 8216 section 4.3). EXTINF values rounded to the nearest integer never exceed
 * EXT-X-TARGETDURATION, which the caller derives from the longest segment seen.
 */
export function renderMediaPlaylist(input: PlaylistInput): string {
  const first = input.segments[0];
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:3',
    `#EXT-X-TARGETDURATION:${input.targetDurationSeconds}`,
    `#EXT-X-MEDIA-SEQUENCE:${first ? first.sequence : 0}`,
  ];
  if (input.discontinuitySequence > 0) lines.push(`#EXT-X-DISCONTINUITY-SEQUENCE:${input.discontinuitySequence}`);
  for (const [i, segment] of input.segments.entries()) {
    if (segment.discontinuity && i > 0) lines.push('#EXT-X-DISCONTINUITY');
    if (i === 0 || segment.discontinuity) {
      lines.push(`#EXT-X-PROGRAM-DATE-TIME:${segment.programDateTime.toISOString()}`);
    }
    lines.push(`#EXTINF:${(segment.durationMs / 1000).toFixed(3)},`, segment.name);
  }
  if (input.ended) lines.push('#EXT-X-ENDLIST');
  return `${lines.join('\n')}\n`;
}
