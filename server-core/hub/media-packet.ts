/**
 * The one packet model every ingest produces and every egress consumes (see DESIGN.md "MediaPacket").
 * Timestamps are integer milliseconds; 90 kHz / 48 kHz clocks are converted at the protocol edge.
 */
export type MediaKind = 'video' | 'audio' | 'data';

export type VideoCodec = 'h264' | 'hevc' | 'av1' | 'vp9';
export type AudioCodec = 'aac' | 'opus' | 'mp3' | 'g711a' | 'g711u';
/** `amf0` carries script data such as onMetaData, AMF0-encoded as FLV script tags hold it. */
export type DataCodec = 'amf0';
export type Codec = VideoCodec | AudioCodec | DataCodec;

/**
 * The audio codecs a consumer carries, best first. A stream may hold the publisher's audio and a transcode of it
 * (AAC made from a WHIP publisher's Opus, Opus made from an RTMP publisher's AAC): each consumer gets one of
 * them, the first of its list the stream has.
 */
export type AudioPreference = readonly AudioCodec[];

/** Track ids as the FLV ingest assigns them; other ingests number their tracks the same way. */
export const DATA_TRACK = 0;
export const VIDEO_TRACK = 1;
export const AUDIO_TRACK = 2;

export interface MediaPacket {
  /**
   * Which track of the stream this belongs to: a stream holds a map of tracks (codec, configuration, clock),
   * so an ingest with two audio languages or a second video angle keeps them apart.
   */
  readonly track: number;
  readonly kind: MediaKind;
  readonly codec: Codec;
  /** Decode timestamp, ms. */
  dts: number;
  /** Presentation timestamp, ms (pts - dts is the composition offset). */
  pts: number;
  readonly keyframe: boolean;
  /**
   * Codec configuration instead of media: AVCDecoderConfigurationRecord, HEVCDecoderConfigurationRecord,
   * AV1CodecConfigurationRecord, AudioSpecificConfig, OpusHead.
   */
  readonly sequenceHeader: boolean;
  /**
   * Codec-native access unit: 4-byte length-prefixed NAL units for H.264/HEVC, OBUs for AV1, one raw AAC frame
   * (no ADTS), one Opus packet, one MP3 frame; or the configuration record when `sequenceHeader` is set.
   */
  readonly payload: Buffer;
}

export function isVideoCodec(codec: Codec): codec is VideoCodec {
  return codec === 'h264' || codec === 'hevc' || codec === 'av1' || codec === 'vp9';
}

export function isAudioCodec(codec: Codec): codec is AudioCodec {
  return codec === 'aac' || codec === 'opus' || codec === 'mp3' || codec === 'g711a' || codec === 'g711u';
}
