export { BitReader } from './bit-reader.js';
export { BitWriter } from './bit-writer.js';
export { BitstreamError, type BitstreamErrorCode } from './bitstream-error.js';
