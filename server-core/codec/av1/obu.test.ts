import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BitstreamError } from '../bits/bitstream-error.js';
import { readLeb128, writeLeb128 } from './leb128.js';
import { AV1_OBU_SEQUENCE_HEADER, AV1_OBU_TEMPORAL_DELIMITER, splitObus } from './obu.js';

describe('OBUs', () => {
  it('splits a temporal unit: delimiter, sequence header, and an OBU with an extension header', () => {
    const buf = Buffer.from([0x12, 0x00, 0x0a, 0x02, 0xaa, 0xbb, 0x36, 0x48, 0x01, 0xcc]);
    const obus = splitObus(buf);
    expect(obus.map((o) => o.type)).toEqual([AV1_OBU_TEMPORAL_DELIMITER, AV1_OBU_SEQUENCE_HEADER, 6]);
    expect(obus[1].payload).toEqual(Buffer.from([0xaa, 0xbb]));
    expect(obus[2]).toMatchObject({ temporalId: 2, spatialId: 1, payload: Buffer.from([0xcc]) });
  });

  it('reads and writes leb128', () => {
    expect(readLeb128(Buffer.from([0xe5, 0x8e, 0x26]), 0)).toEqual({ value: 624485, length: 3 });
    expect(writeLeb128(624485)).toEqual(Buffer.from([0xe5, 0x8e, 0x26]));
    expect(() => readLeb128(Buffer.alloc(9, 0x80), 0)).toThrowError(BitstreamError);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (v) => {
        const b = writeLeb128(v);
        expect(readLeb128(b, 0)).toEqual({ value: v, length: b.length });
      }),
    );
  });

  it('random bytes throw only BitstreamError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (a) => {
        try {
          splitObus(Buffer.from(a));
        } catch (err) {
          expect(err).toBeInstanceOf(BitstreamError);
        }
      }),
    );
  });
});
