import { PS_STREAM_TYPE, STREAM_ID } from './constants.js';

export type PsVideoCodec = 'h264' | 'hevc';
export type PsAudioCodec = 'aac' | 'g711a' | 'g711u';
export type PsCodec = PsVideoCodec | PsAudioCodec;

/** The codec of a PSM stream_type, or undefined for one we do not carry (SVAC, MPEG-4, ...). */
export function codecForPsStreamType(streamType: number): PsCodec | undefined {
  switch (streamType) {
    case PS_STREAM_TYPE.H264:
      return 'h264';
    case PS_STREAM_TYPE.HEVC:
      return 'hevc';
    case PS_STREAM_TYPE.AAC:
      return 'aac';
    case PS_STREAM_TYPE.G711A:
      return 'g711a';
    case PS_STREAM_TYPE.G711U:
      return 'g711u';
    default:
      return undefined;
  }
}

export function psStreamTypeForCodec(codec: PsCodec): number {
  switch (codec) {
    case 'h264':
      return PS_STREAM_TYPE.H264;
    case 'hevc':
      return PS_STREAM_TYPE.HEVC;
    case 'aac':
      return PS_STREAM_TYPE.AAC;
    case 'g711a':
      return PS_STREAM_TYPE.G711A;
    case 'g711u':
      return PS_STREAM_TYPE.G711U;
  }
}

export const isVideoCodec = (codec: PsCodec): codec is PsVideoCodec => codec === 'h264' || codec === 'hevc';

export const isVideoStreamId = (id: number) => id >= STREAM_ID.VIDEO_FIRST && id <= STREAM_ID.VIDEO_LAST;
export const isAudioStreamId = (id: number) => id >= STREAM_ID.AUDIO_FIRST && id <= STREAM_ID.AUDIO_LAST;

/** Elementary streams whose PES carry data we may demux (video, audio, private_stream_1). */
export const isElementaryStreamId = (id: number) =>
  isVideoStreamId(id) || isAudioStreamId(id) || id === STREAM_ID.PRIVATE_STREAM_1;

/**
 * Guesses the codec of a PES payload when no PSM named it (ffmpeg's `-f mpeg` writes none):
 * video starting with an Annex B start code is H.265 when its first NAL header reads as one of the
 * H.265 types an access unit opens with (VPS/SPS/PPS/AUD/SEI/IRAP/TRAIL, nuh_layer_id 0, temporal id 1),
 * otherwise H.264 when forbidden_zero_bit is clear; audio is AAC when it opens with an ADTS sync word.
 */
export function probeCodec(streamId: number, payload: Buffer): PsCodec | undefined {
  if (isVideoStreamId(streamId)) {
    let at = -1;
    if (payload.length >= 4 && payload[0] === 0 && payload[1] === 0 && payload[2] === 1) at = 3;
    else if (payload.length >= 5 && payload[0] === 0 && payload[1] === 0 && payload[2] === 0 && payload[3] === 1) {
      at = 4;
    }
    if (at < 0) return undefined;
    const b0 = payload[at];
    if (b0 & 0x80) return undefined;
    const b1 = at + 1 < payload.length ? payload[at + 1] : -1;
    const hevcType = (b0 >> 1) & 0x3f;
    if ((b0 & 0x01) === 0 && b1 === 0x01 && HEVC_OPENING_TYPES.has(hevcType)) return 'hevc';
    const h264Type = b0 & 0x1f;
    return h264Type >= 1 && h264Type <= 12 ? 'h264' : undefined;
  }
  if (isAudioStreamId(streamId)) {
    if (payload.length >= 2 && payload[0] === 0xff && (payload[1] & 0xf6) === 0xf0) return 'aac';
  }
  return undefined;
}

/** H.265 NAL types an access unit can open with: TRAIL_N/R, BLA/IDR/CRA, VPS, SPS, PPS, AUD, prefix SEI. */
const HEVC_OPENING_TYPES = new Set([0, 1, 16, 17, 18, 19, 20, 21, 32, 33, 34, 35, 39]);
