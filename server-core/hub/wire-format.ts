import type { AudioPreference, MediaPacket } from './media-packet.js';

/**
 * One output wire format (FLV tags, RTMP chunks at one chunk size, ...). `encode` turns one packet into the bytes
 * every reader of this format receives; the hub calls it once per packet, never per reader.
 */
export interface WireFormat {
  /** Unique per distinct encoding, e.g. `flv` or `rtmp/60000/1`. */
  readonly id: string;
  /** The audio codecs this format carries, best first; absent: what containers take (CONTAINER_AUDIO). */
  readonly audioCodecs?: AudioPreference;
  encode(packet: SharedPacket): Buffer;
}

/**
 * A wire format whose unit is a list of packets (RTP packets, 1316-byte TS datagrams) rather than a byte stream.
 * Serialized once per media packet; every reader gets the same Buffers, and its sink may put a small header of
 * its own in front of each (RTP SSRC, sequence, timestamp) without copying the payload.
 */
export interface PacketWireFormat {
  readonly id: string;
  readonly packets: true;
  readonly audioCodecs?: AudioPreference;
  encodePackets(packet: SharedPacket): readonly Buffer[];
}

export type AnyWireFormat = WireFormat | PacketWireFormat;

export function isPacketFormat(format: AnyWireFormat): format is PacketWireFormat {
  return (format as PacketWireFormat).packets === true;
}

/** A packet plus its encodings, computed lazily and shared by every reader of a format. */
export class SharedPacket {
  private readonly encodings = new Map<string, Buffer>();
  private packetEncodings?: Map<string, readonly Buffer[]>;

  constructor(readonly packet: MediaPacket) {}

  /** Seeds an encoding the ingest already has (e.g. the FLV tag body an RTMP publisher sent). */
  seed(formatId: string, bytes: Buffer): void {
    this.encodings.set(formatId, bytes);
  }

  encoded(format: WireFormat): Buffer {
    let bytes = this.encodings.get(format.id);
    if (bytes === undefined) {
      bytes = format.encode(this);
      this.encodings.set(format.id, bytes);
    }
    return bytes;
  }

  /** The packets of a packet format, encoded once. */
  packetsFor(format: PacketWireFormat): readonly Buffer[] {
    this.packetEncodings ??= new Map();
    let packets = this.packetEncodings.get(format.id);
    if (packets === undefined) {
      packets = format.encodePackets(this);
      this.packetEncodings.set(format.id, packets);
    }
    return packets;
  }

  cached(formatId: string): Buffer | undefined {
    return this.encodings.get(formatId);
  }
}
