import { parseAudioSpecificConfig } from '../codec/aac/audio-specific-config.js';
import { parseAv1CodecConfig } from '../codec/av1/av1c.js';
import { parseAvcDecoderConfig } from '../codec/h264/avcc.js';
import { parseH264Sps } from '../codec/h264/sps.js';
import { parseHevcDecoderConfig } from '../codec/hevc/hvcc.js';
import { parseHevcSps } from '../codec/hevc/sps.js';
import { parseOpusHead } from '../codec/opus/opus-head.js';
import type { MediaPacket } from './media-packet.js';

/** What a person (and SRS's API) wants to know about a stream's video, read from its sequence header. */
export interface VideoInfo {
  codec: 'H264' | 'H265' | 'AV1' | 'VP9';
  profile: string;
  level: string;
  width: number;
  height: number;
  /** Frame rate signalled in the bitstream, when it is. */
  fps?: number;
}

export interface AudioInfo {
  codec: 'AAC' | 'Opus' | 'MP3' | 'G711';
  sampleRate: number;
  channels: number;
  profile: string;
}

const VIDEO_NAMES = { h264: 'H264', hevc: 'H265', av1: 'AV1', vp9: 'VP9' } as const;

/** Reads a video sequence header; unparseable headers still report the codec. */
export function describeVideo(header: MediaPacket): VideoInfo {
  const codec = VIDEO_NAMES[header.codec as keyof typeof VIDEO_NAMES] ?? 'H264';
  const info: VideoInfo = { codec, profile: '', level: '', width: 0, height: 0 };
  try {
    if (header.codec === 'h264') {
      const sps = parseH264Sps(parseAvcDecoderConfig(header.payload).sps[0]);
      Object.assign(info, {
        profile: sps.profileName,
        level: sps.levelName,
        width: sps.width,
        height: sps.height,
        fps: sps.fps,
      });
    } else if (header.codec === 'hevc') {
      const sps = parseHevcSps(parseHevcDecoderConfig(header.payload).sps[0]);
      Object.assign(info, {
        profile: sps.profileName,
        level: sps.levelName,
        width: sps.width,
        height: sps.height,
      });
    } else if (header.codec === 'av1') {
      const av1 = parseAv1CodecConfig(header.payload);
      Object.assign(info, {
        profile: String(av1.seqProfile),
        level: String(av1.seqLevelIdx),
        width: av1.width,
        height: av1.height,
      });
    }
  } catch {
    // A header we cannot read still tells the codec; the rest stays empty.
  }
  return info;
}

/** Reads an audio sequence header, or the first frame for codecs without one. */
export function describeAudio(packet: MediaPacket): AudioInfo {
  try {
    if (packet.codec === 'aac') {
      const asc = parseAudioSpecificConfig(packet.payload);
      return { codec: 'AAC', sampleRate: asc.sampleRate, channels: asc.channels, profile: asc.profileName };
    }
    if (packet.codec === 'opus') {
      const head = parseOpusHead(packet.payload);
      return { codec: 'Opus', sampleRate: 48000, channels: head.channels, profile: '' };
    }
  } catch {
    // Fall through to the codec name alone.
  }
  if (packet.codec === 'mp3') return { codec: 'MP3', sampleRate: 0, channels: 0, profile: '' };
  if (packet.codec === 'opus') return { codec: 'Opus', sampleRate: 48000, channels: 2, profile: '' };
  if (packet.codec === 'aac') return { codec: 'AAC', sampleRate: 0, channels: 0, profile: '' };
  return { codec: 'G711', sampleRate: 8000, channels: 1, profile: '' };
}
