import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AmfEcmaArray, AmfError, type AmfValue } from './amf-value.js';
import { decodeAmf0 } from './amf0-decoder.js';
import { encodeAmf0 } from './amf0-encoder.js';

describe('AMF0', () => {
  it('decodes a connect command as ffmpeg sends it (bytes written out from the AMF0 spec)', () => {
    const bytes = Buffer.concat([
      Buffer.from([0x02, 0x00, 0x07]),
      Buffer.from('connect'),
      Buffer.from([0x00, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0]),
      Buffer.from([0x03, 0x00, 0x03]),
      Buffer.from('app'),
      Buffer.from([0x02, 0x00, 0x04]),
      Buffer.from('live'),
      Buffer.from([0x00, 0x05]),
      Buffer.from('tcUrl'),
      Buffer.from([0x02, 0x00, 0x1a]),
      Buffer.from('rtmp://127.0.0.1:1935/live'),
      Buffer.from([0x00, 0x04]),
      Buffer.from('fpad'),
      Buffer.from([0x01, 0x00]),
      Buffer.from([0x00, 0x00, 0x09]),
    ]);
    expect(decodeAmf0(bytes)).toEqual([
      'connect',
      1,
      { app: 'live', tcUrl: 'rtmp://127.0.0.1:1935/live', fpad: false },
    ]);
  });

  it('decodes an AMF3 object behind the avmplus marker', () => {
    // 0x11 switch, object (0x0a), traits inline dynamic with 0 sealed (0x0b), class "" (0x01),
    // key "a" (0x03 'a'), integer 5, end "" (0x01)
    const bytes = Buffer.from([0x11, 0x0a, 0x0b, 0x01, 0x03, 0x61, 0x04, 0x05, 0x01]);
    expect(decodeAmf0(bytes)).toEqual([{ a: 5 }]);
  });

  it('round-trips encode -> decode', () => {
    const leaf = fc.oneof(
      fc.double({ noNaN: true }),
      fc.boolean(),
      fc.string(),
      fc.constant(null),
      fc.constant(undefined),
    );
    const value: fc.Arbitrary<AmfValue> = fc.letrec<{ v: AmfValue }>((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('v'), { maxLength: 4 }),
        fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), tie('v'), { maxKeys: 4 }),
      ),
    })).v;
    fc.assert(
      fc.property(fc.array(value, { maxLength: 5 }), (values) => {
        expect(decodeAmf0(encodeAmf0(values))).toEqual(values);
      }),
    );
  });

  it('round-trips ECMA arrays as ECMA arrays', () => {
    const meta = new AmfEcmaArray({ width: 1280, height: 720, encoder: 'obs' });
    const decoded = decodeAmf0(encodeAmf0(['onMetaData', meta]));
    expect(decoded[1]).toBeInstanceOf(AmfEcmaArray);
    expect((decoded[1] as AmfEcmaArray).entries).toEqual(meta.entries);
  });

  it('throws only AmfError on random or truncated input', () => {
    const valid = encodeAmf0(['x', { a: [1, 2, { b: 'c' }] }, new AmfEcmaArray({ d: 1 })]);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(valid.length), (random, cut) => {
        for (const input of [Buffer.from(random), valid.subarray(0, cut)]) {
          try {
            decodeAmf0(input);
          } catch (error) {
            expect(error).toBeInstanceOf(AmfError);
          }
        }
      }),
    );
  });
});
