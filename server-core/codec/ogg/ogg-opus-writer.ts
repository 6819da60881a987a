import { OGG_BOS, writeOggPage } from './ogg-page.js';

/** An OpusTags packet (RFC 7845 5.2) with our vendor string and no comments. */
function opusTags(): Buffer {
  const vendor = Buffer.from('tally', 'utf8');
  const tags = Buffer.alloc(8 + 4 + vendor.length + 4);
  tags.write('OpusTags', 0, 'latin1');
  tags.writeUInt32LE(vendor.length, 8);
  vendor.copy(tags, 12);
  tags.writeUInt32LE(0, 12 + vendor.length);
  return tags;
}

/**
 * An Ogg Opus stream (RFC 7845) written one packet per page, so a reader (ffmpeg on a pipe) gets each packet
 * as soon as it is written: the OpusHead page, the OpusTags page, then audio pages with granule positions in
 * 48 kHz samples.
 */
export class OggOpusWriter {
  private sequence = 0;
  private granule = 0n;

  constructor(private readonly serial: number) {}

  /** The two header pages, from the stream's OpusHead. */
  headers(opusHead: Buffer): Buffer {
    this.sequence = 0;
    this.granule = 0n;
    const head = this.page(OGG_BOS, opusHead);
    const tags = this.page(0, opusTags());
    return Buffer.concat([head, tags]);
  }

  /** One audio packet and its duration in 48 kHz samples. */
  packet(data: Buffer, samples: number): Buffer {
    this.granule += BigInt(samples);
    return this.page(0, data);
  }

  private page(headerType: number, packet: Buffer): Buffer {
    return writeOggPage({ headerType, granule: this.granule, serial: this.serial, sequence: this.sequence++ }, [
      packet,
    ]);
  }
}
