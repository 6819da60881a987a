import { BitReader } from '../bits/bit-reader.js';
import { BitstreamError } from '../bits/bitstream-error.js';
import type { AudioSpecificConfig } from './audio-specific-config.js';
import { channelsForConfiguration } from './channel-configuration.js';
import { AOT_AAC_LC, aacProfileName } from './object-type.js';
import { EXPLICIT_FREQUENCY_INDEX, SAMPLING_FREQUENCIES, samplingFrequencyIndex } from './sampling-frequency.js';

export const ADTS_HEADER_SIZE = 7;
const ADTS_HEADER_SIZE_WITH_CRC = 9;
/** aac_frame_length is 13 bits and counts the header. */
const MAX_FRAME_LENGTH = 0x1fff;
const SYNCWORD = 0xfff;
/** adts_buffer_fullness 0x7FF: variable bit rate. */
const VBR_FULLNESS = 0x7ff;
const MAX_ADTS_CHANNEL_CONFIGURATION = 7;

export interface AdtsHeader {
  config: AudioSpecificConfig;
  /** 7, or 9 with a CRC. */
  headerLength: number;
  /** The whole frame, header included (aac_frame_length). */
  frameLength: number;
}

/** What the header needs: an AudioSpecificConfig, or the few fields of one. */
export type AdtsConfig = Pick<
  AudioSpecificConfig,
  'objectType' | 'samplingFrequencyIndex' | 'sampleRate' | 'channelConfiguration'
> & {
  coreObjectType?: number;
};

/**
 * adts_fixed_header + adts_variable_header (ISO/IEC 14496-3 1.A.2.2.1, ISO/IEC 13818-7 6.2), no CRC:
 *
 *   syncword u12 = 0xFFF | ID u1 | layer u2 = 0 | protection_absent u1 | profile u2 | sampling_frequency_index u4
 *   private_bit u1 | channel_configuration u3 | original_copy u1 | home u1 | copyright bits u2
 *   aac_frame_length u13 | adts_buffer_fullness u11 | number_of_raw_data_blocks_in_frame u2
 *
 * profile is the core object type - 1, which only reaches 0..3 (Main, LC, SSR, LTP): HE-AAC travels as its
 * LC core at the core rate, anything else as LC.
 */
export function writeAdtsHeader(config: AdtsConfig, rawFrameLength: number): Buffer {
  const frameLength = rawFrameLength + ADTS_HEADER_SIZE;
  if (!Number.isInteger(rawFrameLength) || rawFrameLength < 0 || frameLength > MAX_FRAME_LENGTH) {
    throw new BitstreamError('BITSTREAM_TOO_LARGE', `raw AAC frame of ${rawFrameLength} bytes does not fit ADTS`);
  }
  const core = config.coreObjectType ?? config.objectType;
  const profile = core >= 1 && core <= 4 ? core - 1 : AOT_AAC_LC - 1;
  let index = config.samplingFrequencyIndex;
  if (index === EXPLICIT_FREQUENCY_INDEX) index = samplingFrequencyIndex(config.sampleRate);
  if (index >= SAMPLING_FREQUENCIES.length) {
    throw new BitstreamError('BITSTREAM_UNSUPPORTED', `ADTS cannot carry a ${config.sampleRate} Hz sample rate`);
  }
  const channels = config.channelConfiguration;
  if (channels > MAX_ADTS_CHANNEL_CONFIGURATION) {
    throw new BitstreamError('BITSTREAM_UNSUPPORTED', `ADTS cannot carry channelConfiguration ${channels}`);
  }
  const h = Buffer.allocUnsafe(ADTS_HEADER_SIZE);
  h[0] = 0xff;
  h[1] = 0xf1; // MPEG-4, layer 0, protection_absent
  h[2] = (profile << 6) | (index << 2) | (channels >> 2);
  h[3] = ((channels & 3) << 6) | (frameLength >> 11);
  h[4] = (frameLength >> 3) & 0xff;
  h[5] = ((frameLength & 7) << 5) | (VBR_FULLNESS >> 6);
  h[6] = ((VBR_FULLNESS & 0x3f) << 2) | 0; // one raw data block
  return h;
}

/** Reads the header at the start of buf. */
export function parseAdtsHeader(buf: Buffer): AdtsHeader {
  const r = new BitReader(buf);
  if (buf.length < ADTS_HEADER_SIZE)
    throw new BitstreamError('BITSTREAM_TRUNCATED', `ADTS header of ${buf.length} bytes`);
  if (r.readBits(12) !== SYNCWORD) throw new BitstreamError('BITSTREAM_INVALID', 'no ADTS syncword');
  r.skipBits(1); // ID
  if (r.readBits(2) !== 0) throw new BitstreamError('BITSTREAM_INVALID', 'ADTS layer is not 0');
  const protectionAbsent = r.readFlag();
  const profile = r.readBits(2);
  const index = r.readBits(4);
  r.skipBits(1); // private_bit
  const channelConfiguration = r.readBits(3);
  r.skipBits(4); // original_copy, home, copyright_identification_bit, copyright_identification_start
  const frameLength = r.readBits(13);
  const sampleRate = SAMPLING_FREQUENCIES[index];
  if (sampleRate === undefined) throw new BitstreamError('BITSTREAM_INVALID', `ADTS sampling_frequency_index ${index}`);
  const headerLength = protectionAbsent ? ADTS_HEADER_SIZE : ADTS_HEADER_SIZE_WITH_CRC;
  if (frameLength < headerLength) throw new BitstreamError('BITSTREAM_INVALID', `ADTS frame length ${frameLength}`);
  const objectType = profile + 1;
  const config: AudioSpecificConfig = {
    objectType,
    samplingFrequencyIndex: index,
    sampleRate,
    channelConfiguration,
    channels: channelsForConfiguration(channelConfiguration) ?? 0,
    profileName: aacProfileName(objectType),
    coreObjectType: objectType,
    outputSampleRate: sampleRate,
    sbr: false,
    ps: false,
  };
  return { config, headerLength, frameLength };
}

/**
 * Splits back-to-back ADTS frames into raw AAC frames (subarrays, headers and CRCs removed). The config is
 * the first frame's; a frame cut short at the end throws BITSTREAM_TRUNCATED. A frame holding several raw
 * data blocks (rare) is returned whole, as one frame.
 */
export function splitAdtsFrames(buf: Buffer): { config: AudioSpecificConfig; frames: Buffer[] } {
  let config: AudioSpecificConfig | undefined;
  const frames: Buffer[] = [];
  let at = 0;
  while (at < buf.length) {
    const header = parseAdtsHeader(buf.subarray(at));
    if (header.frameLength > buf.length - at) {
      throw new BitstreamError(
        'BITSTREAM_TRUNCATED',
        `ADTS frame of ${header.frameLength} bytes, ${buf.length - at} left`,
      );
    }
    config ??= header.config;
    frames.push(buf.subarray(at + header.headerLength, at + header.frameLength));
    at += header.frameLength;
  }
  if (!config) throw new BitstreamError('BITSTREAM_TRUNCATED', 'no ADTS frame');
  return { config, frames };
}
