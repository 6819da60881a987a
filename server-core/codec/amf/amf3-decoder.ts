import { AmfError, type AmfObject, type AmfValue } from './amf-value.js';
import { AMF_MAX_DEPTH, AMF_MAX_ITEMS } from './amf0-markers.js';
import type { ByteCursor } from './byte-cursor.js';

/** AMF3 markers (Adobe "AMF 3 Specification", section 3.1). */
const AMF3 = {
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

interface Traits {
  dynamic: boolean;
  names: string[];
}

/**
 * Reads one AMF3 value (what follows an AMF0 avmplus marker 0x11). Keeps the string, object and trait reference
 * tables the spec requires within one value.
 */
export class Amf3Reader {
  private readonly strings: string[] = [];
  private readonly objects: AmfValue[] = [];
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
        throw new AmfError('AMF_BAD_MARKER', `unknown AMF3 marker 0x${marker.toString(16)}`);
    }
  }

  /** U29: 1-4 bytes, 7 bits each except the 4th which carries 8 (AMF3 1.3.1). */
  private u29(): number {
    let value = 0;
    for (let i = 0; i < 3; i++) {
      const b = this.cursor.u8();
      value = (value << 7) | (b & 0x7f);
      if ((b & 0x80) === 0) return value;
    }
    return ((value << 8) | this.cursor.u8()) >>> 0;
  }

  private string(): string {
    const header = this.u29();
    if ((header & 1) === 0) return this.stringRef(header >> 1);
    const length = header >> 1;
    const value = this.cursor.utf8(length);
    if (length > 0) this.strings.push(value);
    return value;
  }

  private stringRef(index: number): string {
    const value = this.strings[index];
    if (value === undefined) throw new AmfError('AMF_BAD_REFERENCE', `AMF3 string reference ${index}`);
    return value;
  }

  private objectRef(index: number): AmfValue {
    if (index >= this.objects.length) throw new AmfError('AMF_BAD_REFERENCE', `AMF3 object reference ${index}`);
    return this.objects[index];
  }

  private blob(binary: boolean): AmfValue {
    const header = this.u29();
    if ((header & 1) === 0) return this.objectRef(header >> 1);
    const bytes = this.cursor.bytes(header >> 1);
    const value = binary ? bytes.toString('base64') : bytes.toString('utf8');
    this.objects.push(value);
    return value;
  }

  private date(): AmfValue {
    const header = this.u29();
    if ((header & 1) === 0) return this.objectRef(header >> 1);
    const value = new Date(this.cursor.f64());
    this.objects.push(value);
    return value;
  }

  private array(depth: number): AmfValue {
    const header = this.u29();
    if ((header & 1) === 0) return this.objectRef(header >> 1);
    const count = header >> 1;
    if (count > AMF_MAX_ITEMS) throw new AmfError('AMF_TOO_LARGE', `AMF3 array of ${count}`);
    const assoc: AmfObject = {};
    let hasAssoc = false;
    const items: AmfValue[] = [];
    this.objects.push(items);
    for (let key = this.string(); key !== ''; key = this.string()) {
      assoc[key] = this.read(depth + 1);
      hasAssoc = true;
    }
    for (let i = 0; i < count; i++) items.push(this.read(depth + 1));
    if (!hasAssoc) return items;
    items.forEach((v, i) => {
      assoc[String(i)] = v;
    });
    return assoc;
  }

  private object(depth: number): AmfValue {
    const header = this.u29();
    if ((header & 1) === 0) return this.objectRef(header >> 1);
    let traits: Traits;
    if ((header & 2) === 0) {
      traits = this.traits[header >> 2];
      if (!traits) throw new AmfError('AMF_BAD_REFERENCE', `AMF3 traits reference ${header >> 2}`);
    } else {
      if (header & 4) throw new AmfError('AMF_BAD_MARKER', 'AMF3 externalizable objects are not supported');
      const dynamic = (header & 8) !== 0;
      const count = header >> 4;
      if (count > AMF_MAX_ITEMS) throw new AmfError('AMF_TOO_LARGE', `AMF3 traits of ${count}`);
      this.string(); // class name
      const names: string[] = [];
      for (let i = 0; i < count; i++) names.push(this.string());
      traits = { dynamic, names };
      this.traits.push(traits);
    }
    const object: AmfObject = {};
    this.objects.push(object);
    for (const name of traits.names) object[name] = this.read(depth + 1);
    if (traits.dynamic) {
      let items = 0;
      for (let key = this.string(); key !== ''; key = this.string()) {
        if (++items > AMF_MAX_ITEMS) throw new AmfError('AMF_TOO_LARGE', 'AMF3 object too large');
        object[key] = this.read(depth + 1);
      }
    }
    return object;
  }
}
