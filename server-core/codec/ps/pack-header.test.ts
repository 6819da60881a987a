import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packHeaderSize, parsePackHeader, writePackHeader } from './pack-header.js';
import { PsError } from './ps-error.js';

describe('pack header', () => {
  it('writes the MPEG-2 layout with marker bits', () => {
    const h = writePackHeader({ scrBase: 0, muxRate: 6106 });
    expect(h.toString('hex')).toBe('000001ba440004000401005f6bf8');
    expect(parsePackHeader(h)).toEqual({ scrBase: 0, scrExtension: 0, muxRate: 6106, size: 14, mpeg1: false });
  });

  it('round-trips SCR, extension, mux rate and stuffing', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 33 - 1 }),
        fc.integer({ min: 0, max: 299 }),
        fc.integer({ min: 0, max: 2 ** 22 - 1 }),
        fc.integer({ min: 0, max: 7 }),
        (scrBase, scrExtension, muxRate, stuffing) => {
          const h = writePackHeader({ scrBase, scrExtension, muxRate, stuffing });
          expect(h.length).toBe(14 + stuffing);
          expect(packHeaderSize(h)).toBe(14 + stuffing);
          expect(parsePackHeader(h)).toEqual({ scrBase, scrExtension, muxRate, size: 14 + stuffing, mpeg1: false });
        },
      ),
    );
  });

  it('reads an MPEG-1 pack header (ffmpeg -f mpeg1system)', () => {
    // '0010' SCR 0 with markers, mux_rate 0x000d26 with markers
    const h = Buffer.from('000001ba2100010001801a4d', 'hex');
    expect(parsePackHeader(h)).toMatchObject({ scrBase: 0, mpeg1: true, size: 12, muxRate: 0xd26 });
  });

  it('rejects a wrong marker and short input with PsError', () => {
    const bad = writePackHeader({ scrBase: 1, muxRate: 1 });
    bad[4] = 0x00;
    expect(() => parsePackHeader(bad)).toThrow(PsError);
    expect(() => packHeaderSize(Buffer.from('000001ba44', 'hex'))).toThrow(
      expect.objectContaining({ code: 'PS_TRUNCATED' }),
    );
    expect(() => writePackHeader({ scrBase: 0, muxRate: 0, stuffing: 8 })).toThrow(PsError);
  });
});
