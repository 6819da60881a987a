import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AMF_MAX_DEPTH } from './amf-limits.js';
import { AmfEcmaArray, AmfError } from './amf-value.js';
import { decodeAmf0 } from './amf0-decoder.js';
import { encodeAmf0 } from './amf0-encoder.js';

/** Joins byte fixtures: strings are ASCII text, arrays are raw bytes. */
const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

const double = (hex: string) => [0x00, ...Buffer.from(hex, 'hex')];

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(AmfError);
    return (error as AmfError).code;
  }
}

describe('decodeAmf0', () => {
  it('decodes a Flash Player connect command (bytes written out from AMF0 2.2-2.5 and RTMP 7.2.1.1)', () => {
    const body = bytes(
      [0x02, 0x00, 0x07],
      'connect',
      double('3ff0000000000000'), // transaction id 1
      [0x03], // command object
      [0x00, 0x03],
      'app',
      [0x02, 0x00, 0x04],
      'live',
      [0x00, 0x08],
      'flashVer',
      [0x02, 0x00, 0x0e],
      'WIN 32,0,0,171',
      [0x00, 0x06],
      'swfUrl',
      [0x02, 0x00, 0x1b],
      'http://localhost/player.swf',
      [0x00, 0x05],
      'tcUrl',
      [0x02, 0x00, 0x1a],
      'rtmp://127.0.0.1:1935/live',
      [0x00, 0x04],
      'fpad',
      [0x01, 0x00],
      [0x00, 0x0c],
      'capabilities',
      double('406de00000000000'), // 239
      [0x00, 0x0b],
      'audioCodecs',
      double('40abee0000000000'), // 3575
      [0x00, 0x0b],
      'videoCodecs',
      double('406f800000000000'), // 252
      [0x00, 0x0d],
      'videoFunction',
      double('3ff0000000000000'),
      [0x00, 0x07],
      'pageUrl',
      [0x06], // undefined
      [0x00, 0x0e],
      'objectEncoding',
      double('0000000000000000'),
      [0x00, 0x00, 0x09], // object end
    );
    expect(decodeAmf0(body)).toEqual([
      'connect',
      1,
      {
        app: 'live',
        flashVer: 'WIN 32,0,0,171',
        swfUrl: 'http://localhost/player.swf',
        tcUrl: 'rtmp://127.0.0.1:1935/live',
        fpad: false,
        capabilities: 239,
        audioCodecs: 3575,
        videoCodecs: 252,
        videoFunction: 1,
        pageUrl: undefined,
        objectEncoding: 0,
      },
    ]);
  });

  it('decodes an onMetaData ECMA array, a strict array, a date and a long string', () => {
    const long = 'x'.repeat(70_000);
    const buf = bytes(
      [0x02, 0x00, 0x0a],
      'onMetaData',
      [0x08, 0x00, 0x00, 0x00, 0x02], // ECMA array, count hint 2
      [0x00, 0x05],
      'width',
      double('4094000000000000'),
      [0x00, 0x06],
      'height',
      double('4086800000000000'),
      [0x00, 0x00, 0x09],
      [0x0a, 0x00, 0x00, 0x00, 0x02, 0x05, 0x01, 0x01], // strict array [null, true]
      [0x0b, ...Buffer.from('408f400000000000', 'hex'), 0x00, 0x00], // date 1000 ms, zone 0
      [0x0c, 0x00, 0x01, 0x11, 0x70],
      long,
    );
    const [name, meta, array, date, text] = decodeAmf0(buf);
    expect(name).toBe('onMetaData');
    expect(meta).toBeInstanceOf(AmfEcmaArray);
    expect((meta as AmfEcmaArray).entries).toEqual({ width: 1280, height: 720 });
    expect(array).toEqual([null, true]);
    expect(date).toEqual(new Date(1000));
    expect(text).toBe(long);
  });

  it('accepts an ECMA array whose end marker is missing at the end of the buffer', () => {
    const buf = bytes([0x08, 0, 0, 0, 1, 0x00, 0x01], 'a', [0x01, 0x01, 0x00, 0x00]);
    expect((decodeAmf0(buf)[0] as AmfEcmaArray).entries).toEqual({ a: true });
  });

  it('resolves references to complete objects and returns typed objects as their fields', () => {
    const buf = bytes(
      [0x10, 0x00, 0x03],
      'Foo', // typed object "Foo" { a: 1 }
      [0x00, 0x01],
      'a',
      double('3ff0000000000000'),
      [0x00, 0x00, 0x09],
      [0x07, 0x00, 0x00], // reference 0
    );
    const [first, second] = decodeAmf0(buf);
    expect(first).toEqual({ a: 1 });
    expect(second).toBe(first);
  });

  it('refuses a reference to an object still being decoded (no cycles) and out-of-range references', () => {
    const cyclic = bytes([0x03, 0x00, 0x01], 's', [0x07, 0x00, 0x00], [0x00, 0x00, 0x09]);
    expect(codeOf(() => decodeAmf0(cyclic))).toBe('AMF_BAD_REFERENCE');
    expect(codeOf(() => decodeAmf0(Buffer.from([0x07, 0x00, 0x05])))).toBe('AMF_BAD_REFERENCE');
  });

  it('switches to one AMF3 value after the avmplus marker', () => {
    // 0x11, object (0x0a), inline dynamic traits with 0 sealed (0x0b), class "" (0x01),
    // key "a" (0x03 'a'), integer 5, end "" (0x01); then AMF0 again: number 2
    const buf = Buffer.from([0x11, 0x0a, 0x0b, 0x01, 0x03, 0x61, 0x04, 0x05, 0x01, ...double('4000000000000000')]);
    expect(decodeAmf0(buf)).toEqual([{ a: 5 }, 2]);
  });

  it('keeps a "__proto__" key as an own property', () => {
    const buf = bytes([0x03, 0x00, 0x09], '__proto__', [0x03, 0x00, 0x01], 'x', [0x01, 0x01, 0, 0, 0x09, 0, 0, 0x09]);
    const [object] = decodeAmf0(buf) as [Record<string, unknown>];
    expect(Object.getPrototypeOf(object)).toBe(Object.prototype);
    expect(Object.keys(object)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('reports truncation, bad markers, lying counts and deep nesting with their codes', () => {
    expect(codeOf(() => decodeAmf0(Buffer.from([0x00, 0x3f])))).toBe('AMF_TRUNCATED');
    expect(codeOf(() => decodeAmf0(Buffer.from([0x02, 0x00, 0x05, 0x61])))).toBe('AMF_TRUNCATED');
    expect(codeOf(() => decodeAmf0(Buffer.from([0x04])))).toBe('AMF_BAD_MARKER');
    expect(codeOf(() => decodeAmf0(Buffer.from([0x03, 0x00, 0x00, 0x05])))).toBe('AMF_BAD_MARKER');
    expect(codeOf(() => decodeAmf0(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x05])))).toBe('AMF_TOO_LARGE');
    const deep = Buffer.concat([
      ...Array.from({ length: AMF_MAX_DEPTH + 2 }, () => Buffer.from([0x0a, 0, 0, 0, 1])),
      Buffer.from([0x05]),
    ]);
    expect(codeOf(() => decodeAmf0(deep))).toBe('AMF_TOO_DEEP');
  });

  it('throws only AmfError on random input, and never hangs', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (random) => {
        codeOf(() => decodeAmf0(Buffer.from(random)));
      }),
      { numRuns: 2000 },
    );
  });

  it('throws only AmfError on truncated or corrupted valid input', () => {
    const valid = encodeAmf0([
      'connect',
      1,
      { app: 'live', nested: [1, 2, { b: 'c' }], when: new Date(5) },
      new AmfEcmaArray({ d: 1, e: null }),
      undefined,
    ]);
    fc.assert(
      fc.property(fc.nat(valid.length), fc.nat(valid.length - 1), fc.nat(255), (cut, at, byte) => {
        codeOf(() => decodeAmf0(valid.subarray(0, cut)));
        const corrupted = Buffer.from(valid);
        corrupted[at] = byte;
        codeOf(() => decodeAmf0(corrupted));
      }),
      { numRuns: 2000 },
    );
  });
});
