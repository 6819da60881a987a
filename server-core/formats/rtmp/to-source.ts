import type { StreamSource } from '../../hub/stream-source.js';
import type { RtmpMessage } from '../../protocol/rtmp/message.js';
import { flvBodyFormat } from '../flv/from-packets.js';
import { FLV_TAG_AUDIO, FLV_TAG_SCRIPT, FLV_TAG_VIDEO, flvBodyToPacket } from '../flv/to-packets.js';

/**
 * One RTMP media message (audio, video or script data, as a publisher or an origin sends it) into a stream.
 * RTMP readers get the sender's own tag body back (seeded): no re-encoding for the common case. Returns whether
 * a packet went in; a body that does not parse goes to onBadPacket and nowhere else.
 */
export function pushRtmpMedia(
  source: StreamSource,
  message: RtmpMessage,
  onBadPacket: (error: Error) => void,
): boolean {
  const { typeId } = message;
  if (typeId !== FLV_TAG_AUDIO && typeId !== FLV_TAG_VIDEO && typeId !== FLV_TAG_SCRIPT) return false;
  let packet: ReturnType<typeof flvBodyToPacket>;
  try {
    packet = flvBodyToPacket(typeId, message.timestamp, message.payload);
  } catch (error) {
    onBadPacket(error as Error);
    return false;
  }
  if (!packet) return false;
  const seed = typeId === FLV_TAG_SCRIPT ? undefined : { formatId: flvBodyFormat.id, bytes: message.payload };
  source.push(packet, seed);
  return true;
}
