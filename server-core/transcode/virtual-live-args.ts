import type { InputCodecs } from '../jobs/index.js';

/** One configured virtual-live source (config `virtualLive.sources`). */
export interface VirtualLiveSource {
  name: string;
  input: string;
  app: string;
  stream: string;
  loop: boolean;
  autostart: boolean;
  mode: 'auto' | 'copy' | 'encode';
  videoKbps: number;
}

/** Protocols that are live already: read as they come (no -re), never looped. */
const LIVE_SCHEMES = /^(rtmps?|rtsp|rtsps|srt|udp|rtp):\/\//i;
/** A URL, as opposed to a file path (two letters at least, so `C:\video.mp4` stays a path). */
const URL_SCHEME = /^[a-z][a-z0-9+.-]+:\/\//i;

export function isLiveInput(input: string): boolean {
  return LIVE_SCHEMES.test(input);
}

export function isFileInput(input: string): boolean {
  return !URL_SCHEME.test(input);
}

/** ffmpeg input options: real-time pacing for files and HTTP (else ffmpeg reads as fast as it can), loops. */
export function virtualLiveInputOptions(source: VirtualLiveSource): string[] {
  if (isLiveInput(source.input)) return [];
  return [...(source.loop ? ['-stream_loop', '-1'] : []), '-re'];
}

const FLV_VIDEO = new Set(['h264']);
const FLV_AUDIO = new Set(['aac']);

/**
 * ffmpeg output options toward the loopback RTMP listener: each track is copied when FLV carries its codec
 * as it is (and the mode allows), else encoded to H.264/AAC with a keyframe every 2 s (HLS/DASH cut there).
 */
export function virtualLiveOutputOptions(source: VirtualLiveSource, codecs: InputCodecs, audioKbps: number): string[] {
  const copyVideo = source.mode === 'copy' || (source.mode === 'auto' && FLV_VIDEO.has(codecs.video ?? ''));
  const copyAudio = source.mode === 'copy' || (source.mode === 'auto' && FLV_AUDIO.has(codecs.audio ?? ''));
  const kbps = source.videoKbps;
  // biome-ignore format: ffmpeg arguments read best as flag/value pairs
  const video = copyVideo
    ? ['-c:v', 'copy']
    : [
        '-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p',
        '-b:v', `${kbps}k`, '-maxrate', `${kbps}k`, '-bufsize', `${kbps * 2}k`,
        '-force_key_frames', 'expr:gte(t,n_forced*2)', '-sc_threshold', '0',
      ];
  const audio = copyAudio ? ['-c:a', 'copy'] : ['-c:a', 'aac', '-b:a', `${audioKbps}k`, '-ar', '44100'];
  return ['-map', '0:v:0?', '-map', '0:a:0?', ...video, ...audio, '-f', 'flv'];
}
