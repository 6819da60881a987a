import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BitstreamError } from '../bits/bitstream-error.js';
import { buildAvcDecoderConfig, parseAvcDecoderConfig } from './avcc.js';
import { h264CodecString } from './codec-string.js';

const hex = (s: string) => Buffer.from(s, 'hex');

// avcC boxes written by ffmpeg 5.1 (libx264, -f mp4).
const SPS_720 = '6764001facd9405005bb0110000003001000000303c0f1831960';
const PPS_720 = '68ebe3cb22c0';
/** High 3.1: carries the chroma/bit-depth extension. */
const AVCC_HIGH = hex(`0164001fffe1001a${SPS_720}010006${PPS_720}fdf8f800`);
const SPS_BASE = '6742c01ed900a02ff97011000003000100000300320f162e48';
const PPS_BASE = '68cb83cb20';
/** Constrained Baseline 3.0: no extension. */
const AVCC_BASELINE = hex(`0142c01effe10019${SPS_BASE}010005${PPS_BASE}`);
/** High 4:4:4 Predictive. */
const AVCC_444 = hex('01f4001fffe1001a67f4001f919b280a00b76022000003000200000300781e30632c01000668ebe3c44844fff8f800');

describe('AVCDecoderConfigurationRecord', () => {
  it('parses the record ffmpeg writes for High profile', () => {
    const config = parseAvcDecoderConfig(AVCC_HIGH);
    expect(config).toEqual({
      profileIdc: 100,
      profileCompatibility: 0,
      levelIdc: 31,
      lengthSize: 4,
      sps: [hex(SPS_720)],
      pps: [hex(PPS_720)],
      chromaFormatIdc: 1,
      bitDepthLuma: 8,
      bitDepthChroma: 8,
    });
    expect(config.sps[0].buffer).toBe(AVCC_HIGH.buffer);
  });

  it('parses Baseline, and High without the optional extension', () => {
    expect(parseAvcDecoderConfig(AVCC_BASELINE)).toEqual({
      profileIdc: 66,
      profileCompatibility: 0xc0,
      levelIdc: 30,
      lengthSize: 4,
      sps: [hex(SPS_BASE)],
      pps: [hex(PPS_BASE)],
    });
    const short = parseAvcDecoderConfig(AVCC_HIGH.subarray(0, AVCC_HIGH.length - 4));
    expect(short.chromaFormatIdc).toBeUndefined();
  });

  it('builds byte-identical records to ffmpeg', () => {
    expect(buildAvcDecoderConfig([hex(SPS_720)], [hex(PPS_720)]).equals(AVCC_HIGH)).toBe(true);
    expect(buildAvcDecoderConfig([hex(SPS_BASE)], [hex(PPS_BASE)]).equals(AVCC_BASELINE)).toBe(true);
    const sps444 = parseAvcDecoderConfig(AVCC_444);
    expect(buildAvcDecoderConfig(sps444.sps, sps444.pps).equals(AVCC_444)).toBe(true);
  });

  it('gives the RFC 6381 codec string', () => {
    const c = parseAvcDecoderConfig(AVCC_HIGH);
    expect(h264CodecString(c.profileIdc, c.profileCompatibility, c.levelIdc)).toBe('avc1.64001f');
    expect(h264CodecString(66, 0xc0, 30)).toBe('avc1.42c01e');
  });

  it('refuses bad input to the builder', () => {
    expect(() => buildAvcDecoderConfig([], [])).toThrowError(BitstreamError);
    expect(() => buildAvcDecoderConfig([hex(PPS_720)], [])).toThrowError(BitstreamError);
    expect(() => buildAvcDecoderConfig([hex(SPS_720)], [hex(SPS_720)])).toThrowError(BitstreamError);
  });

  it('truncated and random records throw only BitstreamError', () => {
    for (const f of [AVCC_HIGH, AVCC_BASELINE, AVCC_444]) {
      for (let n = 0; n < f.length - 4; n++) {
        expect(() => parseAvcDecoderConfig(f.subarray(0, n))).toThrowError(BitstreamError);
      }
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (a) => {
        const b = Buffer.from(a);
        if (b.length > 0) b[0] = 1;
        try {
          parseAvcDecoderConfig(b);
        } catch (err) {
          expect(err).toBeInstanceOf(BitstreamError);
        }
      }),
    );
  });
});
