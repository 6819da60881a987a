import { AMF_MAX_DEPTH, AMF_MAX_ITEMS } from './amf-limits.js';
import { AmfError, type AmfObject, type AmfValue, setAmfProperty } from './amf-value.js';
import { ByteCursor } from './byte-cursor.js';

/** AMF3 markers (Adobe "AMF 3 Specification", section 3.1). */
export const AMF3 = {
  UNDEFINED: 0x00,
  NULL: 0x01,
  FALSE: 0x02,
  TRUE: 0x03,
  INTEGER: 0x04,
  DOUBLE: 0x05,
  STRING: 0x06,
  XML_DOC: 0x07,
  DATE: 0x08,
  ARRAY: 0x09,
  OBJECT: 0x0a,
  XML: 0x0b,
  BYTE_ARRAY: 0x0c,
} as const;

/** Decodes one AMF3 value at the start of `buf` (bytes after it are ignored). Throws only AmfError. */
export function decodeAmf3(buf: Buffer): AmfValue {
  return new Amf3Reader(new ByteCursor(buf)).read();
}

interface Traits {
  dynamic: boolean;
  names: string[];
}

/**
 * Reads one AMF3 value (what follows an AMF0 avmplus marker 0x11). Each value header is a U29 whose low bit says
 * "inline" (1) or "reference" (0, the rest is a table index); the string, object and traits tables live for the
 * whole value (AMF3 2.2).
 *
 *   integer = U29 (signed 29-bit)   double = f64 BE   string = U29 (len << 1 | 1) | UTF-8
 *   date = U29 (1) | f64 ms         array = U29 (dense count << 1 | 1) | (key string | value)* | "" | value*
 *   object = U29 (traits) | [class name | sealed names] | sealed values | [(key | value)* | ""]
 *   byte array / xml = U29 (len << 1 | 1) | bytes
 *
 * Unsupported (never seen in RTMP commands): externalizable objects, vectors, dictionaries. References to a value
 * still being decoded (cycles) are refused, so what comes out is a tree, safe to walk and re-encode. A byte array
 * comes out as a base64 string, since AmfValue has no binary type.
 */
export class Amf3Reader {
  private readonly strings: string[] = [];
  private readonly objects: AmfValue[] = [];
  private readonly complete: boolean[] = [];
  private readonly traits: Traits[] = [];

  constructor(private readonly cursor: ByteCursor) {}

  read(depth = 0): AmfValue {
    if (depth > AMF_MAX_DEPTH) throw new AmfError('AMF_TOO_DEEP', 'AMF3 nesting too deep');
    const marker = this.cursor.u8();
    switch (marker) {
      case AMF3.UNDEFINED:
        return undefined;
      case AMF3.NULL:
        return null;
      case AMF3.FALSE:
        return false;
      case AMF3.TRUE:
        return true;
      case AMF3.INTEGER: {
        const v = this.u29();
        return v & 0x10000000 ? v - 0x20000000 : v;
      }
      case AMF3.DOUBLE:
        return this.cursor.f64();
      case AMF3.STRING:
        return this.string();
      case AMF3.XML_DOC:
      case AMF3.XML:
      case AMF3.BYTE_ARRAY:
        return this.blob(marker === AMF3.BYTE_ARRAY);
      case AMF3.DATE:
        return this.date();
      case AMF3.ARRAY:
        return this.array(depth);
      case AMF3.OBJECT:
        return this.object(depth);
      default:
        throw new AmfError('AMF_BAD_MARKER', `unsupported AMF3 marker 0x${marker.toString(16)}`);
    }
  }

  /** U29: 1-4 bytes, big-endian; the first three carry 7 bits and a "more" flag, the 4th all 8 (AMF3 1.3.1). */
  private u29(): number {
    let value = 0;
    for (let i = 0; i < 3; i++) {
      const b = this.cursor.u8();
      value = (value << 7) | (b & 0x7f);
      if ((b & 0x80) === 0) return value;
    }
    return ((value << 8) | this.cursor.u8()) >>> 0;
  }

