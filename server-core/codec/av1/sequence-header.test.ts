import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BitWriter } from '../bits/bit-writer.js';
import { BitstreamError } from '../bits/bitstream-error.js';
import { readObu } from './obu.js';
import { parseAv1SequenceHeader } from './sequence-header.js';

const hex = (s: string) => Buffer.from(s, 'hex');
const payloadOf = (obu: string) => readObu(hex(obu), 0).payload;

// Sequence header OBUs from ffmpeg 5.1 (-f obu), checked against ffprobe.
/** SVT-AV1, 1920x1080 10-bit 4:2:0 */
const SVT_1080_10BIT = '0a0b00000042abbfc373efe501';
/** libaom, 640x360 12-bit 4:2:2 (seq_profile 2) */
const AOM_422_12BIT = '0a0b4000000cc4ff6736be5888';
/** rav1e, 640x360, seq_level_idx 31 (no level constraint) */
const RAV1E_360 = '0a0e000000fa627fb38842b204040428';
/** libaom, 640x360 monochrome */
const AOM_GRAY = '0a0b0000000cc4ff6736be4a80';

describe('parseAv1SequenceHeader', () => {
  it('reads SVT-AV1 10-bit', () => {
    expect(parseAv1SequenceHeader(payloadOf(SVT_1080_10BIT))).toMatchObject({
      seqProfile: 0,
      seqLevelIdx: 8,
      width: 1920,
      height: 1080,
      bitDepth: 10,
      highBitdepth: true,
      chromaSubsamplingX: 1,
      chromaSubsamplingY: 1,
    });
  });

  it('reads 12-bit 4:2:2 in the Professional profile', () => {
    expect(parseAv1SequenceHeader(payloadOf(AOM_422_12BIT))).toMatchObject({
      seqProfile: 2,
      bitDepth: 12,
      twelveBit: true,
      chromaSubsamplingX: 1,
      chromaSubsamplingY: 0,
      width: 640,
      height: 360,
    });
  });

  it('reads rav1e and monochrome headers', () => {
    expect(parseAv1SequenceHeader(payloadOf(RAV1E_360))).toMatchObject({
      seqLevelIdx: 31,
      seqTier: 0,
      width: 640,
      height: 360,
    });
    expect(parseAv1SequenceHeader(payloadOf(AOM_GRAY))).toMatchObject({ monochrome: true, width: 640, height: 360 });
  });

  it('walks timing info, the decoder model and several operating points (synthetic)', () => {
    const w = new BitWriter();
    w.writeBits(3, 0);
    w.writeBits(2, 0); // still_picture, reduced
    w.writeBits(1, 1); // timing_info_present
    w.writeBits(32, 1001);
    w.writeBits(32, 60000);
    w.writeBits(1, 1); // equal_picture_interval
    w.writeBits(3, 0b010); // uvlc 1: two ticks per picture
    w.writeBits(1, 1); // decoder_model_info_present
    w.writeBits(5, 9); // buffer_delay_length_minus_1
    w.writeBits(32, 1);
    w.writeBits(10, 0);
    w.writeBits(1, 1); // initial_display_delay_present
    w.writeBits(5, 1); // two operating points
    for (const level of [12, 4]) {
      w.writeBits(12, 0x103);
      w.writeBits(5, level);
      if (level > 7) w.writeBits(1, 1); // tier
      w.writeBits(1, 1); // decoder_model_present_for_this_op
      w.writeBits(21, 0);
      w.writeBits(1, 1);
      w.writeBits(4, 9);
    }
    w.writeBits(4, 11);
    w.writeBits(4, 11);
    w.writeBits(12, 3839);
    w.writeBits(12, 2159);
    w.writeBits(1, 1); // frame_id_numbers_present
    w.writeBits(7, 0);
    w.writeBits(3, 0);
    w.writeBits(4, 0);
    w.writeBits(1, 1); // enable_order_hint
    w.writeBits(2, 0);
    w.writeBits(1, 0); // seq_choose_screen_content_tools
    w.writeBits(1, 1); // seq_force_screen_content_tools
    w.writeBits(1, 0); // seq_choose_integer_mv
    w.writeBits(1, 1);
    w.writeBits(3, 6);
    w.writeBits(3, 0);
    w.writeBits(1, 1); // high_bitdepth
    w.writeBits(1, 0); // mono
    w.writeBits(1, 1); // color description
    w.writeBits(24, 0x091009);
    w.writeBits(1, 1); // color_range
    w.writeBits(2, 2); // chroma_sample_position
    w.writeBits(2, 0);
    expect(parseAv1SequenceHeader(w.toBuffer())).toMatchObject({
      seqLevelIdx: 12,
      seqTier: 1,
      width: 3840,
      height: 2160,
      fps: 60000 / 2002,
      bitDepth: 10,
      colorPrimaries: 9,
      transferCharacteristics: 16,
      matrixCoefficients: 9,
      colorRange: 1,
      chromaSamplePosition: 2,
    });
  });

  it('truncated and random input throws only BitstreamError', () => {
    for (const obu of [SVT_1080_10BIT, AOM_422_12BIT, RAV1E_360]) {
      const p = payloadOf(obu);
      for (let n = 0; n < p.length - 1; n++) {
        expect(() => parseAv1SequenceHeader(p.subarray(0, n))).toThrowError(BitstreamError);
      }
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (a) => {
        try {
          parseAv1SequenceHeader(Buffer.from(a));
        } catch (err) {
          expect(err).toBeInstanceOf(BitstreamError);
        }
      }),
    );
  });
});
