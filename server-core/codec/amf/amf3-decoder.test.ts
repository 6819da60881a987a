import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AmfError, type AmfObject, type AmfValue } from './amf-value.js';
import { decodeAmf0 } from './amf0-decoder.js';
import { decodeAmf3 } from './amf3-decoder.js';

/** U29 as AMF3 1.3.1 writes it (test-side encoder, independent of the decoder). */
function u29(value: number): number[] {
  const v = value & 0x1fffffff;
  if (v < 0x80) return [v];
  if (v < 0x4000) return [0x80 | (v >> 7), v & 0x7f];
  if (v < 0x200000) return [0x80 | (v >> 14), 0x80 | ((v >> 7) & 0x7f), v & 0x7f];
  return [0x80 | (v >> 22), 0x80 | ((v >> 15) & 0x7f), 0x80 | ((v >> 8) & 0x7f), v & 0xff];
}

/** Inline UTF-8-vr string (never a reference): enough to build round-trip inputs. */
function str(text: string): number[] {
  const b = Buffer.from(text, 'utf8');
  return [...u29((b.length << 1) | 1), ...b];
}

/** A minimal AMF3 writer for the test: anonymous dynamic objects, dense arrays, no references. */
function encode(value: AmfValue): number[] {
  if (value === undefined) return [0x00];
  if (value === null) return [0x01];
  if (value === false) return [0x02];
  if (value === true) return [0x03];
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= -(2 ** 28) && value < 2 ** 28 && !Object.is(value, -0)) {
      return [0x04, ...u29(value)];
    }
    const b = Buffer.alloc(8);
    b.writeDoubleBE(value);
    return [0x05, ...b];
  }
  if (typeof value === 'string') return [0x06, ...str(value)];
  if (Array.isArray(value)) return [0x09, ...u29((value.length << 1) | 1), 0x01, ...value.flatMap(encode)];
  const object = value as AmfObject;
  const body = Object.entries(object).flatMap(([k, v]) => [...str(k), ...encode(v)]);
  return [0x0a, 0x0b, 0x01, ...body, 0x01];
}

const decode = (b: number[]) => decodeAmf3(Buffer.from(b));

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(AmfError);
    return (error as AmfError).code;
  }
}

