import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BitstreamError } from '../bits/bitstream-error.js';
import { buildOpusHead, parseOpusHead } from './opus-head.js';

const hex = (s: string) => Buffer.from(s, 'hex');

// ID headers from ffmpeg 5.1 libopus in Ogg, 48 kHz.
const HEAD_STEREO = hex('4f707573486561640102380180bb0000000000');
const HEAD_51 = hex('4f707573486561640106380180bb000000000104020004010203 05'.replace(/ /g, ''));

describe('OpusHead', () => {
  it('parses stereo (family 0)', () => {
    expect(parseOpusHead(HEAD_STEREO)).toEqual({
      version: 1,
      channels: 2,
      preSkip: 312,
      inputSampleRate: 48000,
      outputGain: 0,
      mappingFamily: 0,
    });
  });

  it('parses 5.1 with its mapping table (family 1)', () => {
    expect(parseOpusHead(HEAD_51)).toMatchObject({
      channels: 6,
      mappingFamily: 1,
      streamCount: 4,
      coupledCount: 2,
      channelMapping: [0, 4, 1, 2, 3, 5],
    });
  });

  it('builds identical headers', () => {
    expect(buildOpusHead({ channels: 2, preSkip: 312, inputSampleRate: 48000 })).toEqual(HEAD_STEREO);
    const p = parseOpusHead(HEAD_51);
    expect(buildOpusHead(p)).toEqual(HEAD_51);
    expect(() => buildOpusHead({ channels: 6, preSkip: 0, inputSampleRate: 48000 })).toThrowError(BitstreamError);
  });

  it('rejects bad magic, zero channels and impossible mappings', () => {
    expect(() => parseOpusHead(Buffer.concat([hex('4f707573546167730102'), Buffer.alloc(9)]))).toThrowError(
      BitstreamError,
    );
    const zero = Buffer.from(HEAD_STEREO);
    zero[9] = 0;
    expect(() => parseOpusHead(zero)).toThrowError(BitstreamError);
    const bad = Buffer.from(HEAD_51);
    bad[22] = 9;
    expect(() => parseOpusHead(bad)).toThrowError(BitstreamError);
  });

  it('round-trips build -> parse', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: -0x8000, max: 0x7fff }),
        (channels, preSkip, inputSampleRate, outputGain) => {
          const head = parseOpusHead(buildOpusHead({ channels, preSkip, inputSampleRate, outputGain }));
          expect(head).toEqual({ version: 1, channels, preSkip, inputSampleRate, outputGain, mappingFamily: 0 });
        },
      ),
    );
  });

  it('truncated and random input throws only BitstreamError', () => {
    for (let n = 0; n < HEAD_51.length; n++)
      expect(() => parseOpusHead(HEAD_51.subarray(0, n))).toThrowError(BitstreamError);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (a) => {
        const b = Buffer.concat([Buffer.from('OpusHead'), Buffer.from(a)]);
        try {
          parseOpusHead(b);
        } catch (err) {
          expect(err).toBeInstanceOf(BitstreamError);
        }
      }),
    );
  });
});
