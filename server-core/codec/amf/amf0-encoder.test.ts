import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AMF_MAX_DEPTH } from './amf-limits.js';
import { AmfEcmaArray, AmfError, type AmfObject, type AmfValue } from './amf-value.js';
import { decodeAmf0 } from './amf0-decoder.js';
import { encodeAmf0 } from './amf0-encoder.js';

const key = fc.string({ unit: 'binary', minLength: 1, maxLength: 8 });
const leaf: fc.Arbitrary<AmfValue> = fc.oneof(
  fc.double(),
  fc.boolean(),
  fc.string({ unit: 'binary' }),
  fc.constant(null),
  fc.constant(undefined),
  fc.date({ noInvalidDate: true }),
);
const value: fc.Arbitrary<AmfValue> = fc.letrec<{ v: AmfValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(key, tie('v'), { maxKeys: 4 }),
    fc.dictionary(key, tie('v'), { maxKeys: 4 }).map((entries) => new AmfEcmaArray(entries as AmfObject)),
  ),
})).v;

describe('encodeAmf0', () => {
  it('writes each type with the bytes AMF0 section 2 prescribes', () => {
    expect(encodeAmf0([1]).toString('hex')).toBe('003ff0000000000000');
    expect(encodeAmf0([true, false]).toString('hex')).toBe('01010100');
    expect(encodeAmf0(['ab']).toString('hex')).toBe('0200026162');
    expect(encodeAmf0([null, undefined]).toString('hex')).toBe('0506');
    expect(encodeAmf0([{ a: null }]).toString('hex')).toBe('0300016105000009');
    expect(encodeAmf0([new AmfEcmaArray({ a: null })]).toString('hex')).toBe('080000000100016105000009');
    expect(encodeAmf0([[null]]).toString('hex')).toBe('0a0000000105');
    expect(encodeAmf0([new Date(1000)]).toString('hex')).toBe('0b408f4000000000000000');
  });

  it('switches to a long string above 65535 UTF-8 bytes', () => {
    expect(
      encodeAmf0(['x'.repeat(0xffff)])
        .subarray(0, 3)
        .toString('hex'),
    ).toBe('02ffff');
    expect(
      encodeAmf0(['x'.repeat(0x10000)])
        .subarray(0, 5)
        .toString('hex'),
    ).toBe('0c00010000');
    expect(decodeAmf0(encodeAmf0(['é'.repeat(40_000)]))).toEqual(['é'.repeat(40_000)]);
  });

  it('skips empty property names, which AMF0 cannot carry', () => {
    expect(decodeAmf0(encodeAmf0([{ '': 1, a: 2 }]))).toEqual([{ a: 2 }]);
  });

  it('refuses values nested deeper than the decoder accepts', () => {
    let deep: AmfValue = null;
    for (let i = 0; i <= AMF_MAX_DEPTH + 1; i++) deep = [deep];
    expect(() => encodeAmf0([deep])).toThrow(AmfError);
  });

  it('round-trips: decode(encode(values)) is the identity', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 5 }), (values) => {
        expect(decodeAmf0(encodeAmf0(values))).toEqual(values);
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips ECMA arrays as ECMA arrays', () => {
    const meta = new AmfEcmaArray({ width: 1280, height: 720, encoder: 'obs' });
    const decoded = decodeAmf0(encodeAmf0(['onMetaData', meta]));
    expect(decoded[1]).toBeInstanceOf(AmfEcmaArray);
    expect((decoded[1] as AmfEcmaArray).entries).toEqual(meta.entries);
  });
});
