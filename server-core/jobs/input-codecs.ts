import { execFile } from 'node:child_process';

/** The codecs of an input's first video and audio streams, as ffmpeg names them (`h264`, `aac`, `hevc`). */
export interface InputCodecs {
  video?: string;
  audio?: string;
}

const STREAM_LINE = /^\s*Stream #\d+:\d+.*?: (Video|Audio): ([a-z0-9_]+)/;

/** Reads the codecs from what `ffmpeg -i input` prints to stderr (pure: text in, codecs out). */
export function parseInputCodecs(stderr: string): InputCodecs {
  const codecs: InputCodecs = {};
  for (const line of stderr.split('\n')) {
    const match = STREAM_LINE.exec(line);
    if (!match) continue;
    if (match[1] === 'Video' && !codecs.video) codecs.video = match[2];
    if (match[1] === 'Audio' && !codecs.audio) codecs.audio = match[2];
  }
  return codecs;
}

/**
 * Asks ffmpeg what an input holds (ffmpeg with no output prints the input's streams and exits): no ffprobe
 * needed, so the shipped ffmpeg alone is enough. Empty when the input cannot be opened in time.
 */
export function probeInputCodecs(binary: string, input: string, timeoutMs: number): Promise<InputCodecs> {
  return new Promise((resolve) => {
    execFile(binary, ['-hide_banner', '-nostdin', '-i', input], { timeout: timeoutMs }, (_error, _stdout, stderr) => {
      resolve(parseInputCodecs(String(stderr)));
    });
  });
}
