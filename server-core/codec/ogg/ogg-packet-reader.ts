import { oggCrc } from './ogg-crc.js';
import { OGG_CAPTURE, OGG_CONTINUED, OGG_HEADER_SIZE } from './ogg-page.js';

/** A packet longer than this is not audio: the reader drops it rather than buffer without bound. */
export const MAX_OGG_PACKET_BYTES = 1024 * 1024;

export interface OggPacket {
  data: Buffer;
  /** The granule position of the page the packet ended on. */
  granule: bigint;
  serial: number;
}

/**
 * Turns an Ogg byte stream (in chunks of any size, as a pipe delivers it) into packets. Pages with a bad
 * checksum are skipped, the reader resyncs on the next capture pattern, and a packet whose pages went missing
 * is dropped; counts say what was lost.
 */
export class OggPacketReader {
  private pending: Buffer = Buffer.alloc(0);
  private partial: Buffer[] = [];
  private partialBytes = 0;
  private lastSequence?: number;
  badPages = 0;
  droppedPackets = 0;

  push(chunk: Buffer): OggPacket[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const packets: OggPacket[] = [];
    let at = 0;
    for (;;) {
      const start = this.pending.indexOf(OGG_CAPTURE, at);
      if (start < 0) {
        // Keep a tail that may be the start of a capture pattern.
        at = Math.max(at, this.pending.length - (OGG_CAPTURE.length - 1));
        break;
      }
      at = start;
      if (this.pending.length - at < OGG_HEADER_SIZE) break;
      const segments = this.pending[at + 26];
      const headerLength = OGG_HEADER_SIZE + segments;
      if (this.pending.length - at < headerLength) break;
      let dataLength = 0;
      for (let i = 0; i < segments; i++) dataLength += this.pending[at + OGG_HEADER_SIZE + i];
      const pageLength = headerLength + dataLength;
      if (this.pending.length - at < pageLength) break;
      const page = this.pending.subarray(at, at + pageLength);
      if (page[4] !== 0 || !checksumMatches(page)) {
        this.badPages++;
        at += 1;
        continue;
      }
      this.readPage(page, segments, packets);
      at += pageLength;
    }
    this.pending = at >= this.pending.length ? Buffer.alloc(0) : Buffer.from(this.pending.subarray(at));
    return packets;
  }

  private readPage(page: Buffer, segments: number, out: OggPacket[]): void {
    const headerType = page[5];
    const granule = page.readBigInt64LE(6);
    const serial = page.readUInt32LE(14);
    const sequence = page.readUInt32LE(18);
    const lost = this.lastSequence !== undefined && sequence !== (this.lastSequence + 1) >>> 0;
    this.lastSequence = sequence;
    // A continuation we cannot join to its start (lost page, or no continuation flag) is dropped.
    const continues = (headerType & OGG_CONTINUED) !== 0;
    if (this.partial.length && (lost || !continues)) this.dropPartial();
    let skipContinuation = continues && this.partial.length === 0;
    let at = OGG_HEADER_SIZE + segments;
    for (let i = 0; i < segments; i++) {
      const size = page[OGG_HEADER_SIZE + i];
      const piece = page.subarray(at, at + size);
      at += size;
      if (skipContinuation) {
        if (size < 255) skipContinuation = false;
        continue;
      }
      this.partial.push(piece);
      this.partialBytes += size;
      if (this.partialBytes > MAX_OGG_PACKET_BYTES) {
        this.dropPartial();
        continue;
      }
      if (size < 255) {
        out.push({ data: Buffer.concat(this.partial), granule, serial });
        this.partial = [];
        this.partialBytes = 0;
      }
    }
  }

  private dropPartial(): void {
    this.partial = [];
    this.partialBytes = 0;
    this.droppedPackets++;
  }
}

function checksumMatches(page: Buffer): boolean {
  const stored = page.readUInt32LE(22);
  const copy = Buffer.from(page);
  copy.writeUInt32LE(0, 22);
  return oggCrc(copy) === stored;
}
