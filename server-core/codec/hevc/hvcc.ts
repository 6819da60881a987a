import { BitReader } from '../bits/bit-reader.js';
import { BitstreamError } from '../bits/bitstream-error.js';
import { HEVC_NAL_PPS, HEVC_NAL_SEI_PREFIX, HEVC_NAL_SEI_SUFFIX, HEVC_NAL_SPS, HEVC_NAL_VPS } from './nal-type.js';
import { parseHevcSps } from './sps.js';

export interface HevcDecoderConfig {
  generalProfileSpace: number;
  generalTierFlag: number;
  generalProfileIdc: number;
  generalProfileCompatibilityFlags: number;
  generalConstraintIndicatorFlags: Buffer;
  generalLevelIdc: number;
  chromaFormatIdc: number;
  bitDepthLuma: number;
  bitDepthChroma: number;
  numTemporalLayers: number;
  temporalIdNested: boolean;
  /** Bytes per NAL length in samples: lengthSizeMinusOne + 1. */
  lengthSize: number;
  vps: Buffer[];
  sps: Buffer[];
  pps: Buffer[];
  /** Prefix and suffix SEI units (e.g. x265's encoder info), when the record carries any. */
  sei?: Buffer[];
}

/** Version 1 per the spec; some early muxers wrote 0 with the same layout. */
const SUPPORTED_VERSIONS = new Set([0, 1]);
const CONFIGURATION_VERSION = 1;
/** Fixed fields before numOfArrays. */
const HEADER_SIZE = 22;
const MAX_NAL_SIZE = 0xffff;

/**
 * HEVCDecoderConfigurationRecord (ISO/IEC 14496-15 8.3.3.1.2):
 *
 *   configurationVersion u8 | profile_space u2 | tier u1 | profile_idc u5 | compatibility u32
 *   constraint_indicator u48 | level_idc u8 | '1111' min_spatial_segmentation u12 | '111111' parallelism u2
 *   '111111' chroma_format u2 | '11111' bit_depth_luma-8 u3 | '11111' bit_depth_chroma-8 u3
 *   avgFrameRate u16 | constantFrameRate u2 | numTemporalLayers u3 | temporalIdNested u1 | lengthSizeMinusOne u2
 *   numOfArrays u8 | { completeness u1 | 0 u1 | NAL_unit_type u6 | numNalus u16 | { length u16 | NAL }* }*
 *
 * NAL units are subarrays of buf; arrays of other types are skipped.
 */
export function parseHevcDecoderConfig(buf: Buffer): HevcDecoderConfig {
  if (buf.length < HEADER_SIZE + 1) {
    const size = buf.length === 1 ? '1 byte' : `${buf.length} bytes`;
    throw new BitstreamError('BITSTREAM_TRUNCATED', `${size}, the fixed part alone has ${HEADER_SIZE + 1}`);
  }
  const r = new BitReader(buf);
  const version = r.readBits(8);
  if (!SUPPORTED_VERSIONS.has(version)) {
    throw new BitstreamError('BITSTREAM_UNSUPPORTED', `configurationVersion ${version}, expected 1`);
  }
  const generalProfileSpace = r.readBits(2);
  const generalTierFlag = r.readBits(1);
  const generalProfileIdc = r.readBits(5);
  const generalProfileCompatibilityFlags = r.readBits(32);
  const generalConstraintIndicatorFlags = r.readBytes(6);
  const generalLevelIdc = r.readBits(8);
  r.skipBits(16 + 8); // min_spatial_segmentation_idc, parallelismType
  r.skipBits(6);
  const chromaFormatIdc = r.readBits(2);
  r.skipBits(5);
  const bitDepthLuma = r.readBits(3) + 8;
  r.skipBits(5);
  const bitDepthChroma = r.readBits(3) + 8;
  r.skipBits(16 + 2); // avgFrameRate, constantFrameRate
  const numTemporalLayers = r.readBits(3);
  const temporalIdNested = r.readFlag();
  const lengthSizeMinusOne = r.readBits(2);
  if (lengthSizeMinusOne === 2) {
    throw new BitstreamError('BITSTREAM_INVALID', 'NAL length size 3 (lengthSizeMinusOne 2) is not allowed');
  }

  const config: HevcDecoderConfig = {
    generalProfileSpace,
    generalTierFlag,
    generalProfileIdc,
    generalProfileCompatibilityFlags,
    generalConstraintIndicatorFlags,
    generalLevelIdc,
    chromaFormatIdc,
    bitDepthLuma,
    bitDepthChroma,
    numTemporalLayers,
    temporalIdNested,
    lengthSize: lengthSizeMinusOne + 1,
    vps: [],
    sps: [],
    pps: [],
  };
  const sei: Buffer[] = [];
  const numOfArrays = r.readBits(8);
  for (let i = 0; i < numOfArrays; i++) {
    if (r.bitsLeft < 24) {
      throw new BitstreamError('BITSTREAM_TRUNCATED', `the record ends before NAL array ${i + 1} of ${numOfArrays}`);
    }
    r.skipBits(2); // array_completeness, reserved
    const type = r.readBits(6);
    const numNalus = r.readBits(16);
    const list =
      type === HEVC_NAL_VPS
        ? config.vps
        : type === HEVC_NAL_SPS
          ? config.sps
          : type === HEVC_NAL_PPS
            ? config.pps
            : type === HEVC_NAL_SEI_PREFIX || type === HEVC_NAL_SEI_SUFFIX
              ? sei
              : undefined;
    for (let j = 0; j < numNalus; j++) {
      if (r.bitsLeft < 16) {
        throw new BitstreamError(
          'BITSTREAM_TRUNCATED',
          `the record ends before ${arrayName(type)} ${j + 1} of ${numNalus}`,
        );
      }
      const length = r.readBits(16);
      if (length * 8 > r.bitsLeft) {
        throw new BitstreamError(
          'BITSTREAM_TRUNCATED',
          `${arrayName(type)} length ${length} runs past the end (${r.bitsLeft / 8} bytes left)`,
        );
      }
      const nal = r.readBytes(length);
      list?.push(nal);
    }
  }
  if (sei.length > 0) config.sei = sei;
  return config;
}

