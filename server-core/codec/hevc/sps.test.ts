import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BitWriter } from '../bits/bit-writer.js';
import { BitstreamError } from '../bits/bitstream-error.js';
import { addEmulationPrevention } from '../nal/emulation-prevention.js';
import { hevcCodecString } from './codec-string.js';
import { parseHevcSps } from './sps.js';

const hex = (s: string) => Buffer.from(s, 'hex');

// SPS NAL units written by libx265 3.5 (ffmpeg 5.1, testsrc2 at 30 fps).
/** 1280x720 Main 3.1 */
const SPS_720P30 = hex('42010101600000030090000003000003005da00280802d165959a4932bc05a020000030002000003003c10');
/** 1920x1080 Main 4: 1088 coded lines, conformance window crops 8. */
const SPS_1080P30 = hex('420101016000000300900000030000030078a003c08010e596566924caf0168080000003008000000f04');
/** 1280x720 Main 10 3.1 (-pix_fmt yuv420p10le). */
const SPS_MAIN10 = hex('42010102200000030090000003000003005da00280802d1365959a4932bc05a020000003002000000303c1');
/** 1280x720 with a custom scaling list file (-x265-params scaling-list=...): scaling_list_data() in the SPS. */
const SPS_SCALING_LISTS = hex(
  [
    '42010101600000030090000003000003005da00280802d165959a493e100830936156d851b0930c91111420080262826161a',
    '160984cc160985826110b04c2c130b20985826130b04c28130b04c2c130b04c281309858261609a0b04c2c13098602616098',
    '581185826161a16098a0989222228604820098a098586858261330582616098442c130b04c2c826160984c2c130a04c2c130',
    'b04c2c130a04c2616098582682c130b04c261809858261604616098586858262826248888a1812080262826161a160984cc1',
    '60985826110b04c2c130b20985826130b04c28130b04c2c130b04c281309858261609a0b04c2c13098602616098581185826',
    '161a16098a098925780b4040000003004000000782',
  ].join(''),
);

