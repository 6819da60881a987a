import { BitstreamError } from '../bits/bitstream-error.js';
import { readLeb128 } from './leb128.js';

/** obu_type values (AV1 6.2.2). */
export const AV1_OBU_SEQUENCE_HEADER = 1;
export const AV1_OBU_TEMPORAL_DELIMITER = 2;
export const AV1_OBU_FRAME_HEADER = 3;
export const AV1_OBU_TILE_GROUP = 4;
export const AV1_OBU_METADATA = 5;
export const AV1_OBU_FRAME = 6;
export const AV1_OBU_REDUNDANT_FRAME_HEADER = 7;
export const AV1_OBU_TILE_LIST = 8;
export const AV1_OBU_PADDING = 15;

export interface Av1Obu {
  type: number;
  temporalId: number;
  spatialId: number;
  /** The whole OBU, header included (a subarray). */
  data: Buffer;
  /** obu payload only (a subarray). */
  payload: Buffer;
}

/**
 * Splits a low-overhead bitstream (AV1 5.2) into OBUs; each open_bitstream_unit (5.3.1) is
 *
 *   forbidden u1 | obu_type u4 | extension_flag u1 | has_size_field u1 | reserved u1
 *   [temporal_id u3 | spatial_id u2 | reserved u3] | [obu_size leb128] | payload
 *
 * An OBU without a size field runs to the end of buf.
 */
export function splitObus(buf: Buffer): Av1Obu[] {
  const obus: Av1Obu[] = [];
  let at = 0;
  while (at < buf.length) {
    const obu = readObu(buf, at);
    obus.push(obu);
    at += obu.data.length;
  }
  return obus;
}

/** The OBU starting at buf[offset]. */
export function readObu(buf: Buffer, offset: number): Av1Obu {
  if (offset >= buf.length) throw new BitstreamError('BITSTREAM_OVERRUN', 'no OBU header');
  const first = buf[offset];
  if (first & 0x80) throw new BitstreamError('BITSTREAM_INVALID', 'OBU forbidden bit set');
  const type = (first >> 3) & 0x0f;
  const hasExtension = (first & 0x04) !== 0;
  const hasSize = (first & 0x02) !== 0;
  let at = offset + 1;
  let temporalId = 0;
  let spatialId = 0;
  if (hasExtension) {
    if (at >= buf.length) throw new BitstreamError('BITSTREAM_OVERRUN', 'no OBU extension header');
    temporalId = buf[at] >> 5;
    spatialId = (buf[at] >> 3) & 0x03;
    at++;
  }
  let size = buf.length - at;
  if (hasSize) {
    const leb = readLeb128(buf, at);
    at += leb.length;
    size = leb.value;
    if (size > buf.length - at)
      throw new BitstreamError('BITSTREAM_TRUNCATED', `OBU of ${size} bytes, ${buf.length - at} left`);
  }
  return { type, temporalId, spatialId, data: buf.subarray(offset, at + size), payload: buf.subarray(at, at + size) };
}
