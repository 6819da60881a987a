import type { OpusHead } from '../opus/opus-head.js';
import { DESCRIPTOR_TAG_DVB_EXTENSION, DESCRIPTOR_TAG_REGISTRATION, type Descriptor } from './descriptor.js';

/**
 * How a PMT announces Opus (ETSI TS 102 366-style "Opus in MPEG-2 TS", as Xiph's OpusTS draft specifies):
 * stream_type 0x06, a registration_descriptor with format_identifier 'Opus', and a DVB extension_descriptor
 * (tag 0x7F) holding the opus_audio_descriptor:
 *
 *   descriptor_tag_extension u8 = 0x80 | channel_config_code u8
 *
 * channel_config_code 0x01..0x08: that many channels in Vorbis order with the default stream layout (mapping
 * family 0 for 1-2, family 1 above); 0x80: dual mono (two uncoupled streams); anything else needs the OpusHead
 * from elsewhere, written here as 0xFF.
 */
export const OPUS_FORMAT_IDENTIFIER = 'Opus';
export const OPUS_AUDIO_DESCRIPTOR_TAG_EXTENSION = 0x80;
export const OPUS_DUAL_MONO = 0x80;
export const OPUS_CHANNEL_CONFIG_UNSPECIFIED = 0xff;
const MAX_VORBIS_CHANNELS = 8;
/** Coupled streams of the default family 1 layout per channel count (RFC 7845 5.1.1.2 layouts). */
const DEFAULT_COUPLED_STREAMS = [0, 0, 1, 1, 2, 2, 2, 3, 3];

/** The channel_config_code for an OpusHead, or for a plain channel count when no head is known. */
export function opusChannelConfigCode(head: OpusHead | number): number {
  if (typeof head === 'number') return head >= 1 && head <= 2 ? head : OPUS_CHANNEL_CONFIG_UNSPECIFIED;
  const { channels, mappingFamily, streamCount, coupledCount } = head;
  if (mappingFamily === 0 && channels <= 2) return channels;
  if (
    mappingFamily === 1 &&
    channels <= MAX_VORBIS_CHANNELS &&
    coupledCount === DEFAULT_COUPLED_STREAMS[channels] &&
    streamCount === channels - coupledCount
  ) {
    return channels;
  }
  if (channels === 2 && streamCount === 2 && coupledCount === 0) return OPUS_DUAL_MONO;
  return OPUS_CHANNEL_CONFIG_UNSPECIFIED;
}

export function writeOpusDescriptors(channelConfigCode: number): Descriptor[] {
  return [
    { tag: DESCRIPTOR_TAG_REGISTRATION, data: Buffer.from(OPUS_FORMAT_IDENTIFIER, 'latin1') },
    { tag: DESCRIPTOR_TAG_DVB_EXTENSION, data: Buffer.from([OPUS_AUDIO_DESCRIPTOR_TAG_EXTENSION, channelConfigCode]) },
  ];
}

/** channel_config_code of the opus_audio_descriptor among a stream's descriptors. */
export function readOpusChannelConfigCode(descriptors: readonly Descriptor[]): number | undefined {
  const d = descriptors.find(
    (x) =>
      x.tag === DESCRIPTOR_TAG_DVB_EXTENSION && x.data.length >= 2 && x.data[0] === OPUS_AUDIO_DESCRIPTOR_TAG_EXTENSION,
  );
  return d?.data[1];
}

/** Output channels a channel_config_code stands for, when it says. */
export function opusChannelsForCode(code: number): number | undefined {
  if (code >= 1 && code <= MAX_VORBIS_CHANNELS) return code;
  if (code === OPUS_DUAL_MONO) return 2;
  return undefined;
}
