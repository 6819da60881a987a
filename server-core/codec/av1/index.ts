export { type Av1CodecConfig, buildAv1CodecConfig, parseAv1CodecConfig } from './av1c.js';
export { av1CodecString } from './codec-string.js';
export { readLeb128, writeLeb128 } from './leb128.js';
export {
  AV1_OBU_FRAME,
  AV1_OBU_FRAME_HEADER,
  AV1_OBU_METADATA,
  AV1_OBU_PADDING,
  AV1_OBU_REDUNDANT_FRAME_HEADER,
  AV1_OBU_SEQUENCE_HEADER,
  AV1_OBU_TEMPORAL_DELIMITER,
  AV1_OBU_TILE_GROUP,
  AV1_OBU_TILE_LIST,
  type Av1Obu,
  readObu,
  splitObus,
} from './obu.js';
export { type Av1SequenceHeader, parseAv1SequenceHeader } from './sequence-header.js';
