import type { LlHlsOpenSegment, LlHlsPart, LlHlsSegment } from './ll-hls-segment.js';

export interface LlHlsPlaylistInput {
  /** Finished segments in the window, oldest first. */
  segments: readonly LlHlsSegment[];
  open?: LlHlsOpenSegment;
  /** Discontinuities that already left the window. */
  discontinuitySequence: number;
  targetDurationSeconds: number;
  /** Undefined: a plain fMP4 playlist (no parts, no blocking reload, no delta updates). */
  lowLatency?: {
    partTargetSeconds: number;
    /** Finished segments (from the end) whose parts are still listed; the open segment's always are. */
    partsForLastSegments: number;
    /** The next part's name (EXT-X-PRELOAD-HINT). */
    preloadHint?: string;
    /** Segments replaced by EXT-X-SKIP (a delta update, `_HLS_skip=YES`); 0 for the full playlist. */
    skipSegments: number;
  };
  ended: boolean;
}

/** CAN-SKIP-UNTIL as RFC 8216bis 4.4.3.8 recommends: six target durations. */
export function canSkipUntilSeconds(targetDurationSeconds: number): number {
  return 6 * targetDurationSeconds;
}

/**
 * PART-HOLD-BACK: the spec's minimum, two part targets (4.4.3.8). It is the latency a low-latency player aims
 * at, and a player that blocks on the next part always has it in time on loopback and LAN.
 */
export function partHoldBackSeconds(partTargetSeconds: number): number {
  return 2 * partTargetSeconds;
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function partLine(part: LlHlsPart): string {
  const independent = part.independent ? ',INDEPENDENT=YES' : '';
  return `#EXT-X-PART:DURATION=${seconds(part.durationMs)},URI="${part.name}"${independent}`;
}

/**
 * An fMP4 media playlist (RFC 8216bis): EXT-X-MAP, PROGRAM-DATE-TIME per segment and, when low latency is on,
 * SERVER-CONTROL (blocking reload, delta updates), PART-INF, the parts of the last segments and of the open
 * one, and a PRELOAD-HINT for the next part. Pure: the caller decides the window and what to skip.
 */
export function renderLlHlsPlaylist(input: LlHlsPlaylistInput): string {
  const ll = input.lowLatency;
  const target = input.targetDurationSeconds;
  const lines = ['#EXTM3U', `#EXT-X-VERSION:${ll ? 9 : 7}`, `#EXT-X-TARGETDURATION:${target}`];
  if (ll) {
    const holdBack = partHoldBackSeconds(ll.partTargetSeconds).toFixed(3);
    lines.push(
      `#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=${canSkipUntilSeconds(target).toFixed(1)},PART-HOLD-BACK=${holdBack}`,
      `#EXT-X-PART-INF:PART-TARGET=${ll.partTargetSeconds.toFixed(3)}`,
    );
  }
  const first = input.segments[0] ?? input.open;
  lines.push(`#EXT-X-MEDIA-SEQUENCE:${first?.msn ?? 0}`);
  if (input.discontinuitySequence > 0) lines.push(`#EXT-X-DISCONTINUITY-SEQUENCE:${input.discontinuitySequence}`);
  const skip = ll?.skipSegments ?? 0;
  const listed = input.segments.slice(skip);
  const firstListed = listed[0] ?? input.open;
  if (firstListed) lines.push(`#EXT-X-MAP:URI="${firstListed.initName}"`);
  if (skip > 0) lines.push(`#EXT-X-SKIP:SKIPPED-SEGMENTS=${skip}`);
  let initName = firstListed?.initName;
  const head = (s: LlHlsSegment | LlHlsOpenSegment, i: number) => {
    if (s.discontinuity && (i > 0 || skip > 0)) lines.push('#EXT-X-DISCONTINUITY');
    if (s.initName !== initName) {
      lines.push(`#EXT-X-MAP:URI="${s.initName}"`);
      initName = s.initName;
    }
    lines.push(`#EXT-X-PROGRAM-DATE-TIME:${s.programDateTime.toISOString()}`);
  };
  const partsFrom = ll ? input.segments.length - ll.partsForLastSegments : Number.POSITIVE_INFINITY;
  listed.forEach((segment, i) => {
    head(segment, i);
    if (skip + i >= partsFrom) for (const part of segment.parts) lines.push(partLine(part));
    lines.push(`#EXTINF:${seconds(segment.durationMs)},`, segment.name);
  });
  if (ll && input.open && input.open.parts.length > 0 && !input.ended) {
    head(input.open, listed.length);
    for (const part of input.open.parts) lines.push(partLine(part));
  }
  if (ll?.preloadHint && !input.ended) lines.push(`#EXT-X-PRELOAD-HINT:TYPE=PART,URI="${ll.preloadHint}"`);
  if (input.ended) lines.push('#EXT-X-ENDLIST');
  return `${lines.join('\n')}\n`;
}
