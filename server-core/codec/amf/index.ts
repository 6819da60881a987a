export { AMF_MAX_DEPTH, AMF_MAX_ITEMS } from './amf-limits.js';
export {
  AmfEcmaArray,
  AmfError,
  type AmfErrorCode,
  type AmfObject,
  type AmfValue,
  amfToPlain,
} from './amf-value.js';
export { decodeAmf0 } from './amf0-decoder.js';
export { encodeAmf0 } from './amf0-encoder.js';
export { decodeAmf3 } from './amf3-decoder.js';
