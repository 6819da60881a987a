import { BitReader } from '../bits/bit-reader.js';
import { BitstreamError } from '../bits/bitstream-error.js';
import { writeLeb128 } from './leb128.js';
import { AV1_OBU_SEQUENCE_HEADER, readObu, splitObus } from './obu.js';
import { type Av1SequenceHeader, parseAv1SequenceHeader } from './sequence-header.js';

export interface Av1CodecConfig {
  seqProfile: number;
  seqLevelIdx: number;
  seqTier: number;
  highBitdepth: boolean;
  twelveBit: boolean;
  monochrome: boolean;
  chromaSubsamplingX: number;
  chromaSubsamplingY: number;
  chromaSamplePosition: number;
  /** initial_presentation_delay_minus_one + 1, when signalled. */
  initialPresentationDelay?: number;
  /** Maximum frame size from the sequence header OBU; absent when the record carries none. */
  width?: number;
  height?: number;
  sequenceHeader?: Av1SequenceHeader;
  /** configOBUs: the sequence header OBU and any metadata OBUs (a subarray). */
  configObus: Buffer;
}

const AV1C_HEADER_SIZE = 4;
const MARKER_AND_VERSION = 0x81;

/**
 * AV1CodecConfigurationRecord (AV1-ISOBMFF 2.3.3):
 *
 *   marker u1 = 1 | version u7 = 1 | seq_profile u3 | seq_level_idx_0 u5
 *   seq_tier_0 u1 | high_bitdepth u1 | twelve_bit u1 | monochrome u1 | chroma_subsampling_x u1
 *   chroma_subsampling_y u1 | chroma_sample_position u2
 *   reserved u3 | initial_presentation_delay_present u1 | initial_presentation_delay_minus_one u4
 *   configOBUs (low-overhead OBUs: a sequence header, maybe metadata)
 */
export function parseAv1CodecConfig(buf: Buffer): Av1CodecConfig {
  const r = new BitReader(buf);
  const markerVersion = r.readBits(8);
  if (markerVersion !== MARKER_AND_VERSION) {
    throw new BitstreamError(
      'BITSTREAM_UNSUPPORTED',
      `marker/version byte 0x${markerVersion.toString(16).padStart(2, '0')}, expected 0x81`,
    );
  }
  const config: Av1CodecConfig = {
    seqProfile: r.readBits(3),
    seqLevelIdx: r.readBits(5),
    seqTier: r.readBit(),
    highBitdepth: r.readFlag(),
    twelveBit: r.readFlag(),
    monochrome: r.readFlag(),
    chromaSubsamplingX: r.readBit(),
    chromaSubsamplingY: r.readBit(),
    chromaSamplePosition: r.readBits(2),
    configObus: buf.subarray(AV1C_HEADER_SIZE),
  };
  r.skipBits(3);
  const delayPresent = r.readFlag();
  const delayMinusOne = r.readBits(4);
  if (delayPresent) config.initialPresentationDelay = delayMinusOne + 1;
  const sequenceHeaderObu = splitObus(config.configObus).find((obu) => obu.type === AV1_OBU_SEQUENCE_HEADER);
  if (sequenceHeaderObu) {
    const header = parseAv1SequenceHeader(sequenceHeaderObu.payload);
    config.sequenceHeader = header;
    config.width = header.width;
    config.height = header.height;
  }
  return config;
}

/**
 * Builds an av1C from a sequence header OBU (header included, as it arrives in the bitstream). The OBU is
 * stored with obu_has_size_field set, as configOBUs require.
 */
export function buildAv1CodecConfig(sequenceHeaderObu: Buffer): Buffer {
  const obu = readObu(sequenceHeaderObu, 0);
  if (obu.type !== AV1_OBU_SEQUENCE_HEADER)
    throw new BitstreamError('BITSTREAM_INVALID', `OBU type ${obu.type} is not a sequence header`);
  const h = parseAv1SequenceHeader(obu.payload);
  const head = Buffer.from([
    MARKER_AND_VERSION,
    (h.seqProfile << 5) | h.seqLevelIdx,
    (h.seqTier << 7) |
      (Number(h.highBitdepth) << 6) |
      (Number(h.twelveBit) << 5) |
      (Number(h.monochrome) << 4) |
      (h.chromaSubsamplingX << 3) |
      (h.chromaSubsamplingY << 2) |
      h.chromaSamplePosition,
    0,
  ]);
  const hasSize = (obu.data[0] & 0x02) !== 0;
  if (hasSize) return Buffer.concat([head, obu.data]);
  const headerLength = obu.data.length - obu.payload.length;
  const obuHeader = Buffer.from(obu.data.subarray(0, headerLength));
  obuHeader[0] |= 0x02;
  return Buffer.concat([head, obuHeader, writeLeb128(obu.payload.length), obu.payload]);
}
