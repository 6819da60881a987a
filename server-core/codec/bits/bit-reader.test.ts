import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BitReader } from './bit-reader.js';
import { BitWriter } from './bit-writer.js';
import { BitstreamError } from './bitstream-error.js';

describe('BitReader', () => {
  it('reads MSB-first fields across byte boundaries', () => {
    const r = new BitReader(Buffer.from([0b1010_1100, 0b0101_0011, 0xff, 0xff, 0xff, 0xff]));
    expect(r.readBits(3)).toBe(0b101);
    expect(r.readBit()).toBe(0);
    expect(r.readBits(6)).toBe(0b11_0001);
    expect(r.bitsLeft).toBe(38);
    r.byteAlign();
    expect(r.bitPosition).toBe(16);
    expect(r.readBits(32)).toBe(0xffffffff);
    expect(r.bitsLeft).toBe(0);
    expect(r.readBits(0)).toBe(0);
  });

  it('reads Exp-Golomb codes from H.264 table 9-2', () => {
    // 1 | 010 | 011 | 00100 | 00101 | 00110 | 00111 -> ue 0,1,2,3,4,5,6
    const w = new BitWriter();
    for (const bits of ['1', '010', '011', '00100', '00101', '00110', '00111']) {
      for (const b of bits) w.writeBit(Number(b));
    }
    const r = new BitReader(w.toBuffer());
    expect([0, 1, 2, 3, 4, 5, 6].map(() => r.readUE())).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const s = new BitReader(w.toBuffer());
    expect([0, 1, 2, 3, 4, 5, 6].map(() => s.readSE())).toEqual([0, 1, -1, 2, -2, 3, -3]);
  });

  it('throws BITSTREAM_OVERRUN at the end and on an all-zero Exp-Golomb prefix', () => {
    const r = new BitReader(Buffer.from([0x80]));
    r.readBits(7);
    expect(() => r.readBits(2)).toThrowError(BitstreamError);
    expect(() => new BitReader(Buffer.alloc(2)).readUE()).toThrowError(
      expect.objectContaining({ code: 'BITSTREAM_OVERRUN' }),
    );
    expect(() => new BitReader(Buffer.alloc(8)).readUE()).toThrowError(
      expect.objectContaining({ code: 'BITSTREAM_INVALID' }),
    );
    expect(() => new BitReader(Buffer.alloc(1)).skipBits(9)).toThrowError(BitstreamError);
  });

  it('reads aligned byte ranges without copying', () => {
    const buf = Buffer.from([1, 2, 3, 4]);
    const r = new BitReader(buf);
    r.readBits(8);
    const bytes = r.readBytes(2);
    expect([...bytes]).toEqual([2, 3]);
    expect(bytes.buffer).toBe(buf.buffer);
    r.readBit();
    expect(() => r.readBytes(1)).toThrowError(BitstreamError);
  });

  it('round-trips writer -> reader for any sequence of fields', () => {
    type Field = { kind: 'bits'; n: number; v: number } | { kind: 'ue'; v: number } | { kind: 'se'; v: number };
    const field: fc.Arbitrary<Field> = fc.oneof(
      fc.integer({ min: 0, max: 32 }).chain((n) =>
        fc.record({
          kind: fc.constant('bits' as const),
          n: fc.constant(n),
          v: fc.integer({ min: 0, max: 2 ** n - 1 }),
        }),
      ),
      fc.record({ kind: fc.constant('ue' as const), v: fc.integer({ min: 0, max: 2 ** 32 - 2 }) }),
      fc.record({ kind: fc.constant('se' as const), v: fc.integer({ min: -(2 ** 31) + 1, max: 2 ** 31 - 1 }) }),
    );
    fc.assert(
      fc.property(fc.array(field, { maxLength: 40 }), (fields) => {
        const w = new BitWriter();
        for (const f of fields) {
          if (f.kind === 'bits') w.writeBits(f.n, f.v);
          else if (f.kind === 'ue') w.writeUE(f.v);
          else w.writeSE(f.v);
        }
        const r = new BitReader(w.toBuffer());
        for (const f of fields) {
          if (f.kind === 'bits') expect(r.readBits(f.n)).toBe(f.v);
          else if (f.kind === 'ue') expect(r.readUE()).toBe(f.v);
          else expect(r.readSE()).toBe(f.v);
        }
        expect(r.bitsLeft).toBeLessThan(8);
      }),
    );
  });

  it('random bytes and reads throw only BitstreamError', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 16 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 30 }),
        (bytes, ops) => {
          const r = new BitReader(Buffer.from(bytes));
          try {
            for (const op of ops) {
              if (op === 0) r.readUE();
              else if (op === 1) r.readSE();
              else if (op === 2) r.readBits(13);
              else r.byteAlign();
            }
          } catch (err) {
            expect(err).toBeInstanceOf(BitstreamError);
          }
        },
      ),
    );
  });
});