  /** UTF-8-vr (AMF3 1.3.2): the empty string is never put in the table. */
  private string(): string {
    const header = this.u29();
    if ((header & 1) === 0) {
      const value = this.strings[header >> 1];
      if (value === undefined) throw new AmfError('AMF_BAD_REFERENCE', `AMF3 string reference ${header >> 1}`);
      return value;
    }
    const length = header >> 1;
    const value = this.cursor.utf8(length);
    if (length > 0) this.strings.push(value);
    return value;
  }

  private objectRef(header: number): AmfValue {
    const index = header >> 1;
    if (index >= this.objects.length) throw new AmfError('AMF_BAD_REFERENCE', `AMF3 object reference ${index}`);
    if (!this.complete[index]) throw new AmfError('AMF_UNSUPPORTED', `AMF3 circular reference ${index}`);
    return this.objects[index];
  }

  private begin(value: AmfValue, complete: boolean): number {
    this.objects.push(value);
    this.complete.push(complete);
    return this.objects.length - 1;
  }

  private blob(binary: boolean): AmfValue {
    const header = this.u29();
    if ((header & 1) === 0) return this.objectRef(header);
    const bytes = this.cursor.bytes(header >> 1);
    const value = binary ? bytes.toString('base64') : bytes.toString('utf8');
    this.begin(value, true);
    return value;
  }

  private date(): AmfValue {
    const header = this.u29();
    if ((header & 1) === 0) return this.objectRef(header);
    const value = new Date(this.cursor.f64());
    this.begin(value, true);
    return value;
  }

  /** AMF3 3.11: an associative part (key/value until "") then a dense part; with keys it becomes an object. */
  private array(depth: number): AmfValue {
    const header = this.u29();
    if ((header & 1) === 0) return this.objectRef(header);
    const count = header >> 1;
    if (count > AMF_MAX_ITEMS || count > this.cursor.remaining) {
      throw new AmfError('AMF_TOO_LARGE', `AMF3 array of ${count} items`);
    }
    const items: AmfValue[] = [];
    const index = this.begin(items, false);
    let assoc: AmfObject | undefined;
    for (let key = this.string(), n = 0; key !== ''; key = this.string(), n++) {
      if (n >= AMF_MAX_ITEMS) throw new AmfError('AMF_TOO_LARGE', 'AMF3 array has too many keys');
      assoc ??= {};
      setAmfProperty(assoc, key, this.read(depth + 1));
    }
    for (let i = 0; i < count; i++) items.push(this.read(depth + 1));
    this.complete[index] = true;
    if (!assoc) return items;
    for (let i = 0; i < items.length; i++) assoc[String(i)] = items[i];
    this.objects[index] = assoc;
    return assoc;
  }

  /** AMF3 3.12: U29O-ref, U29O-traits-ref, or inline traits (externalizable, dynamic, sealed count). */
  private object(depth: number): AmfValue {
    const header = this.u29();
    if ((header & 1) === 0) return this.objectRef(header);
    let traits: Traits;
    if ((header & 2) === 0) {
      traits = this.traits[header >> 2];
      if (!traits) throw new AmfError('AMF_BAD_REFERENCE', `AMF3 traits reference ${header >> 2}`);
    } else {
      if (header & 4) throw new AmfError('AMF_UNSUPPORTED', 'AMF3 externalizable objects are not supported');
      const dynamic = (header & 8) !== 0;
      const count = header >> 4;
      if (count > AMF_MAX_ITEMS || count > this.cursor.remaining) {
        throw new AmfError('AMF_TOO_LARGE', `AMF3 traits of ${count} members`);
      }
      this.string(); // class name: callers only want the fields
      const names: string[] = [];
      for (let i = 0; i < count; i++) names.push(this.string());
      traits = { dynamic, names };
      this.traits.push(traits);
    }
    const object: AmfObject = {};
    const index = this.begin(object, false);
    for (const name of traits.names) setAmfProperty(object, name, this.read(depth + 1));
    if (traits.dynamic) {
      for (let key = this.string(), n = 0; key !== ''; key = this.string(), n++) {
        if (n >= AMF_MAX_ITEMS) throw new AmfError('AMF_TOO_LARGE', 'AMF3 object has too many properties');
        setAmfProperty(object, key, this.read(depth + 1));
      }
    }
    this.complete[index] = true;
    return object;
  }
}
