import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAdtsHeader, writeAdtsHeader } from './adts.js';
import { audioSpecificConfigFromAdts } from './adts-audio-specific-config.js';
import { parseAudioSpecificConfig } from './audio-specific-config.js';
import { SAMPLING_FREQUENCIES } from './sampling-frequency.js';

describe('audioSpecificConfigFromAdts', () => {
  it('writes what ffmpeg writes for AAC-LC 44.1 kHz stereo', () => {
    const header = parseAdtsHeader(Buffer.from([0xff, 0xf1, 0x50, 0x80, 0x1c, 0x3f, 0xfc]));
    expect(audioSpecificConfigFromAdts(header)).toEqual(Buffer.from([0x12, 0x10]));
  });

  it('round-trips profile, rate and channel configuration through the ASC parser', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 1, max: 7 }),
        (objectType, index, channelConfiguration) => {
          const sampleRate = SAMPLING_FREQUENCIES[index];
          const adts = writeAdtsHeader(
            { objectType, samplingFrequencyIndex: index, sampleRate, channelConfiguration },
            10,
          );
          const asc = parseAudioSpecificConfig(audioSpecificConfigFromAdts(parseAdtsHeader(adts)));
          expect(asc).toMatchObject({ objectType, sampleRate, channelConfiguration });
        },
      ),
    );
  });
});
