import { BitstreamError } from '../bits/bitstream-error.js';
import { AAC_SAMPLE_RATES, type AudioSpecificConfig } from './audio-specific-config.js';

/**
 * ADTS header (ISO/IEC 13818-7 6.2), 7 bytes without CRC:
 *   syncword 0xFFF u12 | id u1 | layer u2 | protection_absent u1 | profile u2 | sf_index u4 | private u1 |
 *   channel_config u3 | orig u1 | home u1 | copyright bits u2 | frame_length u13 | fullness u11 | raw blocks u2
 */
export const ADTS_HEADER_SIZE = 7;

export function writeAdtsHeader(config: AudioSpecificConfig, rawFrameLength: number): Buffer {
  const profile = Math.min(Math.max(config.objectType - 1, 0), 3);
  const frameLength = rawFrameLength + ADTS_HEADER_SIZE;
  const sf = config.samplingFrequencyIndex & 0x0f;
  const ch = config.channelConfiguration & 0x07;
  const h = Buffer.alloc(ADTS_HEADER_SIZE);
  h[0] = 0xff;
  h[1] = 0xf1;
  h[2] = (profile << 6) | (sf << 2) | (ch >> 2);
  h[3] = ((ch & 3) << 6) | ((frameLength >> 11) & 0x03);
  h[4] = (frameLength >> 3) & 0xff;
  h[5] = ((frameLength & 7) << 5) | 0x1f;
  h[6] = 0xfc;
  return h;
}

export function parseAdtsHeader(buf: Buffer): { config: AudioSpecificConfig; headerLength: number; frameLength: number } {
  if (buf.length < ADTS_HEADER_SIZE) throw new BitstreamError('BITS_TRUNCATED', 'ADTS header needs 7 bytes');
  if (buf[0] !== 0xff || (buf[1] & 0xf0) !== 0xf0) throw new BitstreamError('BITS_BAD_VALUE', 'no ADTS syncword');
  const protectionAbsent = buf[1] & 1;
  const objectType = (buf[2] >> 6) + 1;
  const samplingFrequencyIndex = (buf[2] >> 2) & 0x0f;
  const channelConfiguration = ((buf[2] & 1) << 2) | (buf[3] >> 6);
  const frameLength = ((buf[3] & 3) << 11) | (buf[4] << 3) | (buf[5] >> 5);
  const sampleRate = AAC_SAMPLE_RATES[samplingFrequencyIndex];
  if (!sampleRate) throw new BitstreamError('BITS_BAD_VALUE', `ADTS sampling index ${samplingFrequencyIndex}`);
  const headerLength = protectionAbsent ? 7 : 9;
  if (frameLength < headerLength) throw new BitstreamError('BITS_BAD_VALUE', `ADTS frame length ${frameLength}`);
  return {
    config: {
      objectType,
      samplingFrequencyIndex,
      sampleRate,
      channelConfiguration,
      channels: channelConfiguration === 7 ? 8 : channelConfiguration,
      profileName: objectType === 2 ? 'LC' : objectType === 1 ? 'Main' : `AOT ${objectType}`,
    },
    headerLength,
    frameLength,
  };
}

/** Splits concatenated ADTS frames into raw AAC frames. */
export function splitAdtsFrames(buf: Buffer): { config?: AudioSpecificConfig; frames: Buffer[] } {
  const frames: Buffer[] = [];
  let config: AudioSpecificConfig | undefined;
  let pos = 0;
  while (pos + ADTS_HEADER_SIZE <= buf.length) {
    const header = parseAdtsHeader(buf.subarray(pos));
    if (pos + header.frameLength > buf.length) throw new BitstreamError('BITS_TRUNCATED', 'ADTS frame overruns');
    config ??= header.config;
    frames.push(buf.subarray(pos + header.headerLength, pos + header.frameLength));
    pos += header.frameLength;
  }
  return { config, frames };
}
