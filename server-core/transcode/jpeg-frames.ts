/** A JPEG larger than this is not a thumbnail: the splitter drops what it holds and looks for the next start. */
export const MAX_JPEG_BYTES = 8 * 1024 * 1024;

/**
 * Cuts ffmpeg's `image2pipe` MJPEG byte stream into whole JPEG files. It walks the marker segments by their
 * lengths up to SOS, then scans the entropy-coded data for EOI (0xFFD9): inside it 0xFF is always followed by
 * 0x00 or a restart marker (ITU T.81 B.1.1.5), so FFD9 there is the end. Pure: bytes in, frames out.
 */
export class JpegFrameSplitter {
  private buffer: Buffer = Buffer.alloc(0);
  /** Frames dropped as malformed or oversized. */
  dropped = 0;

  push(chunk: Buffer): Buffer[] {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const frames: Buffer[] = [];
    for (;;) {
      const start = this.buffer.indexOf(SOI);
      if (start < 0) {
        this.buffer = this.buffer.subarray(Math.max(0, this.buffer.length - 1));
        return frames;
      }
      if (start > 0) this.buffer = this.buffer.subarray(start);
      const end = frameEnd(this.buffer);
      if (end === 'bad') {
        this.dropped++;
        this.buffer = this.buffer.subarray(2);
        continue;
      }
      if (end === undefined) {
        if (this.buffer.length > MAX_JPEG_BYTES) {
          this.dropped++;
          this.buffer = this.buffer.subarray(2);
          continue;
        }
        return frames;
      }
      frames.push(Buffer.from(this.buffer.subarray(0, end)));
      this.buffer = this.buffer.subarray(end);
    }
  }

  reset(): void {
    this.buffer = Buffer.alloc(0);
  }
}

const SOI = Buffer.from([0xff, 0xd8]);
const SOS = 0xda;
const EOI = 0xd9;

/** Where the JPEG starting at 0 ends (just past EOI), undefined if not all here yet, 'bad' if malformed. */
function frameEnd(buf: Buffer): number | undefined | 'bad' {
  let at = 2;
  // Marker segments: FF, marker, 2-byte length that counts itself.
  for (;;) {
    if (at + 4 > buf.length) return undefined;
    if (buf[at] !== 0xff) return 'bad';
    const marker = buf[at + 1];
    if (marker === 0xff) {
      at++;
      continue;
    }
    const length = buf.readUInt16BE(at + 2);
    if (length < 2) return 'bad';
    at += 2 + length;
    if (marker === SOS) break;
  }
  for (; at + 1 < buf.length; at++) {
    if (buf[at] !== 0xff) continue;
    const next = buf[at + 1];
    if (next === EOI) return at + 2;
    if (next === 0x00 || (next >= 0xd0 && next <= 0xd7) || next === 0xff) continue;
    // Another marker after the scan (a progressive JPEG's next SOS, DHT...): walk it as a segment.
    if (at + 4 > buf.length) return undefined;
    at += 1 + buf.readUInt16BE(at + 2);
  }
  return undefined;
}
