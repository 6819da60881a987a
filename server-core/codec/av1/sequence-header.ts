import { BitReader } from '../bits/bit-reader.js';
import { BitstreamError } from '../bits/bitstream-error.js';

export interface Av1SequenceHeader {
  seqProfile: number;
  stillPicture: boolean;
  reducedStillPictureHeader: boolean;
  /** Of operating point 0 (what av1C and the codec string carry). */
  seqLevelIdx: number;
  seqTier: number;
  /** max_frame_width_minus_1 + 1 / max_frame_height_minus_1 + 1. */
  width: number;
  height: number;
  /** From timing_info when present. */
  fps?: number;
  bitDepth: number;
  highBitdepth: boolean;
  twelveBit: boolean;
  monochrome: boolean;
  chromaSubsamplingX: number;
  chromaSubsamplingY: number;
  chromaSamplePosition: number;
  colorPrimaries: number;
  transferCharacteristics: number;
  matrixCoefficients: number;
  colorRange: number;
}

const MAX_SEQ_PROFILE = 2;
const CP_BT_709 = 1;
const CP_UNSPECIFIED = 2;
const TC_UNSPECIFIED = 2;
const TC_SRGB = 13;
const MC_IDENTITY = 0;
const MC_UNSPECIFIED = 2;
/** uvlc() with 32 or more leading zeros means 2^32 - 1 (AV1 4.10.3). */
const UVLC_MAX_LEADING_ZEROS = 32;

/**
 * sequence_header_obu() (AV1 5.5.1), the OBU payload without its header, parsed through color_config():
 *
 *   seq_profile u3 | still_picture u1 | reduced_still_picture_header u1
 *   [reduced: seq_level_idx u5] else timing_info / decoder_model_info / operating points
 *   frame_width_bits-1 u4 | frame_height_bits-1 u4 | max_frame_width-1 u(n) | max_frame_height-1 u(n)
 *   frame id numbers | tool flags | order hint | superres/cdef/restoration | color_config
 */
export function parseAv1SequenceHeader(payload: Buffer): Av1SequenceHeader {
  const r = new BitReader(payload);
  const seqProfile = r.readBits(3);
  if (seqProfile > MAX_SEQ_PROFILE) throw new BitstreamError('BITSTREAM_INVALID', `seq_profile ${seqProfile}`);
  const stillPicture = r.readFlag();
  const reducedStillPictureHeader = r.readFlag();
  let seqLevelIdx: number;
  let seqTier = 0;
  let fps: number | undefined;
  if (reducedStillPictureHeader) {
    seqLevelIdx = r.readBits(5);
  } else {
    let decoderModelInfoPresent = false;
    let bufferDelayLength = 0;
    if (r.readFlag()) {
      // timing_info() (5.5.3)
      const numUnitsInDisplayTick = r.readBits(32);
      const timeScale = r.readBits(32);
      let ticksPerPicture = 1;
      if (r.readFlag()) ticksPerPicture = readUvlc(r) + 1; // equal_picture_interval
      if (numUnitsInDisplayTick > 0 && timeScale > 0) fps = timeScale / (numUnitsInDisplayTick * ticksPerPicture);
      decoderModelInfoPresent = r.readFlag();
      if (decoderModelInfoPresent) {
        // decoder_model_info() (5.5.4)
        bufferDelayLength = r.readBits(5) + 1;
        r.skipBits(32 + 5 + 5); // num_units_in_decoding_tick, buffer_removal_time_length, frame_presentation_time_length
      }
    }
    const initialDisplayDelayPresent = r.readFlag();
    const operatingPoints = r.readBits(5) + 1;
    seqLevelIdx = 0;
    for (let i = 0; i < operatingPoints; i++) {
      r.skipBits(12); // operating_point_idc
      const level = r.readBits(5);
      const tier = level > 7 ? r.readBit() : 0;
      if (i === 0) {
        seqLevelIdx = level;
        seqTier = tier;
      }
      if (decoderModelInfoPresent && r.readFlag()) {
        r.skipBits(2 * bufferDelayLength + 1); // decoder/encoder_buffer_delay, low_delay_mode_flag
      }
      if (initialDisplayDelayPresent && r.readFlag()) r.skipBits(4);
    }
  }
  const widthBits = r.readBits(4) + 1;
  const heightBits = r.readBits(4) + 1;
  const width = r.readBits(widthBits) + 1;
  const height = r.readBits(heightBits) + 1;
  if (!reducedStillPictureHeader && r.readFlag()) r.skipBits(4 + 3); // frame id number lengths
  r.skipBits(3); // use_128x128_superblock, enable_filter_intra, enable_intra_edge_filter
  if (!reducedStillPictureHeader) {
    r.skipBits(4); // interintra_compound, masked_compound, warped_motion, dual_filter
    const enableOrderHint = r.readFlag();
    if (enableOrderHint) r.skipBits(2); // jnt_comp, ref_frame_mvs
    const forceScreenContentTools = r.readFlag() ? 2 : r.readBit(); // seq_choose_screen_content_tools
    if (forceScreenContentTools > 0 && !r.readFlag()) r.skipBits(1); // seq_choose_integer_mv, seq_force_integer_mv
    if (enableOrderHint) r.skipBits(3); // order_hint_bits_minus_1
  }
  r.skipBits(3); // enable_superres, enable_cdef, enable_restoration
  const color = readColorConfig(r, seqProfile);
  return {
    seqProfile,
    stillPicture,
    reducedStillPictureHeader,
    seqLevelIdx,
    seqTier,
    width,
    height,
    ...(fps !== undefined ? { fps } : {}),
    ...color,
  };
}

