import { describe, expect, it } from 'vitest';
import { JpegFrameSplitter } from './jpeg-frames.js';

/** A minimal JPEG-shaped byte string: SOI, one segment, SOS, entropy data, EOI. */
function jpeg(fill: number, segmentByte = 0x11): Buffer {
  return Buffer.from([
    0xff,
    0xd8,
    0xff,
    0xdb,
    0x00,
    0x05,
    segmentByte,
    0xff,
    0xd9,
    0xff,
    0xda,
    0x00,
    0x03,
    0x01,
    fill,
    0xff,
    0x00,
    fill,
    0xff,
    0xd3,
    fill,
    0xff,
    0xd9,
  ]);
}

describe('JpegFrameSplitter', () => {
  it('cuts back-to-back frames, whole and split across chunks at every byte', () => {
    const stream = Buffer.concat([jpeg(1), jpeg(2), jpeg(3)]);
    for (let cut = 1; cut < stream.length; cut++) {
      const splitter = new JpegFrameSplitter();
      const frames = [...splitter.push(stream.subarray(0, cut)), ...splitter.push(stream.subarray(cut))];
      expect(frames).toEqual([jpeg(1), jpeg(2), jpeg(3)]);
    }
  });

  it('does not end a frame at FFD9 inside a header segment or at stuffed bytes', () => {
    const frames = new JpegFrameSplitter().push(jpeg(0xff));
    expect(frames).toHaveLength(1);
    expect(frames[0].length).toBe(jpeg(0xff).length);
  });

  it('skips garbage before a frame and drops a malformed one', () => {
    const splitter = new JpegFrameSplitter();
    const bad = Buffer.from([0xff, 0xd8, 0x00, 0x00, 0x00, 0x00]);
    const frames = splitter.push(Buffer.concat([Buffer.from('junk'), bad, jpeg(7)]));
    expect(frames).toEqual([jpeg(7)]);
    expect(splitter.dropped).toBe(1);
  });
});
