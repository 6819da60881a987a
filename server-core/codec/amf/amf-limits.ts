/** Limits that keep a hostile message from exhausting the stack or memory (shared by the AMF0 and AMF3 code). */

/** Deepest nesting of objects and arrays. Real commands nest two or three levels. */
export const AMF_MAX_DEPTH = 32;
/** Most items in one container (array elements, object properties) and most top-level values in one buffer. */
export const AMF_MAX_ITEMS = 65_536;
