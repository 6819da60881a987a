import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { runProcess } from './run-process.js';

const CACHE_DIR = join(process.cwd(), '.cache', 'media');

export interface SampleSpec {
  name: string;
  width: number;
  height: number;
  fps: number;
  seconds: number;
  gopFrames: number;
  audioRate: number;
}

export const SAMPLE_720P: SampleSpec = {
  name: 'h264-aac-1280x720-30',
  width: 1280,
  height: 720,
  fps: 30,
  seconds: 10,
  gopFrames: 30,
  audioRate: 44100,
};

/**
 * A test source made once by ffmpeg (H.264 + AAC in FLV, so `-c copy -f flv` republishes it unchanged) and
 * cached under .cache/ (gitignored).
 */
export async function ensureSample(spec: SampleSpec = SAMPLE_720P): Promise<string> {
  mkdirSync(CACHE_DIR, { recursive: true });
  const file = join(CACHE_DIR, `${spec.name}.flv`);
  if (existsSync(file)) return file;
  const tmp = `${file}.${process.pid}.tmp.flv`;
  // biome-ignore format: ffmpeg arguments read best as flag/value pairs
  const args = [
      '-hide_banner', '-loglevel', 'error', '-y',
      '-f', 'lavfi', '-i', `testsrc2=size=${spec.width}x${spec.height}:rate=${spec.fps}`,
      '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=${spec.audioRate}`,
      '-t', String(spec.seconds),
      '-c:v', 'libx264', '-preset', 'ultrafast', '-profile:v', 'high', '-pix_fmt', 'yuv420p',
      '-g', String(spec.gopFrames), '-keyint_min', String(spec.gopFrames), '-sc_threshold', '0', '-b:v', '1500k',
      '-c:a', 'aac', '-b:a', '128k', '-ac', '2',
      '-f', 'flv', tmp,
    ];
  const result = await runProcess('ffmpeg', args, 120_000);
  if (result.code !== 0) throw new Error(`ffmpeg could not make the sample: ${result.stderr}`);
  renameSync(tmp, file);
  return file;
}
