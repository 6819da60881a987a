import { FlvError } from './flv-error.js';
import { parseFlvHeader } from './header.js';
import { FLV_TAG_HEADER_SIZE } from './tag-writer.js';

export interface FlvTag {
  tagType: number;
  /** Milliseconds, 32 bits (24 + extended byte). */
  timestamp: number;
  body: Buffer;
}

export const FLV_MAX_TAG_SIZE = 16 * 1024 * 1024;

/** Incremental FLV stream parser: the header, then tags, split across push() calls at any byte. */
export class FlvStreamReader {
  private pending: Buffer = Buffer.alloc(0);
  private headerInfo?: { hasAudio: boolean; hasVideo: boolean };
  private readonly maxTagSize: number;

  constructor(opts: { maxTagSize?: number } = {}) {
    this.maxTagSize = opts.maxTagSize ?? FLV_MAX_TAG_SIZE;
  }

  get header(): { hasAudio: boolean; hasVideo: boolean } | undefined {
    return this.headerInfo;
  }

  push(bytes: Buffer): FlvTag[] {
    this.pending = this.pending.length === 0 ? bytes : Buffer.concat([this.pending, bytes]);
    const tags: FlvTag[] = [];
    let pos = 0;
    const buf = this.pending;
    if (!this.headerInfo) {
      if (buf.length < 9) return tags;
      const header = parseFlvHeader(buf);
      if (buf.length < header.headerSize + 4) return tags;
      this.headerInfo = { hasAudio: header.hasAudio, hasVideo: header.hasVideo };
      pos = header.headerSize + 4;
    }
    while (buf.length - pos >= FLV_TAG_HEADER_SIZE) {
      const size = buf.readUIntBE(pos + 1, 3);
      if (size > this.maxTagSize) throw new FlvError('FLV_TOO_LARGE', `FLV tag of ${size} bytes`);
      const total = FLV_TAG_HEADER_SIZE + size + 4;
      if (buf.length - pos < total) break;
      const timestamp = (buf.readUIntBE(pos + 4, 3) | (buf[pos + 7] << 24)) >>> 0;
      tags.push({
        tagType: buf[pos] & 0x1f,
        timestamp,
        body: buf.subarray(pos + FLV_TAG_HEADER_SIZE, pos + FLV_TAG_HEADER_SIZE + size),
      });
      pos += total;
    }
    this.pending = buf.subarray(pos);
    return tags;
  }
}
