import type { StreamSource } from '../../hub/stream-source.js';
import type { PacketWireFormat, SharedPacket } from '../../hub/wire-format.js';
import { tsFormatFor } from './from-packets.js';

/** Seven 188-byte TS packets: what fits a 1500-byte MTU and what SRT and UDP-TS receivers expect. */
export const TS_DATAGRAM_SIZE = 7 * 188;

/**
 * The stream's MPEG-TS cut into datagrams of at most 1316 bytes (whole TS packets), a packet format for SRT and
 * UDP players: the TS bytes come from the stream's one muxer, and the cut is made once for every reader.
 */
export function tsDatagramFormatFor(source: StreamSource): PacketWireFormat {
  const ts = tsFormatFor(source);
  return source.statefulFormat('ts-datagrams', () => ({
    id: 'ts-datagrams',
    packets: true as const,
    encodePackets: (shared: SharedPacket): readonly Buffer[] => {
      const bytes = shared.encoded(ts);
      const out: Buffer[] = [];
      for (let at = 0; at < bytes.length; at += TS_DATAGRAM_SIZE) {
        out.push(bytes.subarray(at, Math.min(bytes.length, at + TS_DATAGRAM_SIZE)));
      }
      return out;
    },
  }));
}
