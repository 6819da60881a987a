import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BitstreamError } from '../bits/bitstream-error.js';
import { buildAv1CodecConfig, parseAv1CodecConfig } from './av1c.js';
import { av1CodecString } from './codec-string.js';

const hex = (s: string) => Buffer.from(s, 'hex');

// av1C boxes written by ffmpeg 5.1 (-f mp4), libaom.
/** 1280x720 8-bit 4:2:0, seq_level_idx 5 */
const AV1C_720 = hex('81050c000a0b0000002d4cffb3ccaf9004');
/** 1920x1080, seq_level_idx 8 */
const AV1C_1080 = hex('81080c000a0b00000042abbfc3732be401');
/** 1280x720 4:4:4 (seq_profile 1) */
const AV1C_444 = hex('812500000a0b2000002d4cffb3ccaf9020');

describe('AV1CodecConfigurationRecord', () => {
  it('parses 1280x720 Main with its sequence header', () => {
    const c = parseAv1CodecConfig(AV1C_720);
    expect(c).toMatchObject({
      seqProfile: 0,
      seqLevelIdx: 5,
      seqTier: 0,
      highBitdepth: false,
      monochrome: false,
      chromaSubsamplingX: 1,
      chromaSubsamplingY: 1,
      chromaSamplePosition: 0,
      width: 1280,
      height: 720,
    });
    expect(c.configObus.length).toBe(13);
    expect(av1CodecString({ ...c, bitDepth: c.sequenceHeader!.bitDepth })).toBe('av01.0.05M.08');
  });

  it('parses 1920x1080 and 4:4:4', () => {
    expect(parseAv1CodecConfig(AV1C_1080)).toMatchObject({ seqLevelIdx: 8, width: 1920, height: 1080 });
    expect(parseAv1CodecConfig(AV1C_444)).toMatchObject({
      seqProfile: 1,
      chromaSubsamplingX: 0,
      chromaSubsamplingY: 0,
      width: 1280,
      height: 720,
    });
  });

  it('allows a record without configOBUs', () => {
    const c = parseAv1CodecConfig(AV1C_720.subarray(0, 4));
    expect(c.width).toBeUndefined();
    expect(c.seqLevelIdx).toBe(5);
  });

  it('builds the same record ffmpeg writes from the sequence header OBU', () => {
    for (const f of [AV1C_720, AV1C_1080, AV1C_444]) {
      expect(buildAv1CodecConfig(f.subarray(4)).toString('hex')).toBe(f.toString('hex'));
    }
  });

  it('adds the size field to a sequence header OBU that lacks one', () => {
    // type 1, no size field: header byte 0x08 then the payload to the end
    const bare = Buffer.concat([hex('08'), AV1C_720.subarray(6)]);
    expect(buildAv1CodecConfig(bare).toString('hex')).toBe(AV1C_720.toString('hex'));
    expect(() => buildAv1CodecConfig(hex('1200'))).toThrowError(BitstreamError);
  });

  it('truncated and random input throws only BitstreamError', () => {
    for (let n = 0; n < AV1C_720.length; n++) {
      try {
        parseAv1CodecConfig(AV1C_720.subarray(0, n));
      } catch (err) {
        expect(err).toBeInstanceOf(BitstreamError);
      }
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (a) => {
        const b = Buffer.from(a);
        if (b.length > 0) b[0] = 0x81;
        if (b.length > 4) b[4] = 0x0a;
        try {
          parseAv1CodecConfig(b);
        } catch (err) {
          expect(err).toBeInstanceOf(BitstreamError);
        }
      }),
    );
  });
});
