import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { joinAnnexB, splitAnnexB } from './annexb.js';
import { addEmulationPrevention } from './emulation-prevention.js';

describe('Annex B', () => {
  it('splits on 3- and 4-byte start codes, drops leading bytes and trailing zeros', () => {
    const buf = Buffer.from([0xff, 0, 0, 0, 1, 0x09, 0xf0, 0, 0, 1, 0x67, 0x42, 0, 0, 0, 0, 0, 1, 0x68, 0xce]);
    const nals = splitAnnexB(buf);
    expect(nals.map((n) => n.toString('hex'))).toEqual(['09f0', '6742', '68ce']);
    expect(nals[1].buffer).toBe(buf.buffer);
  });

  it('returns nothing without a start code and skips empty units', () => {
    expect(splitAnnexB(Buffer.from([1, 2, 3]))).toEqual([]);
    expect(splitAnnexB(Buffer.from([0, 0, 1, 0, 0, 1, 0x65]))).toEqual([Buffer.from([0x65])]);
  });

  it('joins with 4-byte start codes', () => {
    expect(joinAnnexB([Buffer.from([0x09, 0xf0]), Buffer.from([0x65])]).toString('hex')).toBe('0000000109f00000000165');
  });

  it('round-trips splitAnnexB(joinAnnexB(nals)) for emulation-prevented NAL units', () => {
    // A real NAL unit is escaped and ends in rbsp_stop_one_bit, so it never ends in a zero byte.
    const nal = fc
      .uint8Array({ maxLength: 40 })
      .map((a) => Buffer.concat([Buffer.from([0x41]), addEmulationPrevention(Buffer.from(a)), Buffer.from([0x80])]));
    fc.assert(
      fc.property(fc.array(nal, { maxLength: 8 }), (nals) => {
        expect(splitAnnexB(joinAnnexB(nals))).toEqual(nals);
      }),
    );
  });

  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (a) => {
        for (const n of splitAnnexB(Buffer.from(a))) expect(n.length).toBeGreaterThan(0);
      }),
    );
  });
});
