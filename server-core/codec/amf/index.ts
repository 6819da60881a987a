export { AmfEcmaArray, AmfError, type AmfObject, type AmfValue, amfToPlain } from './amf-value.js';
export { decodeAmf0 } from './amf0-decoder.js';
export { encodeAmf0 } from './amf0-encoder.js';
