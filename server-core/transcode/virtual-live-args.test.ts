import { describe, expect, it } from 'vitest';
import { parseInputCodecs } from '../jobs/input-codecs.js';
import { isFileInput, virtualLiveInputOptions, virtualLiveOutputOptions } from './virtual-live-args.js';

const source = {
  name: 'promo',
  input: '/videos/promo.mp4',
  app: 'live',
  stream: 'promo',
  loop: true,
  autostart: false,
  mode: 'auto' as const,
  videoKbps: 2000,
};

const FFMPEG_INPUT = `Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'in.mp4':
  Duration: 00:00:03.00, start: 0.000000, bitrate: 1650 kb/s
  Stream #0:0[0x1](und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(progressive), 1280x720, 30 fps
  Stream #0:1[0x2](und): Audio: aac (LC) (mp4a / 0x6134706D), 44100 Hz, stereo, fltp, 128 kb/s
At least one output file must be specified`;

describe('virtual live ffmpeg arguments', () => {
  it('reads the codecs from ffmpeg -i', () => {
    expect(parseInputCodecs(FFMPEG_INPUT)).toEqual({ video: 'h264', audio: 'aac' });
    expect(
      parseInputCodecs('  Stream #0:0: Video: vp9, yuv420p, 640x360\n  Stream #0:1: Audio: opus, 48000 Hz'),
    ).toEqual({ video: 'vp9', audio: 'opus' });
  });

  it('paces files in real time and loops them; live URLs are read as they come', () => {
    expect(virtualLiveInputOptions(source)).toEqual(['-stream_loop', '-1', '-re']);
    expect(virtualLiveInputOptions({ ...source, loop: false })).toEqual(['-re']);
    expect(virtualLiveInputOptions({ ...source, input: 'rtsp://cam/stream' })).toEqual([]);
    expect(isFileInput('C:\\videos\\a.mp4')).toBe(true);
    expect(isFileInput('https://host/a.m3u8')).toBe(false);
  });

  it('copies H.264/AAC, encodes what FLV cannot carry, always encodes in encode mode', () => {
    expect(virtualLiveOutputOptions(source, { video: 'h264', audio: 'aac' }, 128).join(' ')).toContain(
      '-c:v copy -c:a copy',
    );
    const vp9 = virtualLiveOutputOptions(source, { video: 'vp9', audio: 'opus' }, 128).join(' ');
    expect(vp9).toContain('-c:v libx264');
    expect(vp9).toContain('-c:a aac -b:a 128k');
    const forced = virtualLiveOutputOptions({ ...source, mode: 'encode' }, { video: 'h264', audio: 'aac' }, 96);
    expect(forced.join(' ')).toContain('-c:v libx264');
    expect(forced.join(' ')).toContain('-b:v 2000k');
  });
});
