import { isValidStreamName, streamUrls, type TallyConfig, type UrlTarget } from '../server-core/index.js';
import type { PlayUrl, PushInfo } from './contract.js';

/** OBS-ready push settings for a stream: Service "Custom", Server and Stream Key (secret included when set). */
export function pushInfo(config: TallyConfig, target: UrlTarget): PushInfo {
  const urls = streamUrls(config, target);
  const publish = (protocol: string) => urls.find((u) => u.direction === 'publish' && u.protocol === protocol)?.url;
  const rtmpUrl = publish('rtmp') ?? '';
  const cut = rtmpUrl.lastIndexOf(`/${target.stream}`);
  return {
    obs: { server: cut > 0 ? rtmpUrl.slice(0, cut) : rtmpUrl, streamKey: cut > 0 ? rtmpUrl.slice(cut + 1) : '' },
    rtmpUrl,
    srtUrl: publish('srt'),
    whipUrl: publish('whip'),
    recommended: [
      'Keyframe interval: 2 s (never 0/auto): players start at a keyframe and HLS cuts segments on them.',
      'Rate control: CBR, with a bitrate your upload can sustain (e.g. 2500–6000 kbps for 720p/1080p).',
      'Encoder: x264 (preset veryfast) or hardware NVENC / QuickSync / Apple VT H.264.',
      'Profile: high; B-frames 0 for WebRTC viewers (0–2 otherwise); audio AAC 128–160 kbps at 44.1 or 48 kHz.',
    ],
  };
}

/** Every way to play a stream, for copy buttons and the QR code. */
export function playUrls(config: TallyConfig, target: UrlTarget): PlayUrl[] {
  return streamUrls(config, target)
    .filter((u) => u.direction === 'play')
    .map(({ protocol, label, url }) => ({ protocol, label, url }));
}

const MAX_STREAM_NAME = 256;
const ALLOWED = /[A-Za-z0-9_\-.~/]/;

/**
 * Why the server would refuse a stream name, in words (null: it accepts it). The verdict is the server's own
 * rule (isValidStreamName); this only explains it: letters, digits, _ - . ~ and /, at most 256 characters.
 */
export function streamNameProblem(name: string): string | null {
  if (isValidStreamName(name)) return null;
  if (name.length === 0) return 'Enter a stream name.';
  if (name.length > MAX_STREAM_NAME) return `Too long: ${name.length} characters, at most ${MAX_STREAM_NAME}.`;
  const bad = [...name].find((c) => !ALLOWED.test(c));
  if (bad === ' ') return 'No spaces: use - or _ instead (URLs and file names cannot hold them safely).';
  if (bad && bad.codePointAt(0)! > 0x7f)
    return `"${bad}" is not allowed: only plain ASCII letters and digits (no accents or emoji), plus _ - . ~ and /.`;
  if (bad) return `"${bad}" is not allowed: use letters, digits, _ - . ~ and / only.`;
  if (name.split('/').includes('..')) return '".." is not allowed as a part of the name.';
  return 'A / must sit between two parts of the name (not at the start, the end or twice in a row).';
}
