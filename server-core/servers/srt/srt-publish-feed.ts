import { TsIngest } from '../../formats/ts/to-packets.js';
import type { StreamSource } from '../../hub/stream-source.js';

/**
 * What an SRT publisher's released payloads become: MPEG-TS bytes, in any split (srt-live-transmit sends
 * 1456-byte payloads, not 188-aligned), demuxed into MediaPackets for the stream.
 */
export class SrtPublishFeed {
  private readonly ingest = new TsIngest();

  constructor(private readonly source: StreamSource) {}

  push(payload: Buffer): void {
    for (const packet of this.ingest.push(payload)) this.source.push(packet);
  }

  /** The publisher left: what the demuxer still holds goes out. */
  flush(): void {
    for (const packet of this.ingest.flush()) this.source.push(packet);
  }
}
