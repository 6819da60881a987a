import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BitWriter } from '../bits/bit-writer.js';
import { BitstreamError } from '../bits/bitstream-error.js';
import { addEmulationPrevention } from '../nal/emulation-prevention.js';
import { parseH264Sps } from './sps.js';

const hex = (s: string) => Buffer.from(s, 'hex');

// SPS NAL units written by libx264 (ffmpeg 5.1, testsrc2), see the comment above each.
/** -s 1280x720 -r 30: High 3.1, no cropping. */
const SPS_720P30 = hex('6764001facd9405005bb0110000003001000000303c0f1831960');
/** -s 1920x1080 -r 30: High 4.0, 1088 coded lines cropped to 1080. */
const SPS_1080P30 = hex('67640028acd940780227e5c044000003000400000300f03c60c658');
/** -profile:v baseline -s 640x360 -r 25: Constrained Baseline 3.0. */
const SPS_BASELINE_360P25 = hex('6742c01ed900a02ff97011000003000100000300320f162e48');
/** -x264-params interlaced=1 -s 1920x1080 -r 30: frame_mbs_only_flag 0, MBAFF. */
const SPS_1080I = hex('67640028acd94078044fde0220000003002000000783e2c5b2c0');
/** -pix_fmt yuv444p -s 1280x720: High 4:4:4 Predictive, chroma_format_idc 3. */
const SPS_444 = hex('67f4001f919b280a00b76022000003000200000300781e30632c');

describe('parseH264Sps', () => {
  it('reads 1280x720 High 3.1 at 30 fps', () => {
    expect(parseH264Sps(SPS_720P30)).toEqual({
      spsId: 0,
      profileIdc: 100,
      constraintFlags: 0,
      levelIdc: 31,
      chromaFormatIdc: 1,
      bitDepthLuma: 8,
      bitDepthChroma: 8,
      frameMbsOnly: true,
      width: 1280,
      height: 720,
      fps: 30,
      profileName: 'High',
      levelName: '3.1',
    });
  });

  it('applies frame cropping for 1920x1080', () => {
    const sps = parseH264Sps(SPS_1080P30);
    expect([sps.width, sps.height, sps.fps, sps.profileName, sps.levelName]).toEqual([1920, 1080, 30, 'High', '4']);
  });

  it('reads Baseline without the high-profile fields', () => {
    const sps = parseH264Sps(SPS_BASELINE_360P25);
    expect(sps).toMatchObject({ profileIdc: 66, constraintFlags: 0xc0, width: 640, height: 360, fps: 25 });
    expect([sps.profileName, sps.levelName]).toEqual(['Baseline', '3']);
  });

  it('doubles map units for interlaced coding and crops in field units', () => {
    expect(parseH264Sps(SPS_1080I)).toMatchObject({ frameMbsOnly: false, width: 1920, height: 1080 });
  });

  it('reads 4:4:4', () => {
    expect(parseH264Sps(SPS_444)).toMatchObject({
      chromaFormatIdc: 3,
      width: 1280,
      height: 720,
      profileName: 'High(444+Predictive)',
    });
  });

  it('walks scaling matrices, POC type 1 and 4:2:2 cropping (synthetic SPS)', () => {
    const w = new BitWriter();
    w.writeBits(8, 0x67);
    w.writeBits(8, 122); // High 4:2:2
    w.writeBits(8, 0);
    w.writeBits(8, 41);
    w.writeUE(3); // sps_id
    w.writeUE(2); // chroma_format_idc 4:2:2
    w.writeUE(2); // bit_depth_luma_minus8
    w.writeUE(2); // bit_depth_chroma_minus8
    w.writeBits(1, 0);
    w.writeBits(1, 1); // seq_scaling_matrix_present_flag
    for (let i = 0; i < 8; i++) {
      w.writeBits(1, i % 2);
      if (i % 2) {
        const size = i < 6 ? 16 : 64;
        if (i === 5) {
          w.writeSE(-8); // nextScale 0 at j=0: use the default list, nothing more is coded
        } else {
          for (let j = 0; j < size; j++) w.writeSE(j === 0 ? 8 : 1 - (j % 3));
        }
      }
    }
    w.writeUE(0); // log2_max_frame_num_minus4
    w.writeUE(1); // pic_order_cnt_type 1
    w.writeBits(1, 0);
    w.writeSE(-3);
    w.writeSE(7);
    w.writeUE(3);
    w.writeSE(1);
    w.writeSE(-2);
    w.writeSE(3);
    w.writeUE(4); // max_num_ref_frames
    w.writeBits(1, 0);
    w.writeUE(119); // 1920
    w.writeUE(67); // 1088
    w.writeBits(1, 1); // frame_mbs_only
    w.writeBits(1, 1); // direct_8x8
    w.writeBits(1, 1); // frame_cropping
    w.writeUE(1); // left: 2 px in 4:2:2
    w.writeUE(1); // right
    w.writeUE(0);
    w.writeUE(8); // bottom: 8 lines (SubHeightC 1 for 4:2:2)
    w.writeBits(1, 1); // vui
    w.writeBits(1, 1);
    w.writeBits(8, 255);
    w.writeBits(16, 4);
    w.writeBits(16, 3);
    w.writeBits(1, 0);
    w.writeBits(1, 0);
    w.writeBits(1, 0);
    w.writeBits(1, 1); // timing_info_present
    w.writeBits(32, 1001);
    w.writeBits(32, 60000);
    w.writeBits(1, 1);
    w.writeBits(1, 1); // rbsp_stop_one_bit
    const nal = addEmulationPrevention(w.toBuffer());
    expect(parseH264Sps(nal)).toMatchObject({
      spsId: 3,
      chromaFormatIdc: 2,
      bitDepthLuma: 10,
      bitDepthChroma: 10,
      width: 1916,
      height: 1080,
      fps: 60000 / 2002,
      profileName: 'High(422)',
      levelName: '4.1',
    });
  });

  it('rejects other NAL types and out-of-range fields with BitstreamError', () => {
    expect(() => parseH264Sps(hex('68ebe3cb22c0'))).toThrowError(
      expect.objectContaining({ code: 'BITSTREAM_INVALID' }),
    );
    expect(() => parseH264Sps(hex('67640028'))).toThrowError(BitstreamError);
  });

  it('truncated, bit-flipped and random input throws only BitstreamError', () => {
    const fixtures = [SPS_720P30, SPS_1080P30, SPS_BASELINE_360P25, SPS_1080I, SPS_444];
    for (const f of fixtures) {
      for (let n = 0; n < f.length; n++) expectOnlyBitstreamError(() => parseH264Sps(f.subarray(0, n)));
    }
    fc.assert(
      fc.property(fc.constantFrom(...fixtures), fc.nat(), fc.nat(7), (f, at, bit) => {
        const copy = Buffer.from(f);
        const i = 1 + (at % (copy.length - 1));
        copy[i] ^= 1 << bit;
        expectOnlyBitstreamError(() => parseH264Sps(copy));
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (a) => {
        const b = Buffer.from(a);
        if (b.length > 0) b[0] = 0x67;
        expectOnlyBitstreamError(() => parseH264Sps(b));
      }),
    );
  });
});

function expectOnlyBitstreamError(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(BitstreamError);
  }
}
