import type { WireFormat } from '../../hub/wire-format.js';
import { encodeMessageChunks } from '../../protocol/rtmp/chunk-writer.js';
import { flvBodyFormat, flvTagTypeOf } from '../flv/from-packets.js';
import { FLV_TAG_AUDIO, FLV_TAG_VIDEO } from '../flv/to-packets.js';

/** Chunk stream ids for media we send; each message starts with a full (fmt 0) header, so readers can share. */
const CSID_VIDEO = 6;
const CSID_AUDIO = 4;
const CSID_DATA = 5;

/**
 * RTMP media as chunks at one chunk size on one message stream id. Every player of a stream with the same
 * chunk size and stream id (nearly all: we hand out stream id 1) shares the same chunk bytes.
 */
export function createRtmpChunkFormat(chunkSize: number, streamId: number): WireFormat {
  return {
    id: `rtmp/${chunkSize}/${streamId}`,
    encode: (shared) => {
      const typeId = flvTagTypeOf(shared.packet);
      const csid = typeId === FLV_TAG_VIDEO ? CSID_VIDEO : typeId === FLV_TAG_AUDIO ? CSID_AUDIO : CSID_DATA;
      const payload = shared.encoded(flvBodyFormat);
      return encodeMessageChunks({ typeId, streamId, timestamp: shared.packet.dts, payload }, chunkSize, csid);
    },
  };
}
