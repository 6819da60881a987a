import { AMF_MAX_DEPTH, AMF_MAX_ITEMS } from './amf-limits.js';
import { AmfEcmaArray, AmfError, type AmfObject, type AmfValue, setAmfProperty } from './amf-value.js';
import { AMF0 } from './amf0-markers.js';
import { Amf3Reader } from './amf3-decoder.js';
import { ByteCursor } from './byte-cursor.js';

/**
 * Complex values seen so far, in the order they started (AMF0 2.9: object, typed object, ECMA array and strict
 * array are referenceable). A reference may only point at a value that is complete, so no decoded value is cyclic.
 */
interface ReferenceTable {
  values: AmfValue[];
  complete: boolean[];
}

/**
 * Decodes every AMF0 value in `buf` (AMF0 spec section 2). An avmplus marker (0x11, AMF0 3.1) switches to one
 * AMF3 value, as AMF3 command messages do. Throws only AmfError.
 *
 *   value  = marker u8 | body
 *   number = f64 BE          string = u16 len | UTF-8      long string = u32 len | UTF-8
 *   object = (u16 key len | key | value)* | 0x0000 0x09   ecma array = u32 count hint | object body
 *   strict array = u32 count | value*                     date = f64 ms | s16 time zone (reserved)
 *   reference = u16 index                                 typed object = u16 len | class name | object body
 */
export function decodeAmf0(buf: Buffer): AmfValue[] {
  const cursor = new ByteCursor(buf);
  const refs: ReferenceTable = { values: [], complete: [] };
  const values: AmfValue[] = [];
  while (cursor.remaining > 0) {
    if (values.length >= AMF_MAX_ITEMS) throw new AmfError('AMF_TOO_LARGE', 'too many AMF0 values');
    values.push(readValue(cursor, refs, 0));
  }
  return values;
}

function readValue(cursor: ByteCursor, refs: ReferenceTable, depth: number): AmfValue {
  if (depth > AMF_MAX_DEPTH) throw new AmfError('AMF_TOO_DEEP', 'AMF0 nesting too deep');
  const marker = cursor.u8();
  switch (marker) {
    case AMF0.NUMBER:
      return cursor.f64();
    case AMF0.BOOLEAN:
      return cursor.u8() !== 0;
    case AMF0.STRING:
      return cursor.utf8(cursor.u16());
    case AMF0.LONG_STRING:
    case AMF0.XML_DOCUMENT:
      return cursor.utf8(cursor.u32());
    case AMF0.NULL:
      return null;
    case AMF0.UNDEFINED:
    case AMF0.UNSUPPORTED:
      return undefined;
    case AMF0.OBJECT:
      return readObject(cursor, refs, depth);
    case AMF0.TYPED_OBJECT:
      cursor.utf8(cursor.u16()); // class name: callers only want the fields
      return readObject(cursor, refs, depth);
    case AMF0.ECMA_ARRAY: {
      cursor.u32(); // count hint: the end marker is authoritative (encoders get the count wrong)
      const entries: AmfObject = {};
      const array = new AmfEcmaArray(entries);
      const index = startReference(refs, array);
      readProperties(cursor, refs, depth, entries);
      refs.complete[index] = true;
      return array;
    }
    case AMF0.STRICT_ARRAY: {
      const count = cursor.u32();
      // Every item takes at least one byte, so a count beyond the bytes left is a lie.
      if (count > AMF_MAX_ITEMS || count > cursor.remaining) {
        throw new AmfError('AMF_TOO_LARGE', `strict array of ${count} items`);
      }
      const items: AmfValue[] = [];
      const index = startReference(refs, items);
      for (let i = 0; i < count; i++) items.push(readValue(cursor, refs, depth + 1));
      refs.complete[index] = true;
      return items;
    }
    case AMF0.DATE: {
      const ms = cursor.f64();
      cursor.u16(); // time zone: reserved, must be ignored
      return new Date(ms);
    }
    case AMF0.REFERENCE: {
      const index = cursor.u16();
      if (index >= refs.values.length) throw new AmfError('AMF_BAD_REFERENCE', `AMF0 reference ${index}`);
      if (!refs.complete[index]) throw new AmfError('AMF_BAD_REFERENCE', `AMF0 circular reference ${index}`);
      return refs.values[index];
    }
    case AMF0.AVMPLUS:
      return new Amf3Reader(cursor).read(depth + 1);
    default:
      throw new AmfError('AMF_BAD_MARKER', `unknown AMF0 marker 0x${marker.toString(16)} at ${cursor.pos - 1}`);
  }
}

function startReference(refs: ReferenceTable, value: AmfValue): number {
  refs.values.push(value);
  refs.complete.push(false);
  return refs.values.length - 1;
}

function readObject(cursor: ByteCursor, refs: ReferenceTable, depth: number): AmfObject {
  const object: AmfObject = {};
  const index = startReference(refs, object);
  readProperties(cursor, refs, depth, object);
  refs.complete[index] = true;
  return object;
}

/** Key/value pairs until the empty key + object-end marker (AMF0 2.5). */
function readProperties(cursor: ByteCursor, refs: ReferenceTable, depth: number, into: AmfObject): void {
  for (let count = 0; ; count++) {
    if (count > AMF_MAX_ITEMS) throw new AmfError('AMF_TOO_LARGE', 'object has too many properties');
    const key = cursor.utf8(cursor.u16());
    if (key === '') {
      // Some encoders end the last ECMA array at the end of the buffer without the end marker.
      if (cursor.remaining === 0) return;
      const end = cursor.u8();
      if (end === AMF0.OBJECT_END) return;
      throw new AmfError('AMF_BAD_MARKER', `expected object end, got 0x${end.toString(16)}`);
    }
    setAmfProperty(into, key, readValue(cursor, refs, depth + 1));
  }
}
