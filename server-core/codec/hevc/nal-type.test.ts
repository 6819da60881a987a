import { describe, expect, it } from 'vitest';
import { BitstreamError } from '../bits/bitstream-error.js';
import {
  HEVC_AUD_NAL,
  HEVC_NAL_AUD,
  HEVC_NAL_IDR_W_RADL,
  HEVC_NAL_SPS,
  HEVC_NAL_VPS,
  hevcNalType,
  isHevcIrap,
} from './nal-type.js';
import { hevcLevelName, hevcProfileName } from './profile-level.js';

describe('HEVC NAL type', () => {
  it('reads nal_unit_type from the two-byte header', () => {
    expect(hevcNalType(Buffer.from([0x40, 0x01]))).toBe(HEVC_NAL_VPS);
    expect(hevcNalType(Buffer.from([0x42, 0x01]))).toBe(HEVC_NAL_SPS);
    expect(hevcNalType(Buffer.from([0x26, 0x01]))).toBe(HEVC_NAL_IDR_W_RADL);
    expect(hevcNalType(HEVC_AUD_NAL)).toBe(HEVC_NAL_AUD);
    expect(() => hevcNalType(Buffer.from([0x40]))).toThrowError(BitstreamError);
  });

  it('knows the IRAP range', () => {
    expect([15, 16, 19, 20, 21, 23, 24].map(isHevcIrap)).toEqual([false, true, true, true, true, true, false]);
  });

  it('names profiles and levels as SRS does', () => {
    expect([1, 2, 3, 4, 9].map((p) => hevcProfileName(p))).toEqual([
      'Main',
      'Main10',
      'Main Still Picture',
      'Rext',
      'Other',
    ]);
    expect(hevcProfileName(0, 0x20000000)).toBe('Main10');
    expect([30, 60, 63, 93, 120, 123, 153, 186].map(hevcLevelName)).toEqual([
      '1',
      '2',
      '2.1',
      '3.1',
      '4',
      '4.1',
      '5.1',
      '6.2',
    ]);
  });
});
