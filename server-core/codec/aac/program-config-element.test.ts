import { describe, expect, it } from 'vitest';
import { BitReader } from '../bits/bit-reader.js';
import { parseAudioSpecificConfig } from './audio-specific-config.js';
import { readProgramConfigElement } from './program-config-element.js';
import { ascWith51Pce } from './test-configs.js';

describe('program_config_element', () => {
  for (const objectType of [2, 5] as const) {
    it(`reads 5.1 and copies it as a raw_data_block element (object type ${objectType})`, () => {
      const asc = parseAudioSpecificConfig(ascWith51Pce(objectType));
      expect(asc.channels).toBe(6);
      const element = asc.programConfigElement!;
      expect(element[0] >> 5).toBe(5); // ID_PCE
      expect(element.subarray(-2).toString('latin1')).toBe('Hi');
      // Read back from the element itself (alignment now counted from its start): the same channels and bytes.
      const r = new BitReader(element);
      r.skipBits(3);
      const again = readProgramConfigElement(r);
      expect(again.channels).toBe(6);
      expect(again.rawDataBlockElement).toEqual(element);
      expect(r.bitsLeft).toBe(0);
    });
  }

  it('is absent when the channel configuration says the layout', () => {
    expect(parseAudioSpecificConfig(Buffer.from([0x12, 0x10])).programConfigElement).toBeUndefined();
  });
});
