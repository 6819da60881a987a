import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mutated } from '../fuzz/mutations.test-support.js';
import { onlyTyped } from '../fuzz/typed-errors.test-support.js';
import { AmfEcmaArray, AmfError } from './amf-value.js';
import { decodeAmf0 } from './amf0-decoder.js';
import { encodeAmf0 } from './amf0-encoder.js';
import { decodeAmf3 } from './amf3-decoder.js';

const RUNS = { numRuns: 400 };

/** What RTMP publishers send: connect with nested objects, an ECMA array, a strict array, a date. */
const CONNECT = encodeAmf0([
  'connect',
  1,
  {
    app: 'live',
    tcUrl: 'rtmp://host/live',
    flashVer: 'FMLE/3.0',
    capabilities: 239,
    nested: { list: [1, 'two', null, true, { deep: 'x' }], when: new Date(1_700_000_000_000) },
  },
  new AmfEcmaArray({ width: 1280, height: 720, encoder: 'obs' }),
  null,
  undefined,
]);

/** AMF0 2.9 references: an object, then a reference (index 0) to it. */
const AMF0_REFERENCE = Buffer.from([
  0x03,
  0x00,
  0x01,
  0x61,
  0x00,
  ...Buffer.alloc(8),
  0x00,
  0x00,
  0x09,
  0x07,
  0x00,
  0x00,
]);

const u29 = (v: number) => (v < 0x80 ? [v] : [0x80 | (v >> 7), v & 0x7f]);
const str = (s: string) => [...u29((s.length << 1) | 1), ...Buffer.from(s, 'latin1')];
/**
 * AMF3 (behind the AMF0 avmplus marker) with every table in use: sealed traits and a traits reference, string
 * references, an object reference, a date and a byte array.
 */
const AMF3_TABLES = Buffer.from([
  0x11,
  0x0a,
  0x0b,
  0x01, // dynamic anonymous object
  ...str('list'),
  0x09,
  0x05,
  0x01, // dense array of 2
  0x0a,
  0x23,
  ...str('Pt'),
  ...str('x'),
  ...str('y'),
  0x04,
  0x01,
  0x04,
  0x02, // Pt { x: 1, y: 2 } with inline traits
  0x0a,
  0x05,
  0x04,
  0x03,
  0x04,
  0x04, // Pt { x: 3, y: 4 } by traits reference 1 (0 is the outer object's)
  0x04, // key: string reference 2 ('x')
  0x09,
  0x02, // value: object reference 1 (the array)
  ...str('d'),
  0x08,
  0x01,
  ...Buffer.alloc(8),
  ...str('b'),
  0x0c,
  0x07,
  1,
  2,
  3,
  0x01, // end of dynamic members
]);

describe('AMF decoders on mutated valid encodings (fast-check)', () => {
  it('the samples are valid to begin with', () => {
    expect(decodeAmf0(CONNECT)[0]).toBe('connect');
    const [object, again] = decodeAmf0(AMF0_REFERENCE);
    expect(again).toBe(object);
    const [tables] = decodeAmf0(AMF3_TABLES) as [Record<string, unknown>];
    expect(tables.x).toBe(tables.list);
    expect(tables.list).toEqual([
      { x: 1, y: 2 },
      { x: 3, y: 4 },
    ]);
  });

  it('AMF0 throws only AmfError, and what it decodes encodes again', () => {
    fc.assert(
      fc.property(fc.constantFrom(CONNECT, AMF0_REFERENCE, AMF3_TABLES).chain(mutated), ({ bytes, how }) => {
        const values = onlyTyped(AmfError, how, () => decodeAmf0(bytes));
        if (values) onlyTyped(AmfError, `${how}, re-encoded`, () => encodeAmf0(values));
      }),
      RUNS,
    );
  });

  it('AMF3 throws only AmfError', () => {
    const body = AMF3_TABLES.subarray(1);
    fc.assert(
      fc.property(mutated(body), ({ bytes, how }) => {
        onlyTyped(AmfError, how, () => decodeAmf3(bytes));
      }),
      RUNS,
    );
  });
});
