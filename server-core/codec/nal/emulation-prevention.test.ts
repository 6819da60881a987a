import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addEmulationPrevention, removeEmulationPrevention } from './emulation-prevention.js';

const hex = (s: string) => Buffer.from(s.replace(/\s/g, ''), 'hex');

describe('emulation prevention', () => {
  it('removes the escapes from a real x264 SPS (1280x720)', () => {
    const nal = hex('6764001facd9405005bb0110000003001000000303c0f1831960');
    expect(removeEmulationPrevention(nal).toString('hex')).toBe('6764001facd9405005bb011000000010000003c0f1831960');
  });

  it('escapes every forbidden three-byte pattern and a trailing zero word', () => {
    const cases: Array<[string, string]> = [
      ['000000', '00000300'],
      ['000001', '00000301'],
      ['000002', '00000302'],
      ['000003', '00000303'],
      ['000004', '000004'],
      ['00000000', '000003000003'],
    ];
    for (const [rbsp, nal] of cases) expect(addEmulationPrevention(hex(rbsp)).toString('hex')).toBe(nal);
    expect(addEmulationPrevention(hex('aa0000')).toString('hex')).toBe('aa000003');
  });

  it('returns the input itself when there is nothing to do', () => {
    const clean = hex('67640028acd940780227e5c044');
    expect(removeEmulationPrevention(clean)).toBe(clean);
    expect(addEmulationPrevention(clean)).toBe(clean);
  });

  it('round-trips remove(add(rbsp)) for any bytes, and add never leaves 0x000000..02 behind', () => {
    const zeroHeavy = fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a.map((b) => (b < 160 ? 0 : b & 3))));
    fc.assert(
      fc.property(
        fc.oneof(
          zeroHeavy,
          fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
        ),
        (rbsp) => {
          const nal = addEmulationPrevention(rbsp);
          expect(removeEmulationPrevention(nal).equals(rbsp)).toBe(true);
          for (let i = 0; i + 2 < nal.length; i++) {
            if (nal[i] === 0 && nal[i + 1] === 0) expect(nal[i + 2]).toBeGreaterThanOrEqual(3);
          }
        },
      ),
    );
  });
});
