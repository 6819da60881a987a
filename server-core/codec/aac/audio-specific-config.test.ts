import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BitWriter } from '../bits/bit-writer.js';
import { BitstreamError } from '../bits/bitstream-error.js';
import { buildAudioSpecificConfig, parseAudioSpecificConfig } from './audio-specific-config.js';
import { aacCodecString } from './codec-string.js';
import { SAMPLING_FREQUENCIES } from './sampling-frequency.js';

const hex = (s: string) => Buffer.from(s, 'hex');

describe('AudioSpecificConfig', () => {
  it('parses the config ffmpeg writes into MP4 (LC 48 kHz stereo, with a "no SBR" sync extension)', () => {
    expect(parseAudioSpecificConfig(hex('119056e500'))).toEqual({
      objectType: 2,
      samplingFrequencyIndex: 3,
      sampleRate: 48000,
      channelConfiguration: 2,
      channels: 2,
      profileName: 'LC',
      coreObjectType: 2,
      outputSampleRate: 48000,
      sbr: false,
      ps: false,
    });
  });

  it('parses the common two-byte LC configs', () => {
    expect(parseAudioSpecificConfig(hex('1210'))).toMatchObject({ sampleRate: 44100, channels: 2, profileName: 'LC' });
    expect(parseAudioSpecificConfig(hex('1188'))).toMatchObject({ sampleRate: 48000, channels: 1 });
    expect(parseAudioSpecificConfig(hex('0a10'))).toMatchObject({ objectType: 1, profileName: 'Main' });
    expect(parseAudioSpecificConfig(hex('1328'))).toMatchObject({ sampleRate: 24000, channels: 5 });
  });

  it('parses explicit HE-AAC and HE-AAC v2 signalling (bytes written out from 1.6.2.1)', () => {
    // AOT 5 | 22050 | stereo | ext 44100 | AOT 2 | GA 000
    expect(parseAudioSpecificConfig(hex('2b920800'))).toMatchObject({
      objectType: 5,
      profileName: 'HE',
      sampleRate: 22050,
      outputSampleRate: 44100,
      channels: 2,
      coreObjectType: 2,
      sbr: true,
      ps: false,
    });
    // AOT 29 | 24000 | mono | ext 48000 | AOT 2 | GA 000
    expect(parseAudioSpecificConfig(hex('eb098800'))).toMatchObject({
      objectType: 29,
      profileName: 'HEv2',
      sampleRate: 24000,
      outputSampleRate: 48000,
      channelConfiguration: 1,
      channels: 2,
      ps: true,
    });
  });

  it('parses backward-compatible SBR + PS signalling', () => {
    const w = new BitWriter();
    w.writeBits(5, 2);
    w.writeBits(4, 6); // 24000
    w.writeBits(4, 1);
    w.writeBits(3, 0);
    w.writeBits(11, 0x2b7);
    w.writeBits(5, 5);
    w.writeBits(1, 1);
    w.writeBits(4, 3); // 48000
    w.writeBits(11, 0x548);
    w.writeBits(1, 1);
    expect(parseAudioSpecificConfig(w.toBuffer())).toMatchObject({
      objectType: 29,
      coreObjectType: 2,
      outputSampleRate: 48000,
      channels: 2,
      sbr: true,
      ps: true,
    });
  });

  it('reads escaped object types and explicit frequencies', () => {
    const w = new BitWriter();
    w.writeBits(5, 31);
    w.writeBits(6, 10); // 42: USAC
    w.writeBits(4, 15);
    w.writeBits(24, 37800);
    w.writeBits(4, 2);
    expect(parseAudioSpecificConfig(w.toBuffer())).toMatchObject({
      objectType: 42,
      profileName: 'USAC',
      samplingFrequencyIndex: 15,
      sampleRate: 37800,
      channels: 2,
    });
  });

  it('counts channels in a program_config_element (channelConfiguration 0)', () => {
    const w = new BitWriter();
    w.writeBits(5, 2);
    w.writeBits(4, 3);
    w.writeBits(4, 0);
    w.writeBits(3, 0); // GASpecificConfig
    w.writeBits(4, 0); // element_instance_tag
    w.writeBits(2, 1);
    w.writeBits(4, 3);
    w.writeBits(4, 2); // front: SCE + CPE
    w.writeBits(4, 0);
    w.writeBits(4, 1); // back: CPE
    w.writeBits(2, 1); // one LFE
    w.writeBits(3, 0);
    w.writeBits(4, 0);
    w.writeBits(3, 0); // no mixdowns
    for (const cpe of [0, 1, 1]) {
      w.writeBits(1, cpe);
      w.writeBits(4, 0);
    }
    w.writeBits(4, 0); // LFE tag
    w.byteAlign();
    w.writeBits(8, 2);
    w.writeBits(16, 0x4142);
    expect(parseAudioSpecificConfig(w.toBuffer())).toMatchObject({ channelConfiguration: 0, channels: 6 });
  });

  it('builds the configs encoders write', () => {
    expect(buildAudioSpecificConfig({ objectType: 2, sampleRate: 44100, channels: 2 }).toString('hex')).toBe('1210');
    expect(buildAudioSpecificConfig({ objectType: 2, sampleRate: 48000, channels: 1 }).toString('hex')).toBe('1188');
    expect(buildAudioSpecificConfig({ objectType: 5, sampleRate: 22050, channels: 2 }).toString('hex')).toBe(
      '2b920800',
    );
    expect(buildAudioSpecificConfig({ objectType: 29, sampleRate: 24000, channels: 2 }).toString('hex')).toBe(
      'eb098800',
    );
    expect(aacCodecString(2)).toBe('mp4a.40.2');
  });

  it('refuses configs it cannot express', () => {
    expect(() => buildAudioSpecificConfig({ objectType: 42, sampleRate: 48000, channels: 2 })).toThrowError(
      BitstreamError,
    );
    expect(() => buildAudioSpecificConfig({ objectType: 2, sampleRate: 48000, channels: 9 })).toThrowError(
      BitstreamError,
    );
    expect(() => buildAudioSpecificConfig({ objectType: 2, sampleRate: 0, channels: 2 })).toThrowError(BitstreamError);
    expect(() => parseAudioSpecificConfig(hex('1690'))).toThrowError(
      expect.objectContaining({ code: 'BITSTREAM_INVALID' }),
    );
  });

  it('round-trips build -> parse', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 2, 3, 4, 5, 29),
        // Explicit rates up to 2^23 - 1: SBR doubles them into the 24-bit field.
        fc.oneof(fc.constantFrom(...SAMPLING_FREQUENCIES), fc.integer({ min: 1, max: 2 ** 23 - 1 })),
        fc.constantFrom(1, 2, 3, 4, 5, 6, 7, 8),
        (objectType, sampleRate, anyChannels) => {
          const channels = objectType === 29 ? 2 : anyChannels;
          const config = parseAudioSpecificConfig(buildAudioSpecificConfig({ objectType, sampleRate, channels }));
          expect([config.objectType, config.sampleRate, config.channels]).toEqual([objectType, sampleRate, channels]);
        },
      ),
    );
  });

  it('truncated and random input throws only BitstreamError', () => {
    for (const f of [hex('119056e500'), hex('2b920800'), hex('eb098800')]) {
      for (let n = 0; n < 2; n++) expect(() => parseAudioSpecificConfig(f.subarray(0, n))).toThrowError(BitstreamError);
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (a) => {
        try {
          parseAudioSpecificConfig(Buffer.from(a));
        } catch (err) {
          expect(err).toBeInstanceOf(BitstreamError);
        }
      }),
    );
  });
});
