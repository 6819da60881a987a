/**
 * Script data helpers that need no AMF decoder: RTMP publishers send `@setDataFrame, onMetaData, {...}` and
 * servers keep `onMetaData, {...}` (what FLV files and players expect).
 */
const AMF0_STRING = 0x02;

/** The first value of a script body when it is an AMF0 string, e.g. 'onMetaData'. */
export function readScriptName(body: Buffer): string | undefined {
  if (body.length < 3 || body[0] !== AMF0_STRING) return undefined;
  const length = body.readUInt16BE(1);
  if (body.length < 3 + length) return undefined;
  return body.toString('utf8', 3, 3 + length);
}

/** Drops a leading '@setDataFrame' string; other bodies are returned as they are. */
export function stripSetDataFrame(body: Buffer): Buffer {
  if (readScriptName(body) !== '@setDataFrame') return body;
  return body.subarray(3 + body.readUInt16BE(1));
}
