import { AmfEcmaArray, type AmfObject, type AmfValue } from './amf-value.js';
import { AMF0 } from './amf0-markers.js';

/**
 * Encodes values as AMF0 (spec section 2). Strings over 65535 bytes become long strings; plain objects become
 * anonymous objects; AmfEcmaArray becomes an ECMA array.
 */
export function encodeAmf0(values: readonly AmfValue[]): Buffer {
  const parts: Buffer[] = [];
  for (const value of values) writeValue(parts, value);
  return Buffer.concat(parts);
}

function writeValue(parts: Buffer[], value: AmfValue): void {
  if (value === null) {
    parts.push(Buffer.from([AMF0.NULL]));
  } else if (value === undefined) {
    parts.push(Buffer.from([AMF0.UNDEFINED]));
  } else if (typeof value === 'number') {
    const b = Buffer.alloc(9);
    b[0] = AMF0.NUMBER;
    b.writeDoubleBE(value, 1);
    parts.push(b);
  } else if (typeof value === 'boolean') {
    parts.push(Buffer.from([AMF0.BOOLEAN, value ? 1 : 0]));
  } else if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    if (bytes.length > 0xffff) {
      const head = Buffer.alloc(5);
      head[0] = AMF0.LONG_STRING;
      head.writeUInt32BE(bytes.length, 1);
      parts.push(head, bytes);
    } else {
      parts.push(Buffer.from([AMF0.STRING]), utf8(value));
    }
  } else if (value instanceof Date) {
    const b = Buffer.alloc(11);
    b[0] = AMF0.DATE;
    b.writeDoubleBE(value.getTime(), 1);
    b.writeInt16BE(0, 9);
    parts.push(b);
  } else if (Array.isArray(value)) {
    const head = Buffer.alloc(5);
    head[0] = AMF0.STRICT_ARRAY;
    head.writeUInt32BE(value.length, 1);
    parts.push(head);
    for (const item of value) writeValue(parts, item);
  } else if (value instanceof AmfEcmaArray) {
    const head = Buffer.alloc(5);
    head[0] = AMF0.ECMA_ARRAY;
    head.writeUInt32BE(Object.keys(value.entries).length, 1);
    parts.push(head);
    writeProperties(parts, value.entries);
  } else {
    parts.push(Buffer.from([AMF0.OBJECT]));
    writeProperties(parts, value);
  }
}

function writeProperties(parts: Buffer[], object: AmfObject): void {
  for (const [key, item] of Object.entries(object)) {
    parts.push(utf8(key));
    writeValue(parts, item);
  }
  parts.push(Buffer.from([0, 0, AMF0.OBJECT_END]));
}

/** UTF-8 with a 16-bit length prefix (AMF0 2.4 "UTF-8"); longer keys are truncated to fit. */
function utf8(text: string): Buffer {
  let bytes = Buffer.from(text, 'utf8');
  if (bytes.length > 0xffff) bytes = bytes.subarray(0, 0xffff);
  const b = Buffer.alloc(2 + bytes.length);
  b.writeUInt16BE(bytes.length, 0);
  bytes.copy(b, 2);
  return b;
}
