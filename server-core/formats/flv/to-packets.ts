import { parseAudioTagBody, parseVideoTagBody, readScriptName, stripSetDataFrame } from '../../codec/flv/index.js';
import { AUDIO_TRACK, DATA_TRACK, type MediaPacket, VIDEO_TRACK } from '../../hub/media-packet.js';

export const FLV_TAG_AUDIO = 8;
export const FLV_TAG_VIDEO = 9;
export const FLV_TAG_SCRIPT = 18;

/**
 * Turns one FLV tag body (as RTMP audio/video/data messages and FLV files carry it) into a MediaPacket.
 * Returns undefined for bodies that carry no media (end-of-sequence, script data other than onMetaData).
 * Throws the FLV codec's error for malformed or unsupported bodies.
 */
export function flvBodyToPacket(tagType: number, timestamp: number, body: Buffer): MediaPacket | undefined {
  if (tagType === FLV_TAG_VIDEO) {
    const tag = parseVideoTagBody(body);
    if (tag.packet !== 'sequence-header' && tag.packet !== 'coded-frames') return undefined;
    if (tag.data.length === 0) return undefined;
    const sequenceHeader = tag.packet === 'sequence-header';
    return {
      track: VIDEO_TRACK,
      kind: 'video',
      codec: tag.codec,
      dts: timestamp,
      pts: timestamp + tag.compositionTime,
      keyframe: sequenceHeader || tag.frameType === 'key' || tag.frameType === 'generated-key',
      sequenceHeader,
      payload: tag.data,
    };
  }
  if (tagType === FLV_TAG_AUDIO) {
    const tag = parseAudioTagBody(body);
    if (tag.data.length === 0) return undefined;
    return {
      track: AUDIO_TRACK,
      kind: 'audio',
      codec: tag.codec,
      dts: timestamp,
      pts: timestamp,
      keyframe: false,
      sequenceHeader: tag.packet === 'sequence-header',
      payload: tag.data,
    };
  }
  if (tagType === FLV_TAG_SCRIPT) {
    const metadata = stripSetDataFrame(body);
    if (readScriptName(metadata) !== 'onMetaData') return undefined;
    return {
      track: DATA_TRACK,
      kind: 'data',
      codec: 'amf0',
      dts: timestamp,
      pts: timestamp,
      keyframe: false,
      sequenceHeader: false,
      payload: metadata,
    };
  }
  return undefined;
}
