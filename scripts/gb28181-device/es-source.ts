import { type ChildProcess, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { AccessUnitSplitter, AdtsSplitter, FixedSplitter } from './es-splitters.js';

export type DeviceVideoCodec = 'h264' | 'hevc';
export type DeviceAudioCodec = 'aac' | 'g711a' | 'none';

export interface EsSourceOptions {
  video: DeviceVideoCodec;
  audio: DeviceAudioCodec;
  width: number;
  height: number;
  fps: number;
  /** Each elementary stream unit with its 90 kHz timestamp, as ffmpeg makes it (in real time, -re). */
  onVideo(au: Buffer, pts: number): void;
  onAudio(frame: Buffer, pts: number): void;
  onExit?(code: number | null): void;
}

const G711_CHUNK = 160;

/**
 * A camera's encoder: ffmpeg encodes a test pattern (and a tone) in real time and writes the elementary
 * streams to pipes 3 (video, Annex B with AUDs) and 4 (audio: ADTS, or raw A-law). Timestamps are counted
 * from the units (frames at `fps`, 1024 samples per AAC frame, one byte per G.711 sample), as a camera does.
 */
export class EsSource {
  private process?: ChildProcess;

  constructor(private readonly options: EsSourceOptions) {}

  start(): void {
    const o = this.options;
    const audioRate = o.audio === 'g711a' ? 8000 : 44100;
    // biome-ignore format: ffmpeg arguments read best as flag/value pairs
    const video = o.video === 'h264'
      ? ['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', String(o.fps), '-bf', '0',
         '-pix_fmt', 'yuv420p', '-bsf:v', 'h264_metadata=aud=insert', '-f', 'h264', 'pipe:3']
      : ['-c:v', 'libx265', '-preset', 'ultrafast', '-x265-params', `log-level=error:keyint=${o.fps}:bframes=0`,
         '-pix_fmt', 'yuv420p', '-bsf:v', 'hevc_metadata=aud=insert', '-f', 'hevc', 'pipe:3'];
    // biome-ignore format: ffmpeg arguments read best as flag/value pairs
    const audio = o.audio === 'none' ? []
      : o.audio === 'aac' ? ['-map', '1:a', '-c:a', 'aac', '-b:a', '64k', '-ac', '1', '-f', 'adts', 'pipe:4']
      : ['-map', '1:a', '-c:a', 'pcm_alaw', '-ar', '8000', '-ac', '1', '-f', 'alaw', 'pipe:4'];
    // biome-ignore format: ffmpeg arguments read best as flag/value pairs
    const args = [
      '-hide_banner', '-loglevel', 'error', '-nostdin',
      '-re', '-f', 'lavfi', '-i', `testsrc2=size=${o.width}x${o.height}:rate=${o.fps}`,
      '-re', '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=${audioRate}`,
      '-map', '0:v', ...video, ...audio,
    ];
    const child = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'inherit', 'pipe', 'pipe'] });
    this.process = child;
    const videoSplitter = new AccessUnitSplitter(o.video);
    let frames = 0;
    (child.stdio[3] as Readable).on('data', (chunk: Buffer) => {
      for (const au of videoSplitter.push(chunk)) o.onVideo(au, Math.round((frames++ * 90_000) / o.fps));
    });
    if (o.audio === 'aac') {
      const adts = new AdtsSplitter();
      let samples = 0;
      (child.stdio[4] as Readable).on('data', (chunk: Buffer) => {
        for (const frame of adts.push(chunk)) {
          o.onAudio(frame, Math.round((samples * 90_000) / adts.sampleRate));
          samples += 1024;
        }
      });
    } else if (o.audio === 'g711a') {
      const fixed = new FixedSplitter(G711_CHUNK);
      let samples = 0;
      (child.stdio[4] as Readable).on('data', (chunk: Buffer) => {
        for (const part of fixed.push(chunk)) {
          o.onAudio(part, Math.round((samples * 90_000) / 8000));
          samples += part.length;
        }
      });
    }
    for (const fd of [3, 4]) (child.stdio[fd] as Readable | null)?.on('error', () => {});
    child.on('exit', (code) => o.onExit?.(code));
  }

  stop(): void {
    this.process?.kill('SIGKILL');
    this.process = undefined;
  }
}
