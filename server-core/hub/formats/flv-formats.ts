import { writeFlvTag } from '../../codec/flv/index.js';
import type { SharedPacket, WireFormat } from '../wire-format.js';
import { flvTagTypeOf, packetToFlvBody } from './flv-packet.js';

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
