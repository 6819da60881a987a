import type { StreamSummary } from '../../app/contract';

/** Keyframes further apart than this make players wait to start and HLS segments long. */
export const SLOW_GOP_MS = 4000;
/** Audio and video further apart than this is visible lip-sync trouble. */
export const MAX_DRIFT_MS = 500;

export interface HealthWarning {
  id: 'offline' | 'gop' | 'bframes' | 'drift' | 'dropped';
  text: string;
  /** A few words for a tile. */
  short: string;
}

/** What is wrong with a stream, each as a plain sentence that says what to do (text, never only a colour). */
export function healthWarnings(stream: StreamSummary): HealthWarning[] {
  const h = stream.health;
  const out: HealthWarning[] = [];
  if (!stream.publishing)
    out.push({ id: 'offline', text: 'No data: the encoder disconnected.', short: 'Encoder disconnected' });
  if (h.gopMs !== null && h.gopMs > SLOW_GOP_MS)
    out.push({
      id: 'gop',
      short: `Keyframe interval ${seconds(h.gopMs)}`,
      text: `Keyframe interval ${seconds(h.gopMs)}: set OBS keyframe interval to 2 s (players start late, HLS segments get long).`,
    });
  if (h.bFrames)
    out.push({
      id: 'bframes',
      text: 'B-frames in the video: WebRTC viewers will stutter: set B-frames to 0.',
      short: 'B-frames on',
    });
  if (h.avDriftMs !== null && Math.abs(h.avDriftMs) > MAX_DRIFT_MS)
    out.push({
      id: 'drift',
      short: `A/V drift ${Math.abs(h.avDriftMs)} ms`,
      text: `Audio is ${Math.abs(h.avDriftMs)} ms ${h.avDriftMs < 0 ? 'behind' : 'ahead of'} the video: check the encoder's audio sync offset.`,
    });
  if (h.framesDropped > 0)
    out.push({
      id: 'dropped',
      short: `${h.framesDropped} frames dropped`,
      text: `${h.framesDropped} frames dropped for slow viewers: their connection cannot keep up with the bitrate.`,
    });
  return out;
}

/** One line for a tile or card: every problem in a few words (the stream page says what to do), or all is well. */
export function healthSummary(stream: StreamSummary): string {
  const warnings = healthWarnings(stream);
  if (warnings.length === 0) return '✓ Healthy';
  return `⚠ ${warnings.map((w) => w.short).join(' · ')}`;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function fpsText(fps: number | null): string {
  return fps === null ? '–' : `${fps.toFixed(fps >= 10 ? 0 : 1)} fps`;
}

export function driftText(ms: number | null): string {
  return ms === null ? '–' : `${ms > 0 ? '+' : ''}${ms} ms`;
}
