import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BitstreamError } from '../bits/bitstream-error.js';
import { buildHevcDecoderConfig, parseHevcDecoderConfig } from './hvcc.js';

const hex = (s: string) => Buffer.from(s, 'hex');

const VPS = '40010c01ffff01600000030090000003000003005d959809';
const SPS = '42010101600000030090000003000003005da00280802d165959a4932bc05a020000030002000003003c10';
const PPS = '4401c172b46240';
/** hvcC written by ffmpeg 5.1 for libx265 1280x720 (-tag:v hvc1 -x265-params info=0). */
const HVCC = hex(
  `0101600000009000000000005df000fcfdf8f800000f03a00001${'0018'}${VPS}a10001${'002b'}${SPS}a20001${'0007'}${PPS}`,
);

describe('HEVCDecoderConfigurationRecord', () => {
  it('parses the record ffmpeg writes', () => {
    const config = parseHevcDecoderConfig(HVCC);
    expect(config).toEqual({
      generalProfileSpace: 0,
      generalTierFlag: 0,
      generalProfileIdc: 1,
      generalProfileCompatibilityFlags: 0x60000000,
      generalConstraintIndicatorFlags: hex('900000000000'),
      generalLevelIdc: 93,
      chromaFormatIdc: 1,
      bitDepthLuma: 8,
      bitDepthChroma: 8,
      numTemporalLayers: 1,
      temporalIdNested: true,
      lengthSize: 4,
      vps: [hex(VPS)],
      sps: [hex(SPS)],
      pps: [hex(PPS)],
    });
    expect(config.sps[0].buffer).toBe(HVCC.buffer);
  });

  it('keeps SEI arrays', () => {
    const sei = '4e0105ff80';
    const withSei = Buffer.concat([HVCC, hex(`270001${'0005'}${sei}`)]);
    withSei[22] = 4;
    expect(parseHevcDecoderConfig(withSei).sei).toEqual([hex(sei)]);
  });

  it('builds a byte-identical record to ffmpeg', () => {
    expect(buildHevcDecoderConfig([hex(VPS)], [hex(SPS)], [hex(PPS)]).toString('hex')).toBe(HVCC.toString('hex'));
  });

  it('round-trips build -> parse', () => {
    const built = parseHevcDecoderConfig(buildHevcDecoderConfig([hex(VPS)], [hex(SPS)], [hex(PPS), hex(PPS)]));
    expect(built.pps).toHaveLength(2);
    expect(built.generalLevelIdc).toBe(93);
  });

  it('refuses bad input to the builder', () => {
    expect(() => buildHevcDecoderConfig([], [], [])).toThrowError(BitstreamError);
    expect(() => buildHevcDecoderConfig([hex(SPS)], [hex(SPS)], [])).toThrowError(BitstreamError);
  });

  it('truncated and random records throw only BitstreamError', () => {
    for (let n = 0; n < HVCC.length; n++) {
      expect(() => parseHevcDecoderConfig(HVCC.subarray(0, n))).toThrowError(BitstreamError);
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (a) => {
        const b = Buffer.from(a);
        if (b.length > 0) b[0] = 1;
        try {
          parseHevcDecoderConfig(b);
        } catch (err) {
          expect(err).toBeInstanceOf(BitstreamError);
        }
      }),
    );
  });
});