/** How a reason names the units of an array: 'SPS', or 'type 39 NAL'. */
function arrayName(type: number): string {
  if (type === HEVC_NAL_VPS) return 'VPS';
  if (type === HEVC_NAL_SPS) return 'SPS';
  if (type === HEVC_NAL_PPS) return 'PPS';
  return `type ${type} NAL`;
}

/**
 * Builds the record from raw VPS/SPS/PPS NAL units (with NAL headers, no start codes). Profile, tier, level,
 * chroma format, bit depths and temporal layers come from the first SPS; lengthSize is 4 and every array is
 * marked complete, as ffmpeg writes it for 'hvc1'.
 */
export function buildHevcDecoderConfig(vps: Buffer[], sps: Buffer[], pps: Buffer[]): Buffer {
  if (sps.length === 0) throw new BitstreamError('BITSTREAM_INVALID', 'hvcC needs an SPS');
  const arrays: Array<[number, Buffer[]]> = [
    [HEVC_NAL_VPS, vps],
    [HEVC_NAL_SPS, sps],
    [HEVC_NAL_PPS, pps],
  ];
  let size = HEADER_SIZE + 1;
  for (const [type, nals] of arrays) {
    if (nals.length === 0) continue;
    if (nals.length > 0xffff) throw new BitstreamError('BITSTREAM_TOO_LARGE', `${nals.length} NAL units`);
    size += 3;
    for (const nal of nals) {
      if (nal.length < 2 || ((nal[0] >> 1) & 0x3f) !== type) {
        throw new BitstreamError('BITSTREAM_INVALID', `expected NAL type ${type}`);
      }
      if (nal.length > MAX_NAL_SIZE) throw new BitstreamError('BITSTREAM_TOO_LARGE', `NAL unit of ${nal.length} bytes`);
      size += 2 + nal.length;
    }
  }
  const s = parseHevcSps(sps[0]);
  const out = Buffer.alloc(size);
  out[0] = CONFIGURATION_VERSION;
  out[1] = (s.generalProfileSpace << 6) | (s.generalTierFlag << 5) | s.generalProfileIdc;
  out.writeUInt32BE(s.generalProfileCompatibilityFlags, 2);
  s.generalConstraintIndicatorFlags.copy(out, 6);
  out[12] = s.generalLevelIdc;
  out.writeUInt16BE(0xf000, 13); // min_spatial_segmentation_idc 0
  out[15] = 0xfc; // parallelismType 0 (unknown)
  out[16] = 0xfc | s.chromaFormatIdc;
  out[17] = 0xf8 | (s.bitDepthLuma - 8);
  out[18] = 0xf8 | (s.bitDepthChroma - 8);
  out.writeUInt16BE(0, 19); // avgFrameRate unspecified
  out[21] = (s.maxSubLayers << 3) | ((s.temporalIdNestingFlag ? 1 : 0) << 2) | 3; // constantFrameRate 0, lengthSize 4
  let at = HEADER_SIZE;
  out[at++] = arrays.filter(([, nals]) => nals.length > 0).length;
  for (const [type, nals] of arrays) {
    if (nals.length === 0) continue;
    out[at++] = 0x80 | type; // array_completeness 1
    out.writeUInt16BE(nals.length, at);
    at += 2;
    for (const nal of nals) {
      out.writeUInt16BE(nal.length, at);
      nal.copy(out, at + 2);
      at += 2 + nal.length;
    }
  }
  return out;
}
