import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAudioTagBody, writeAudioTagBody } from './audio-tag.js';
import { FlvError } from './flv-error.js';
import { writeFlvHeader } from './header.js';
import { stripSetDataFrame } from './script-tag.js';
import { FlvStreamReader } from './tag-reader.js';
import { writeFlvTag } from './tag-writer.js';
import { parseVideoTagBody, writeVideoTagBody } from './video-tag.js';

describe('FLV tags', () => {
  it('writes the header and a tag byte for byte (E.2, E.4.1)', () => {
    expect(writeFlvHeader({ hasAudio: true, hasVideo: true }).toString('hex')).toBe('464c5601050000000900000000');
    const tag = writeFlvTag(9, 0x01020304, Buffer.from([0xaa, 0xbb]));
    expect(tag.toString('hex')).toBe('09000002020304010000 00aabb0000000d'.replace(/ /g, ''));
  });

  it('reads tags back across arbitrary splits', () => {
    const tags = [
      { tagType: 18, timestamp: 0, body: Buffer.from('meta') },
      { tagType: 9, timestamp: 33, body: Buffer.alloc(300, 7) },
      { tagType: 8, timestamp: 0x1ffffff, body: Buffer.from([0xaf, 1, 2]) },
    ];
    const stream = Buffer.concat([
      writeFlvHeader({ hasAudio: true, hasVideo: true }),
      ...tags.map((t) => writeFlvTag(t.tagType as 8 | 9 | 18, t.timestamp, t.body)),
    ]);
    fc.assert(
      fc.property(fc.array(fc.nat(stream.length), { maxLength: 6 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const reader = new FlvStreamReader();
        const out = [];
        let last = 0;
        for (const p of [...points, stream.length]) {
          out.push(...reader.push(stream.subarray(last, p)));
          last = p;
        }
        expect(out.map((t) => ({ ...t, body: Buffer.from(t.body) }))).toEqual(tags);
        expect(reader.header).toEqual({ hasAudio: true, hasVideo: true });
      }),
    );
  });

  it('parses legacy AVC, legacy HEVC (id 12) and Enhanced RTMP video', () => {
    const avc = parseVideoTagBody(Buffer.from([0x17, 0x01, 0x00, 0x00, 0x42, 9, 9]));
    expect(avc).toMatchObject({ codec: 'h264', frameType: 'key', packet: 'coded-frames', compositionTime: 0x42 });
    expect([...avc.data]).toEqual([9, 9]);
    expect(parseVideoTagBody(Buffer.from([0x1c, 0x00, 0, 0, 0, 1]))).toMatchObject({
      codec: 'hevc',
      packet: 'sequence-header',
    });
    // Enhanced: IsExHeader | key frame | CodedFrames, 'hvc1', cts -2
    const ex = parseVideoTagBody(Buffer.from([0x91, 0x68, 0x76, 0x63, 0x31, 0xff, 0xff, 0xfe, 5]));
    expect(ex).toMatchObject({
      codec: 'hevc',
      frameType: 'key',
      packet: 'coded-frames',
      compositionTime: -2,
      enhanced: true,
    });
    const x = parseVideoTagBody(Buffer.from([0xa3, 0x68, 0x76, 0x63, 0x31, 6]));
    expect(x).toMatchObject({ codec: 'hevc', frameType: 'inter', compositionTime: 0 });
    expect(parseVideoTagBody(Buffer.from([0x90, 0x61, 0x76, 0x30, 0x31, 1]))).toMatchObject({
      codec: 'av1',
      packet: 'sequence-header',
    });
  });

  it('round-trips video and audio bodies', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('h264' as const, 'hevc' as const, 'av1' as const),
        fc.boolean(),
        fc.constantFrom('sequence-header' as const, 'coded-frames' as const),
        fc.integer({ min: -1000, max: 5000 }),
        fc.uint8Array({ minLength: 1, maxLength: 50 }),
        (codec, keyframe, packet, cts, data) => {
          const compositionTime = packet === 'coded-frames' && codec !== 'av1' ? cts : 0;
          const body = writeVideoTagBody({ codec, keyframe, packet, compositionTime, data: Buffer.from(data) });
          const parsed = parseVideoTagBody(body);
          expect(parsed.codec).toBe(codec);
          expect(parsed.packet).toBe(packet);
          expect(parsed.frameType).toBe(keyframe ? 'key' : 'inter');
          expect(parsed.compositionTime).toBe(compositionTime);
          expect(Buffer.from(parsed.data)).toEqual(Buffer.from(data));
        },
      ),
    );
    for (const codec of ['aac', 'mp3', 'opus', 'g711a'] as const) {
      const body = writeAudioTagBody({ codec, packet: 'coded-frames', data: Buffer.from([1, 2, 3]) });
      expect(parseAudioTagBody(body)).toMatchObject({ codec, packet: 'coded-frames', data: Buffer.from([1, 2, 3]) });
    }
    expect(parseAudioTagBody(Buffer.from([0xaf, 0x00, 0x12, 0x10]))).toMatchObject({
      codec: 'aac',
      packet: 'sequence-header',
    });
  });

  it('strips @setDataFrame', () => {
    const body = Buffer.concat([
      Buffer.from([2, 0, 13]),
      Buffer.from('@setDataFrame'),
      Buffer.from([2, 0, 10]),
      Buffer.from('onMetaData'),
    ]);
    expect(stripSetDataFrame(body).subarray(3).toString()).toBe('onMetaData');
  });

  it('throws only FlvError on random or truncated bodies', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        for (const parse of [parseVideoTagBody, parseAudioTagBody]) {
          try {
            parse(Buffer.from(bytes));
          } catch (error) {
            expect(error).toBeInstanceOf(FlvError);
          }
        }
        try {
          new FlvStreamReader().push(Buffer.from(bytes));
        } catch (error) {
          expect(error).toBeInstanceOf(FlvError);
        }
      }),
    );
  });
});
