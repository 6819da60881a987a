import { STREAM_TYPE } from './constants.js';
import { DESCRIPTOR_TAG_DVB_EXTENSION, type Descriptor, registrationFormat } from './descriptor.js';
import { OPUS_AUDIO_DESCRIPTOR_TAG_EXTENSION, OPUS_FORMAT_IDENTIFIER } from './opus-descriptor.js';

/** Codecs the muxer writes and the demuxer recognises; anything else is 'unknown'. */
export type TsCodec = 'h264' | 'hevc' | 'aac' | 'mp3' | 'opus' | 'unknown';

/** The codec of a PMT stream entry: by stream_type, and for private data (0x06) by its descriptors. */
export function codecForStream(streamType: number, descriptors: readonly Descriptor[]): TsCodec {
  switch (streamType) {
    case STREAM_TYPE.H264:
      return 'h264';
    case STREAM_TYPE.HEVC:
      return 'hevc';
    case STREAM_TYPE.AAC_ADTS:
      return 'aac';
    case STREAM_TYPE.MPEG1_AUDIO:
    case STREAM_TYPE.MPEG2_AUDIO:
      return 'mp3';
    case STREAM_TYPE.PRIVATE_PES:
      return isOpus(descriptors) ? 'opus' : 'unknown';
    default:
      return 'unknown';
  }
}

function isOpus(descriptors: readonly Descriptor[]): boolean {
  if (registrationFormat(descriptors) === OPUS_FORMAT_IDENTIFIER) return true;
  return descriptors.some(
    (d) => d.tag === DESCRIPTOR_TAG_DVB_EXTENSION && d.data[0] === OPUS_AUDIO_DESCRIPTOR_TAG_EXTENSION,
  );
}
