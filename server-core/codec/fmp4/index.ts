export { box, fullBox } from './box.js';
export { type Box, findBox, parseMdhd, parseTfdt, parseTkhd, parseTrun, readBoxes } from './box-reader.js';
export { Fmp4Error } from './fmp4-error.js';
export { writeInitSegment } from './init-segment.js';
export { NON_SYNC_SAMPLE_FLAGS, SYNC_SAMPLE_FLAGS, writeMediaSegment } from './media-segment.js';
export type { Fmp4Fragment, Fmp4Sample, Fmp4Track } from './track.js';
export {
  describeTrack,
  type Fmp4Codec,
  type Fmp4TrackDescription,
  isFmp4Codec,
  VIDEO_TIMESCALE,
} from './track-description.js';
export { type TimedSample, TrackFragmenter } from './track-fragmenter.js';
