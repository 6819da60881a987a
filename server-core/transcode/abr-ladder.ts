/** One rendition of a transcode profile (config `transcode.profiles[].renditions`). */
export interface Rendition {
  name: string;
  /** 0: the source itself, copied. */
  height: number;
  videoKbps: number;
}

export interface TranscodeProfile {
  name: string;
  renditions: readonly Rendition[];
}

export interface LadderSettings {
  preset: string;
  audioKbps: number;
  /** The source's audio can go into FLV as it is (AAC). */
  copyAudio: boolean;
  /** The source's picture height when known: renditions as tall or taller are left out (no upscaling). */
  sourceHeight?: number;
}

/** One output of the ladder's ffmpeg run: the rendition and the ffmpeg output options before its URL. */
export interface LadderOutput {
  rendition: Rendition;
  options: string[];
}

/** The rendition stream name: `{stream}_{rendition}` (e.g. `cam_720p`). */
export function renditionStreamName(stream: string, rendition: string): string {
  return `${stream}_${rendition}`;
}

/** The renditions worth making of a source: its copy, and the scaled ones smaller than it. */
export function renditionsFor(profile: TranscodeProfile, sourceHeight?: number): Rendition[] {
  return profile.renditions.filter((r) => r.height === 0 || sourceHeight === undefined || r.height < sourceHeight);
}

/**
 * ffmpeg arguments for a whole ladder in one process: one decode, a split into one scaler per rendition, one
 * libx264 encode each (keyframes where the source has them, so every rendition's HLS segments cut at the same
 * media times and players switch cleanly), and a stream copy for a height-0 rendition.
 */
export function ladderArgs(
  renditions: readonly Rendition[],
  settings: LadderSettings,
): { filter?: string; outputs: LadderOutput[] } {
  const scaled = renditions.filter((r) => r.height > 0);
  const labels = scaled.map((_, i) => `v${i}`);
  let filter: string | undefined;
  if (scaled.length === 1) filter = `[0:v:0]scale=-2:${scaled[0].height}[${labels[0]}]`;
  else if (scaled.length > 1) {
    const splits = scaled.map((_, i) => `[s${i}]`).join('');
    const scales = scaled.map((r, i) => `[s${i}]scale=-2:${r.height}[${labels[i]}]`);
    filter = [`[0:v:0]split=${scaled.length}${splits}`, ...scales].join(';');
  }
  const audio = settings.copyAudio
    ? ['-c:a', 'copy']
    : ['-c:a', 'aac', '-b:a', `${settings.audioKbps}k`, '-ar', '44100'];
  const outputs = renditions.map((rendition): LadderOutput => {
    if (rendition.height === 0) {
      return { rendition, options: ['-map', '0:v:0', '-map', '0:a:0?', '-c:v', 'copy', ...audio, '-f', 'flv'] };
    }
    const kbps = rendition.videoKbps;
    // biome-ignore format: ffmpeg arguments read best as flag/value pairs
    const options = [
      '-map', `[${labels[scaled.indexOf(rendition)]}]`, '-map', '0:a:0?',
      '-c:v', 'libx264', '-preset', settings.preset, '-tune', 'zerolatency', '-pix_fmt', 'yuv420p',
      '-b:v', `${kbps}k`, '-maxrate', `${kbps}k`, '-bufsize', `${kbps * 2}k`,
      '-force_key_frames', 'source', '-sc_threshold', '0',
      ...audio, '-f', 'flv',
    ];
    return { rendition, options };
  });
  return { filter, outputs };
}
