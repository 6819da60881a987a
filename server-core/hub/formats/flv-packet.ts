import {
  parseAudioTagBody,
  parseVideoTagBody,
  readScriptName,
  stripSetDataFrame,
  writeAudioTagBody,
  writeVideoTagBody,
} from '../../codec/flv/index.js';
import type { AudioCodec, MediaPacket, VideoCodec } from '../media-packet.js';

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

export function flvTagTypeOf(packet: MediaPacket): number {
  if (packet.kind === 'video') return FLV_TAG_VIDEO;
  if (packet.kind === 'audio') return FLV_TAG_AUDIO;
  return FLV_TAG_SCRIPT;
}

/** The FLV tag body of a packet: the inverse of flvBodyToPacket. */
export function packetToFlvBody(packet: MediaPacket): Buffer {
  if (packet.kind === 'video') {
    return writeVideoTagBody({
      codec: packet.codec as VideoCodec,
      keyframe: packet.keyframe,
      packet: packet.sequenceHeader ? 'sequence-header' : 'coded-frames',
      compositionTime: packet.pts - packet.dts,
      data: packet.payload,
    });
  }
  if (packet.kind === 'audio') {
    return writeAudioTagBody({
      codec: packet.codec as AudioCodec,
      packet: packet.sequenceHeader ? 'sequence-header' : 'coded-frames',
      data: packet.payload,
    });
  }
  return packet.payload;
}
