import { writeAudioTagBody, writeFlvTag, writeVideoTagBody } from '../../codec/flv/index.js';
import type { AudioCodec, MediaPacket, VideoCodec } from '../../hub/media-packet.js';
import type { SharedPacket, WireFormat } from '../../hub/wire-format.js';
import { FLV_TAG_AUDIO, FLV_TAG_SCRIPT, FLV_TAG_VIDEO } from './to-packets.js';

/** The FLV tag body alone: what RTMP messages carry. Ingest over RTMP seeds it with the publisher's bytes. */
export const flvBodyFormat: WireFormat = {
  id: 'flv-body',
  encode: (shared) => packetToFlvBody(shared.packet),
};

/** A whole FLV tag (header, body, PreviousTagSize): HTTP-FLV, WebSocket-FLV and FLV recordings. */
export const flvTagFormat: WireFormat = {
  id: 'flv-tag',
  encode: (shared: SharedPacket) =>
    writeFlvTag(flvTagTypeOf(shared.packet) as 8 | 9 | 18, shared.packet.dts, shared.encoded(flvBodyFormat)),
};

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
