import { AMF_MAX_DEPTH } from './amf-limits.js';
import { AmfEcmaArray, AmfError, type AmfObject, type AmfValue } from './amf-value.js';
import { AMF0 } from './amf0-markers.js';

/**
 * Encodes values as AMF0 (spec section 2; byte layouts drawn in amf0-decoder.ts). Strings over 65535 bytes become
 * long strings; arrays become strict arrays; AmfEcmaArray becomes an ECMA array; other objects become anonymous
 * objects. Properties with an empty key are skipped: AMF0 cannot carry them (the empty key ends an object).
 * Throws AmfError('AMF_TOO_DEEP') on values nested deeper than the decoder accepts (or cyclic ones).
 */
export function encodeAmf0(values: readonly AmfValue[]): Buffer {
  const parts: Buffer[] = [];
  for (const value of values) writeValue(parts, value, 0);
  return Buffer.concat(parts);
}

const NULL = Buffer.from([AMF0.NULL]);
const UNDEFINED = Buffer.from([AMF0.UNDEFINED]);
const TRUE = Buffer.from([AMF0.BOOLEAN, 1]);
const FALSE = Buffer.from([AMF0.BOOLEAN, 0]);
const OBJECT = Buffer.from([AMF0.OBJECT]);
const OBJECT_END = Buffer.from([0, 0, AMF0.OBJECT_END]);

function writeValue(parts: Buffer[], value: AmfValue, depth: number): void {
  if (depth > AMF_MAX_DEPTH) throw new AmfError('AMF_TOO_DEEP', 'AMF0 value nested too deep to encode');
  if (value === null) {
    parts.push(NULL);
  } else if (value === undefined) {
    parts.push(UNDEFINED);
  } else if (typeof value === 'number') {
    const b = Buffer.allocUnsafe(9);
    b[0] = AMF0.NUMBER;
    b.writeDoubleBE(value, 1);
    parts.push(b);
  } else if (typeof value === 'boolean') {
    parts.push(value ? TRUE : FALSE);
  } else if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    const long = bytes.length > 0xffff;
    const head = Buffer.allocUnsafe(long ? 5 : 3);
    head[0] = long ? AMF0.LONG_STRING : AMF0.STRING;
    if (long) head.writeUInt32BE(bytes.length, 1);
    else head.writeUInt16BE(bytes.length, 1);
    parts.push(head, bytes);
  } else if (value instanceof Date) {
    const b = Buffer.alloc(11); // the last two bytes, the reserved time zone, stay zero
    b[0] = AMF0.DATE;
    b.writeDoubleBE(value.getTime(), 1);
    parts.push(b);
  } else if (Array.isArray(value)) {
    parts.push(countHeader(AMF0.STRICT_ARRAY, value.length));
    for (const item of value) writeValue(parts, item, depth + 1);
  } else if (value instanceof AmfEcmaArray) {
    parts.push(countHeader(AMF0.ECMA_ARRAY, Object.keys(value.entries).length));
    writeProperties(parts, value.entries, depth);
  } else {
    parts.push(OBJECT);
    writeProperties(parts, value, depth);
  }
}

function countHeader(marker: number, count: number): Buffer {
  const head = Buffer.allocUnsafe(5);
  head[0] = marker;
  head.writeUInt32BE(count, 1);
  return head;
}

function writeProperties(parts: Buffer[], object: AmfObject, depth: number): void {
  for (const [key, item] of Object.entries(object)) {
    if (key === '') continue;
    parts.push(shortUtf8(key));
    writeValue(parts, item, depth + 1);
  }
  parts.push(OBJECT_END);
}

/** UTF-8 with a 16-bit length prefix (AMF0 2.4 "UTF-8"), for property names; longer names are cut to fit. */
function shortUtf8(text: string): Buffer {
  let bytes = Buffer.from(text, 'utf8');
  if (bytes.length > 0xffff) bytes = bytes.subarray(0, 0xffff);
  const b = Buffer.allocUnsafe(2 + bytes.length);
  b.writeUInt16BE(bytes.length, 0);
  bytes.copy(b, 2);
  return b;
}