describe('parseHevcSps', () => {
  it('reads 1280x720 Main 3.1 at 30 fps', () => {
    const sps = parseHevcSps(SPS_720P30);
    expect(sps).toEqual({
      spsId: 0,
      maxSubLayers: 1,
      temporalIdNestingFlag: true,
      generalProfileSpace: 0,
      generalTierFlag: 0,
      generalProfileIdc: 1,
      generalProfileCompatibilityFlags: 0x60000000,
      generalConstraintIndicatorFlags: hex('900000000000'),
      generalLevelIdc: 93,
      chromaFormatIdc: 1,
      bitDepthLuma: 8,
      bitDepthChroma: 8,
      width: 1280,
      height: 720,
      fps: 30,
      profileName: 'Main',
      levelName: '3.1',
    });
    expect(hevcCodecString(sps)).toBe('hvc1.1.6.L93.90');
  });

  it('applies the conformance window for 1920x1080', () => {
    const sps = parseHevcSps(SPS_1080P30);
    expect([sps.width, sps.height, sps.fps, sps.profileName, sps.levelName]).toEqual([1920, 1080, 30, 'Main', '4']);
  });

  it('reads Main 10', () => {
    const sps = parseHevcSps(SPS_MAIN10);
    expect(sps).toMatchObject({ generalProfileIdc: 2, bitDepthLuma: 10, bitDepthChroma: 10, width: 1280, height: 720 });
    expect(sps.profileName).toBe('Main10');
    expect(hevcCodecString(sps, 'hev1')).toBe('hev1.2.4.L93.90');
  });

  it('walks explicit scaling lists to reach the VUI', () => {
    expect(parseHevcSps(SPS_SCALING_LISTS)).toMatchObject({ width: 1280, height: 720, fps: 30 });
  });

  it('derives predicted short-term RPS sizes, dropping zero deltas (synthetic SPS, 7.4.8)', () => {
    const w = new BitWriter();
    w.writeBits(16, 0x4201);
    w.writeBits(4, 0); // vps id
    w.writeBits(3, 1); // max_sub_layers_minus1: one sub-layer in profile_tier_level
    w.writeBits(1, 0);
    w.writeBits(8, 0x01); // general profile Main
    w.writeBits(32, 0x60000000);
    w.writeBits(32, 0x90000000);
    w.writeBits(16, 0);
    w.writeBits(8, 120);
    w.writeBits(2, 0b11); // sub-layer 0 profile and level present
    w.writeBits(14, 0); // reserved_zero_2bits x 7
    w.writeBits(32, 0x01600000); // sub-layer profile: 88 bits
    w.writeBits(32, 0);
    w.writeBits(24, 0);
    w.writeBits(8, 120); // sub-layer level
    w.writeUE(0); // sps id
    w.writeUE(2); // chroma 4:2:2
    w.writeUE(1920);
    w.writeUE(1088);
    w.writeBits(1, 1); // conformance window
    w.writeUE(0);
    w.writeUE(4); // right: 8 luma columns in 4:2:2
    w.writeUE(0);
    w.writeUE(8); // bottom: 8 lines in 4:2:2
    w.writeUE(0);
    w.writeUE(0);
    w.writeUE(4); // log2_max_poc_lsb = 8
    w.writeBits(1, 0); // ordering info for the last sub-layer only
    w.writeUE(4);
    w.writeUE(2);
    w.writeUE(0);
    for (const v of [0, 3, 0, 3, 1, 1]) w.writeUE(v);
    w.writeBits(1, 0); // scaling lists off
    w.writeBits(2, 0);
    w.writeBits(1, 1); // pcm
    w.writeBits(8, 0x77);
    w.writeUE(0);
    w.writeUE(0);
    w.writeBits(1, 0);
    w.writeUE(4); // num_short_term_ref_pic_sets
    // set 0: explicit, negatives -1 -2
    w.writeUE(2);
    w.writeUE(0);
    for (let i = 0; i < 2; i++) {
      w.writeUE(0);
      w.writeBits(1, 1);
    }
    // set 1: predicted, deltaRps -1 -> negatives -1 -2 -3 (3 flag pairs: 2 pictures + deltaRps)
    w.writeBits(1, 1);
    w.writeBits(1, 1);
    w.writeUE(0);
    for (let j = 0; j < 3; j++) w.writeBits(1, 1);
    // set 2: predicted, deltaRps +2 -> -1+2=1, -2+2=0 (dropped), -3+2=-1, +2: three pictures from 4 pairs
    w.writeBits(1, 1);
    w.writeBits(1, 0);
    w.writeUE(1);
    for (let j = 0; j < 4; j++) w.writeBits(1, 1);
    // set 3: predicted from set 2's 3 pictures: 4 pairs, the last one 'not used, no delta'
    w.writeBits(1, 1);
    w.writeBits(1, 1);
    w.writeUE(0);
    for (let j = 0; j < 3; j++) w.writeBits(1, 1);
    w.writeBits(2, 0);
    w.writeBits(1, 1); // long-term refs
    w.writeUE(2);
    w.writeBits(9, 0x1ff);
    w.writeBits(9, 0);
    w.writeBits(2, 0b11);
    w.writeBits(1, 1); // vui
    w.writeBits(1, 0);
    w.writeBits(1, 0);
    w.writeBits(1, 0);
    w.writeBits(1, 0);
    w.writeBits(3, 0);
    w.writeBits(1, 1); // default display window
    for (let i = 0; i < 4; i++) w.writeUE(i);
    w.writeBits(1, 1); // timing
    w.writeBits(32, 1);
    w.writeBits(32, 50);
    w.writeBits(1, 1);
    const sps = parseHevcSps(addEmulationPrevention(w.toBuffer()));
    expect(sps).toMatchObject({ chromaFormatIdc: 2, width: 1912, height: 1080, fps: 50, maxSubLayers: 2 });
    expect(sps.levelName).toBe('4');
  });

  it('rejects other NAL types', () => {
    expect(() => parseHevcSps(hex('4401c172b46240'))).toThrowError(
      expect.objectContaining({ code: 'BITSTREAM_INVALID' }),
    );
  });

  it('truncated, bit-flipped and random input throws only BitstreamError', () => {
    const fixtures = [SPS_720P30, SPS_1080P30, SPS_MAIN10];
    for (const f of fixtures) {
      for (let n = 0; n < f.length; n++) expectOnlyBitstreamError(() => parseHevcSps(f.subarray(0, n)));
    }
    fc.assert(
      fc.property(fc.constantFrom(...fixtures), fc.nat(), fc.nat(7), (f, at, bit) => {
        const copy = Buffer.from(f);
        const i = 2 + (at % (copy.length - 2));
        copy[i] ^= 1 << bit;
        expectOnlyBitstreamError(() => parseHevcSps(copy));
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (a) => {
        const b = Buffer.from(a);
        if (b.length > 1) [b[0], b[1]] = [0x42, 0x01];
        expectOnlyBitstreamError(() => parseHevcSps(b));
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
