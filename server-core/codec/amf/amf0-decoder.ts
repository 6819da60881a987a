import { AmfEcmaArray, AmfError, type AmfObject, type AmfValue } from './amf-value.js';
import { AMF_MAX_DEPTH, AMF_MAX_ITEMS, AMF0 } from './amf0-markers.js';
import { Amf3Reader } from './amf3-decoder.js';
import { ByteCursor } from './byte-cursor.js';

/**
 * Decodes every AMF0 value in `buf` (AMF0 spec section 2). An avmplus marker (0x11) switches to one AMF3 value,
 * as AMF3 command messages do. Throws only AmfError.
 */
export function decodeAmf0(buf: Buffer): AmfValue[] {
  const cursor = new ByteCursor(buf);
  const references: AmfValue[] = [];
  const values: AmfValue[] = [];
  while (cursor.remaining > 0) {
    if (values.length >= AMF_MAX_ITEMS) throw new AmfError('AMF_TOO_LARGE', 'too many AMF0 values');
    values.push(readValue(cursor, references, 0));
  }
  return values;
}

function readValue(cursor: ByteCursor, refs: AmfValue[], depth: number): AmfValue {
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
    case AMF0.OBJECT: {
      const object: AmfObject = {};
      refs.push(object);
      readProperties(cursor, refs, depth, object);
      return object;
    }
    case AMF0.TYPED_OBJECT: {
      cursor.utf8(cursor.u16()); // class name
      const object: AmfObject = {};
      refs.push(object);
      readProperties(cursor, refs, depth, object);
      return object;
    }
    case AMF0.ECMA_ARRAY: {
      cursor.u32(); // count hint: the end marker is authoritative
      const entries: AmfObject = {};
      const array = new AmfEcmaArray(entries);
      refs.push(array);
      readProperties(cursor, refs, depth, entries);
      return array;
    }
    case AMF0.STRICT_ARRAY: {
      const count = cursor.u32();
      if (count > AMF_MAX_ITEMS || count > cursor.remaining) {
        throw new AmfError('AMF_TOO_LARGE', `strict array of ${count} items`);
      }
      const items: AmfValue[] = [];
      refs.push(items);
      for (let i = 0; i < count; i++) items.push(readValue(cursor, refs, depth + 1));
      return items;
    }
    case AMF0.DATE: {
      const ms = cursor.f64();
      cursor.u16(); // time zone, reserved
      return new Date(ms);
    }
    case AMF0.REFERENCE: {
      const index = cursor.u16();
      if (index >= refs.length) throw new AmfError('AMF_BAD_REFERENCE', `AMF0 reference ${index}`);
      return refs[index];
    }
    case AMF0.AVMPLUS:
      return new Amf3Reader(cursor).read(depth + 1);
    default:
      throw new AmfError('AMF_BAD_MARKER', `unknown AMF0 marker 0x${marker.toString(16)} at ${cursor.pos - 1}`);
  }
}

/** Key/value pairs until the empty key + object-end marker (AMF0 2.5). */
function readProperties(cursor: ByteCursor, refs: AmfValue[], depth: number, into: AmfObject): void {
  for (let count = 0; ; count++) {
    if (count > AMF_MAX_ITEMS) throw new AmfError('AMF_TOO_LARGE', 'object has too many properties');
    const key = cursor.utf8(cursor.u16());
    if (key === '') {
      // Some encoders end an ECMA array at the end of the buffer without the end marker.
      if (cursor.remaining === 0) return;
      const end = cursor.u8();
      if (end === AMF0.OBJECT_END) return;
      throw new AmfError('AMF_BAD_MARKER', `expected object end, got 0x${end.toString(16)}`);
    }
    into[key] = readValue(cursor, refs, depth + 1);
  }
}
