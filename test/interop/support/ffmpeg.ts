import { type RunningProcess, runProcess, startProcess } from './run-process.js';

export interface ProbeStream {
  codec_type: string;
  codec_name: string;
  width?: number;
  height?: number;
  sample_rate?: string;
  channels?: number;
  profile?: string;
  nb_read_frames?: string;
}

/** ffprobe's view of a URL or file: the streams it finds. */
export async function probe(url: string, extraArgs: string[] = [], timeoutMs = 20_000): Promise<ProbeStream[]> {
  const result = await runProcess(
    'ffprobe',
    ['-hide_banner', '-v', 'error', '-rw_timeout', '15000000', ...extraArgs, '-show_streams', '-of', 'json', url],
    timeoutMs,
  );
  if (result.code !== 0) throw new Error(`ffprobe ${url} failed (${result.code}): ${result.stderr}`);
  return (JSON.parse(result.stdout) as { streams: ProbeStream[] }).streams;
}

/** Publishes a file in real time, looping, with stream copy (what OBS-like encoders send, byte for byte). */
export function publish(file: string, url: string, extraOutputArgs: string[] = []): RunningProcess {
  // biome-ignore format: ffmpeg arguments read best as flag/value pairs
  const args = [
    '-hide_banner', '-loglevel', 'warning', '-re', '-stream_loop', '-1', '-i', file,
    '-c', 'copy', ...extraOutputArgs, '-f', 'flv', url,
  ];
  return startProcess('ffmpeg', args);
}

export interface DecodeResult {
  code: number | null;
  videoFrames: number;
  stderr: string;
}

/**
 * Reads a URL for `seconds` and decodes it (or stream-copies with copy=true, cheaper for many readers),
 * returning how many video frames ffmpeg got. `-xerror` makes any decode error fatal.
 */
export async function decode(url: string, seconds: number, options: { copy?: boolean } = {}): Promise<DecodeResult> {
  const codecArgs = options.copy ? ['-c', 'copy'] : [];
  // biome-ignore format: ffmpeg arguments read best as flag/value pairs
  const args = [
    '-hide_banner', '-nostats', '-xerror', '-rw_timeout', '15000000', '-i', url, '-t', String(seconds),
    ...codecArgs, '-map', '0:v:0', '-f', 'null', '-progress', 'pipe:1', '-',
  ];
  const result = await runProcess('ffmpeg', args, (seconds + 25) * 1000);
  const frames = [...result.stdout.matchAll(/^frame=(\d+)/gm)].map((m) => Number(m[1]));
  return { code: result.code, videoFrames: frames.length ? frames[frames.length - 1] : 0, stderr: result.stderr };
}

/** True when the first decoded video frame of a file or URL is a keyframe (what every segment must start with). */
export async function firstVideoFrameIsKey(fileOrUrl: string): Promise<boolean> {
  // biome-ignore format: ffprobe arguments read best as flag/value pairs
  const args = [
    '-v', 'error', '-select_streams', 'v', '-show_frames', '-read_intervals', '%+#1',
    '-show_entries', 'frame=key_frame', '-of', 'csv=p=0', fileOrUrl,
  ];
  const result = await runProcess('ffprobe', args, 20_000);
  // csv rows may carry side data after the value ("1,H.26[45] User Data Unregistered SEI message").
  return result.stdout.trim().split('\n')[0].split(',')[0] === '1';
}
