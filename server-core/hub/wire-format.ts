import type { MediaPacket } from './media-packet.js';

/**
 * One output wire format (FLV tags, RTMP chunks at one chunk size, ...). `encode` turns one packet into the bytes
 * every reader of this format receives; the hub calls it once per packet, never per reader.
 */
export interface WireFormat {
  /** Unique per distinct encoding, e.g. `flv` or `rtmp/60000/1`. */
  readonly id: string;
  encode(packet: SharedPacket): Buffer;
}

/** A packet plus its encodings, computed lazily and shared by every reader of a format. */
export class SharedPacket {
  private readonly encodings = new Map<string, Buffer>();

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

  cached(formatId: string): Buffer | undefined {
    return this.encodings.get(formatId);
  }
}
