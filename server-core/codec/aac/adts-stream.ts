import { type AdtsHeader, parseAdtsHeader } from './adts.js';

/** More than this without a whole frame is not ADTS: the splitter drops it and looks for the next sync word. */
const MAX_PENDING_BYTES = 64 * 1024;

export interface AdtsFrame {
  header: AdtsHeader;
  /** The raw AAC frame (header and CRC removed). */
  raw: Buffer;
}

/**
 * Splits an ADTS byte stream that arrives in chunks of any size (a pipe from an encoder) into frames, resyncing
 * on the next sync word after bytes that are not a frame.
 */
export class AdtsStreamSplitter {
  private pending: Buffer = Buffer.alloc(0);
  skippedBytes = 0;

  push(chunk: Buffer): AdtsFrame[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: AdtsFrame[] = [];
    let at = 0;
    while (this.pending.length - at >= 7) {
      if (this.pending[at] !== 0xff || (this.pending[at + 1] & 0xf0) !== 0xf0) {
        at++;
        this.skippedBytes++;
        continue;
      }
      let header: AdtsHeader;
      try {
        header = parseAdtsHeader(this.pending.subarray(at));
      } catch {
        at++;
        this.skippedBytes++;
        continue;
      }
      if (this.pending.length - at < header.frameLength) break;
      frames.push({
        header,
        raw: Buffer.from(this.pending.subarray(at + header.headerLength, at + header.frameLength)),
      });
      at += header.frameLength;
    }
    this.pending = this.pending.subarray(at);
    if (this.pending.length > MAX_PENDING_BYTES) {
      this.skippedBytes += this.pending.length;
      this.pending = Buffer.alloc(0);
    }
    if (this.pending.length) this.pending = Buffer.from(this.pending);
    return frames;
  }
}
