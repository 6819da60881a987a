import { describe, expect, it } from 'vitest';
import { findBox, parseMdhd, parseTkhd, readBoxes } from './box-reader.js';
import { Fmp4Error } from './fmp4-error.js';
import { writeInitSegment } from './init-segment.js';
import { ASC_44K_MONO, ASC_48K_STEREO, AV1C_720, AVCC_720, HVCC_720, OPUS_HEAD_STEREO } from './test-fixtures.js';
import { describeTrack, isFmp4Codec } from './track-description.js';

describe('describeTrack', () => {
  it('reads H.264, HEVC and AV1 records: 90 kHz, size from the sequence header, RFC 6381 codecs', () => {
    expect(describeTrack(1, 'h264', AVCC_720)).toMatchObject({
      id: 1,
      kind: 'video',
      timescale: 90_000,
      width: 1280,
      height: 720,
      codecs: 'avc1.64001f',
    });
    expect(describeTrack(1, 'hevc', HVCC_720)).toMatchObject({
      kind: 'video',
      width: 1280,
      height: 720,
      codecs: 'hvc1.1.6.L93.90',
    });
    expect(describeTrack(1, 'av1', AV1C_720)).toMatchObject({
      kind: 'video',
      width: 1280,
      height: 720,
      codecs: 'av01.0.05M.08',
    });
  });

  it('reads AAC and Opus records: timescale is the sample rate (Opus: always 48 kHz)', () => {
    expect(describeTrack(2, 'aac', ASC_48K_STEREO)).toMatchObject({
      kind: 'audio',
      timescale: 48_000,
      sampleRate: 48_000,
      channels: 2,
      codecs: 'mp4a.40.2',
    });
    expect(describeTrack(2, 'aac', ASC_44K_MONO)).toMatchObject({ timescale: 44_100, channels: 1 });
    expect(describeTrack(2, 'opus', OPUS_HEAD_STEREO)).toMatchObject({
      timescale: 48_000,
      sampleRate: 48_000,
      channels: 2,
      codecs: 'opus',
    });
  });

  it('keeps a track whose record it cannot read, with generic values', () => {
    const junk = Buffer.from('not a record');
    expect(describeTrack(1, 'h264', junk)).toMatchObject({ width: 0, height: 0, codecs: 'avc1', config: junk });
    expect(describeTrack(1, 'av1', junk).codecs).toBe('av01');
    expect(describeTrack(2, 'opus', junk)).toMatchObject({ timescale: 48_000, channels: 2, codecs: 'opus' });
  });

  it('refuses codecs fMP4 cannot carry here and tracks without a record, with Fmp4Error', () => {
    expect(() => describeTrack(1, 'vp9', AV1C_720)).toThrowError(Fmp4Error);
    expect(() => describeTrack(2, 'g711a', Buffer.from([1]))).toThrowError(Fmp4Error);
    expect(() => describeTrack(1, 'h264', undefined)).toThrowError(Fmp4Error);
    expect(() => describeTrack(1, 'h264', Buffer.alloc(0))).toThrowError(Fmp4Error);
    expect(isFmp4Codec('av1')).toBe(true);
    expect(isFmp4Codec('mp3')).toBe(false);
  });

  it('gives every codec an init segment that parses back, with its sample entry and record', () => {
    const cases = [
      ['h264', AVCC_720, 'avc1', 'avcC'],
      ['hevc', HVCC_720, 'hvc1', 'hvcC'],
      ['av1', AV1C_720, 'av01', 'av1C'],
      ['aac', ASC_48K_STEREO, 'mp4a', 'esds'],
      ['opus', OPUS_HEAD_STEREO, 'Opus', 'dOps'],
    ] as const;
    for (const [codec, config, entry, record] of cases) {
      const track = describeTrack(codec === 'aac' || codec === 'opus' ? 2 : 1, codec, config);
      const boxes = readBoxes(writeInitSegment([track]));
      const trak = findBox(boxes, 'moov/trak')?.children ?? [];
      expect(parseTkhd(findBox(trak, 'tkhd')!).trackId).toBe(track.id);
      expect(parseMdhd(findBox(trak, 'mdia/mdhd')!).timescale).toBe(track.timescale);
      const stsd = findBox(trak, 'mdia/minf/stbl/stsd')!;
      expect(stsd.payload.includes(Buffer.from(entry, 'latin1'))).toBe(true);
      expect(stsd.payload.includes(Buffer.from(record, 'latin1'))).toBe(true);
      if (codec !== 'opus') expect(stsd.payload.includes(config)).toBe(true);
    }
  });
});
