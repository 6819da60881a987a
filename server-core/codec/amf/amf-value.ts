/** Values carried by AMF0 (Adobe "Action Message Format -- AMF 0", 2006) and the AMF3 subset RTMP uses. */
export type AmfValue = number | boolean | string | null | undefined | Date | AmfValue[] | AmfObject | AmfEcmaArray;

export interface AmfObject {
  [key: string]: AmfValue;
}

/** An ECMA array (associative array, as onMetaData uses): kept distinct from an object so it round-trips. */
export class AmfEcmaArray {
  constructor(readonly entries: AmfObject) {}
}

export type AmfErrorCode = 'AMF_TRUNCATED' | 'AMF_BAD_MARKER' | 'AMF_TOO_DEEP' | 'AMF_TOO_LARGE' | 'AMF_BAD_REFERENCE';

export class AmfError extends Error {
  constructor(
    readonly code: AmfErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AmfError';
  }
}

/** Turns ECMA arrays into plain objects, recursively (for code that only reads values). */
export function amfToPlain(value: AmfValue): unknown {
  if (value instanceof AmfEcmaArray) return amfToPlain(value.entries);
  if (Array.isArray(value)) return value.map(amfToPlain);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = amfToPlain(v);
    return out;
  }
  return value;
}
