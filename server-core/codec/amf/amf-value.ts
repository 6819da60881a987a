/** Values carried by AMF0 (Adobe "Action Message Format -- AMF 0", 2006) and the AMF3 subset RTMP uses. */
export type AmfValue = number | boolean | string | null | undefined | Date | AmfValue[] | AmfObject | AmfEcmaArray;

export interface AmfObject {
  [key: string]: AmfValue;
}

/** An ECMA array (associative array, as onMetaData uses): kept distinct from an object so it round-trips. */
export class AmfEcmaArray {
  constructor(readonly entries: AmfObject) {}
}

export type AmfErrorCode =
  | 'AMF_TRUNCATED'
  | 'AMF_BAD_MARKER'
  | 'AMF_TOO_DEEP'
  | 'AMF_TOO_LARGE'
  | 'AMF_BAD_REFERENCE'
  | 'AMF_UNSUPPORTED';

export class AmfError extends Error {
  constructor(
    readonly code: AmfErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AmfError';
  }
}

/**
 * Sets a decoded property as an own data property: a key named `__proto__` must not change the object's
 * prototype (plain assignment would).
 */
export function setAmfProperty(object: AmfObject, key: string, value: AmfValue): void {
  if (key === '__proto__') {
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    object[key] = value;
  }
}

/**
 * Turns ECMA arrays into plain objects, recursively (for code that only reads values). A value reached twice
 * through AMF references is converted once, so shared references cannot make this exponential.
 */
export function amfToPlain(value: AmfValue): unknown {
  return toPlain(value, new Map());
}

function toPlain(value: AmfValue, seen: Map<object, unknown>): unknown {
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const done = seen.get(value);
  if (done !== undefined) return done;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value) out.push(toPlain(item, seen));
    return out;
  }
  const source = value instanceof AmfEcmaArray ? value.entries : value;
  const out: AmfObject = {};
  seen.set(value, out);
  for (const [k, v] of Object.entries(source)) setAmfProperty(out, k, toPlain(v, seen) as AmfValue);
  return out;
}
