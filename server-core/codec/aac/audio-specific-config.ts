import { BitReader } from '../bits/bit-reader.js';
import { BitstreamError } from '../bits/bitstream-error.js';

/** Sampling frequency table (ISO/IEC 14496-3 1.6.3.4). */
export const AAC_SAMPLE_RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

export interface AudioSpecificConfig {
  objectType: number;
  samplingFrequencyIndex: number;
  sampleRate: number;
  channelConfiguration: number;
  channels: number;
  profileName: string;
}

/**
 * AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1): audioObjectType u5 (31 -> 32 + u6) | frequencyIndex u4
 * (15 -> explicit u24) | channelConfiguration u4 | ... ; explicit SBR (type 5) / PS (type 29) signalling
 * reports HE-AAC / HE-AACv2 with the extension sample rate.
 */
export function parseAudioSpecificConfig(buf: Buffer): AudioSpecificConfig {
  if (buf.length < 2) throw new BitstreamError('BITS_TRUNCATED', 'AudioSpecificConfig needs 2 bytes');
  const r = new BitReader(buf);
  const readObjectType = () => {
    const t = r.readBits(5);
    return t === 31 ? 32 + r.readBits(6) : t;
  };
  const readRate = (): { index: number; rate: number } => {
    const index = r.readBits(4);
    if (index === 15) return { index, rate: r.readBits(24) };
    const rate = AAC_SAMPLE_RATES[index];
    if (!rate) throw new BitstreamError('BITS_BAD_VALUE', `AAC sampling frequency index ${index}`);
    return { index, rate };
  };
  let objectType = readObjectType();
  let { index, rate } = readRate();
  const channelConfiguration = r.readBits(4);
  let profileName = AAC_PROFILES[objectType] ?? `AOT ${objectType}`;
  if (objectType === 5 || objectType === 29) {
    profileName = objectType === 5 ? 'HE' : 'HEv2';
    const extension = readRate();
    index = extension.index;
    rate = extension.rate;
    objectType = readObjectType();
  }
  const channels = channelConfiguration === 7 ? 8 : channelConfiguration;
  return { objectType, samplingFrequencyIndex: index, sampleRate: rate, channelConfiguration, channels, profileName };
}

const AAC_PROFILES: Record<number, string> = { 1: 'Main', 2: 'LC', 3: 'SSR', 4: 'LTP', 5: 'HE', 29: 'HEv2' };

export function buildAudioSpecificConfig(input: { objectType: number; sampleRate: number; channels: number }): Buffer {
  const index = AAC_SAMPLE_RATES.indexOf(input.sampleRate);
  if (index < 0) throw new BitstreamError('BITS_BAD_VALUE', `no AAC index for ${input.sampleRate} Hz`);
  const value = (input.objectType << 11) | (index << 7) | (input.channels << 3);
  return Buffer.from([value >> 8, value & 0xff]);
}
