import { describe, expect, it } from 'vitest';
import { AmfEcmaArray, type AmfObject, amfToPlain } from './amf-value.js';
import { decodeAmf0 } from './amf0-decoder.js';

describe('amfToPlain', () => {
  it('turns ECMA arrays into plain objects, recursively', () => {
    const meta = new AmfEcmaArray({ width: 1280, tracks: [new AmfEcmaArray({ id: 1 })], when: new Date(1) });
    expect(amfToPlain(['onMetaData', meta])).toEqual([
      'onMetaData',
      { width: 1280, tracks: [{ id: 1 }], when: new Date(1) },
    ]);
    expect((amfToPlain(meta) as object).constructor).toBe(Object);
  });

  it('converts a value shared through references once, so deep sharing stays linear', () => {
    // 40 objects, each holding two references to the previous one: 2^40 paths, 40 distinct values.
    const parts: Buffer[] = [Buffer.from([0x03, 0x00, 0x00, 0x09])];
    for (let i = 1; i < 40; i++) {
      const ref = [0x07, (i - 1) >> 8, (i - 1) & 0xff];
      parts.push(Buffer.from([0x03, 0x00, 0x01, 0x61, ...ref, 0x00, 0x01, 0x62, ...ref, 0x00, 0x00, 0x09]));
    }
    const values = decodeAmf0(Buffer.concat(parts));
    const plain = amfToPlain(values[39]) as { a: AmfObject; b: AmfObject };
    expect(plain.a).toBe(plain.b);
  });
});
