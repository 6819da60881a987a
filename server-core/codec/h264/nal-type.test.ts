import { describe, expect, it } from 'vitest';
import { BitstreamError } from '../bits/bitstream-error.js';
import { H264_AUD_NAL, H264_NAL_AUD, H264_NAL_IDR, H264_NAL_SPS, H264NalType, h264NalType } from './nal-type.js';
import { h264LevelName } from './profile-level.js';

describe('H.264 NAL type', () => {
  it('reads nal_unit_type from the header byte', () => {
    expect(h264NalType(Buffer.from([0x67, 0x64]))).toBe(H264_NAL_SPS);
    expect(h264NalType(Buffer.from([0x65]))).toBe(H264_NAL_IDR);
    expect(h264NalType(Buffer.from([0x41]))).toBe(H264NalType.SLICE);
    expect(h264NalType(H264_AUD_NAL)).toBe(H264_NAL_AUD);
    expect([...H264_AUD_NAL]).toEqual([0x09, 0xf0]);
  });

  it('throws BitstreamError on an empty unit', () => {
    expect(() => h264NalType(Buffer.alloc(0))).toThrowError(BitstreamError);
  });

  it('names levels as SRS does, including 1b', () => {
    expect(['1', '1.1', '3', '3.1', '4', '5.1', '6.2']).toEqual(
      [10, 11, 30, 31, 40, 51, 62].map((l) => h264LevelName(l)),
    );
    expect(h264LevelName(9)).toBe('1b');
    expect(h264LevelName(11, 66, 0x10)).toBe('1b');
    expect(h264LevelName(11, 100, 0x10)).toBe('1.1');
  });
});