type ColorConfig = Pick<
  Av1SequenceHeader,
  | 'bitDepth'
  | 'highBitdepth'
  | 'twelveBit'
  | 'monochrome'
  | 'chromaSubsamplingX'
  | 'chromaSubsamplingY'
  | 'chromaSamplePosition'
  | 'colorPrimaries'
  | 'transferCharacteristics'
  | 'matrixCoefficients'
  | 'colorRange'
>;

/** color_config() (5.5.2). */
function readColorConfig(r: BitReader, seqProfile: number): ColorConfig {
  const highBitdepth = r.readFlag();
  const twelveBit = seqProfile === 2 && highBitdepth ? r.readFlag() : false;
  const bitDepth = twelveBit ? 12 : highBitdepth ? 10 : 8;
  const monochrome = seqProfile === 1 ? false : r.readFlag();
  let colorPrimaries = CP_UNSPECIFIED;
  let transferCharacteristics = TC_UNSPECIFIED;
  let matrixCoefficients = MC_UNSPECIFIED;
  if (r.readFlag()) {
    colorPrimaries = r.readBits(8);
    transferCharacteristics = r.readBits(8);
    matrixCoefficients = r.readBits(8);
  }
  const base = {
    bitDepth,
    highBitdepth,
    twelveBit,
    monochrome,
    colorPrimaries,
    transferCharacteristics,
    matrixCoefficients,
  };
  if (monochrome) {
    return { ...base, colorRange: r.readBit(), chromaSubsamplingX: 1, chromaSubsamplingY: 1, chromaSamplePosition: 0 };
  }
  if (colorPrimaries === CP_BT_709 && transferCharacteristics === TC_SRGB && matrixCoefficients === MC_IDENTITY) {
    return { ...base, colorRange: 1, chromaSubsamplingX: 0, chromaSubsamplingY: 0, chromaSamplePosition: 0 };
  }
  const colorRange = r.readBit();
  let chromaSubsamplingX: number;
  let chromaSubsamplingY: number;
  if (seqProfile === 0) {
    chromaSubsamplingX = 1;
    chromaSubsamplingY = 1;
  } else if (seqProfile === 1) {
    chromaSubsamplingX = 0;
    chromaSubsamplingY = 0;
  } else if (bitDepth === 12) {
    chromaSubsamplingX = r.readBit();
    chromaSubsamplingY = chromaSubsamplingX ? r.readBit() : 0;
  } else {
    chromaSubsamplingX = 1;
    chromaSubsamplingY = 0;
  }
  const chromaSamplePosition = chromaSubsamplingX && chromaSubsamplingY ? r.readBits(2) : 0;
  r.skipBits(1); // separate_uv_delta_q
  return { ...base, colorRange, chromaSubsamplingX, chromaSubsamplingY, chromaSamplePosition };
}

/** uvlc() (4.10.3). */
function readUvlc(r: BitReader): number {
  let leadingZeros = 0;
  while (r.readBit() === 0) leadingZeros++;
  if (leadingZeros >= UVLC_MAX_LEADING_ZEROS) return 2 ** 32 - 1;
  return r.readBits(leadingZeros) + 2 ** leadingZeros - 1;
}
