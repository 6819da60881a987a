export { box, fullBox } from './box.js';
export { type Box, findBox, parseMdhd, parseTfdt, parseTkhd, parseTrun, readBoxes } from './box-reader.js';
export { Fmp4Error } from './fmp4-error.js';
export { writeInitSegment } from './init-segment.js';
export { writeMediaSegment } from './media-segment.js';
export type { Fmp4Fragment, Fmp4Sample, Fmp4Track } from './track.js';
