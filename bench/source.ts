import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';

/** The benchmark source: 720p30 H.264 ~2 Mbps + AAC 128 kbps, 2 s GOP, made once and cached (gitignored). */
export function ensureBenchSource(root: string): string {
  const dir = join(root, '.cache', 'bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'source-720p30-2mbps.flv');
  if (existsSync(file)) return file;
  process.stderr.write('bench: generating the test source (once)...\n');
  const tmp = `${file}.tmp.flv`;
  // biome-ignore format: ffmpeg arguments read best as flag/value pairs
  const args = [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30',
    '-f', 'lavfi', '-i', 'sine=frequency=1000:sample_rate=48000',
    '-t', '60',
    '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-g', '60', '-keyint_min', '60', '-sc_threshold', '0',
    '-b:v', '2000k', '-maxrate', '2000k', '-bufsize', '2000k', '-x264-params', 'nal-hrd=cbr',
    '-c:a', 'aac', '-b:a', '128k', '-ac', '2',
    '-f', 'flv', tmp,
  ];
  const result = spawnSync('ffmpeg', args, { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('ffmpeg could not generate the benchmark source');
  renameSync(tmp, file);
  return file;
}