describe('decodeAmf3', () => {
  it('reads U29 integers of every width, signed (AMF3 1.3.1, 3.6)', () => {
    expect(decode([0x04, 0x7f])).toBe(127);
    expect(decode([0x04, 0x81, 0x00])).toBe(128);
    expect(decode([0x04, 0xff, 0x7f])).toBe(0x3fff);
    expect(decode([0x04, 0x81, 0x80, 0x00])).toBe(0x4000);
    expect(decode([0x04, 0xff, 0xff, 0x7f])).toBe(0x1fffff);
    expect(decode([0x04, 0x80, 0xc0, 0x80, 0x00])).toBe(0x200000);
    expect(decode([0x04, 0xbf, 0xff, 0xff, 0xff])).toBe(0x0fffffff);
    expect(decode([0x04, 0xff, 0xff, 0xff, 0xff])).toBe(-1);
    expect(decode([0x04, 0xc0, 0x80, 0x80, 0x00])).toBe(-(2 ** 28));
  });

  it('reads the simple markers, doubles and dates', () => {
    expect([0x00, 0x01, 0x02, 0x03].map((m) => decode([m]))).toEqual([undefined, null, false, true]);
    expect(decode([0x05, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0])).toBe(1.5);
    expect(decode([0x08, 0x01, 0x40, 0x8f, 0x40, 0, 0, 0, 0, 0])).toEqual(new Date(1000));
  });

  it('resolves string references, and never puts the empty string in the table (AMF3 1.3.2)', () => {
    // dense array of 3: "ab", "" , reference to string 0
    expect(decode([0x09, 0x07, 0x01, 0x06, 0x05, 0x61, 0x62, 0x06, 0x01, 0x06, 0x00])).toEqual(['ab', '', 'ab']);
    expect(codeOf(() => decode([0x06, 0x00]))).toBe('AMF_BAD_REFERENCE');
  });

  it('reads sealed traits, then reuses them by trait reference (AMF3 3.12)', () => {
    const buf = [
      0x09,
      0x05,
      0x01, // dense array of 2
      0x0a,
      0x23,
      0x05,
      ...Buffer.from('Pt'), // inline traits: 2 sealed, not dynamic ((2 << 4) | 0b0011), class "Pt"
      0x03,
      0x78,
      0x03,
      0x79, // sealed names "x", "y"
      0x04,
      0x01,
      0x04,
      0x02, // x = 1, y = 2
      0x0a,
      0x01, // object with traits reference 0 ((0 << 2) | 0b01)
      0x04,
      0x03,
      0x04,
      0x04, // x = 3, y = 4
    ];
    expect(decode(buf)).toEqual([
      { x: 1, y: 2 },
      { x: 3, y: 4 },
    ]);
  });

  it('reads an associative array as an object holding both parts', () => {
    // array: 1 dense item; assoc "k" = true; end; dense: 7
    expect(decode([0x09, 0x03, 0x03, 0x6b, 0x03, 0x01, 0x04, 0x07])).toEqual({ k: true, '0': 7 });
  });

  it('resolves object references to complete values and refuses cycles', () => {
    // array [ {}, ref to object 1 ]: table holds the array (0) then the object (1)
    const shared = decode([0x09, 0x05, 0x01, 0x0a, 0x0b, 0x01, 0x01, 0x0a, 0x02]) as AmfValue[];
    expect(shared[1]).toBe(shared[0]);
    // object { self: ref 0 } where 0 is the object itself
    expect(codeOf(() => decode([0x0a, 0x0b, 0x01, 0x09, ...Buffer.from('self'), 0x0a, 0x00, 0x01]))).toBe(
      'AMF_UNSUPPORTED',
    );
  });

  it('returns byte arrays as base64 and XML as text', () => {
    expect(decode([0x0c, 0x07, 1, 2, 3])).toBe(Buffer.from([1, 2, 3]).toString('base64'));
    expect(decode([0x0b, 0x07, 0x3c, 0x61, 0x3e])).toBe('<a>');
  });

  it('refuses externalizable objects, vectors, dictionaries and lying counts with AmfError', () => {
    expect(codeOf(() => decode([0x0a, 0x07, 0x01]))).toBe('AMF_UNSUPPORTED');
    expect(codeOf(() => decode([0x0d, 0x01]))).toBe('AMF_BAD_MARKER');
    expect(codeOf(() => decode([0x11, 0x01]))).toBe('AMF_BAD_MARKER');
    expect(codeOf(() => decode([0x09, 0xbf, 0xff, 0xff, 0xff, 0x01]))).toBe('AMF_TOO_LARGE');
  });

  it('round-trips values written by an independent encoder', () => {
    const key = fc.string({ unit: 'binary', minLength: 1, maxLength: 6 });
    const value = fc.letrec<{ v: AmfValue }>((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        fc.integer({ min: -(2 ** 28), max: 2 ** 28 - 1 }),
        fc.double({ noNaN: true }),
        fc.string({ unit: 'binary' }),
        fc.constantFrom(null, undefined, true, false),
        fc.array(tie('v'), { maxLength: 4 }),
        fc.dictionary(key, tie('v'), { maxKeys: 4 }),
      ),
    })).v;
    fc.assert(
      fc.property(value, (v) => {
        expect(decode(encode(v))).toEqual(v);
        expect(decodeAmf0(Buffer.from([0x11, ...encode(v)]))).toEqual([v]);
      }),
      { numRuns: 500 },
    );
  });

  it('throws only AmfError on random or truncated input', () => {
    const valid = encode({ a: [1, 'two', { b: 3.5 }], c: 'two' });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(valid.length), (random, cut) => {
        codeOf(() => decodeAmf3(Buffer.from(random)));
        codeOf(() => decodeAmf0(Buffer.from([0x11, ...random])));
        if (cut < valid.length) expect(codeOf(() => decode(valid.slice(0, cut)))).toBeDefined();
      }),
      { numRuns: 2000 },
    );
  });
});
