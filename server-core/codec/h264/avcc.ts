import { BitReader } from '../bits/bit-reader.js';
import { BitstreamError } from '../bits/bitstream-error.js';
import { H264_NAL_PPS, H264_NAL_SPS } from './nal-type.js';
import { parseH264Sps } from './sps.js';

export interface AvcDecoderConfig {
  profileIdc: number;
  profileCompatibility: number;
  levelIdc: number;
  /** Bytes per NAL length in samples: lengthSizeMinusOne + 1. */
  lengthSize: number;
  sps: Buffer[];
  pps: Buffer[];
  /** High-profile extension fields, when the record carries them. */
  chromaFormatIdc?: number;
  bitDepthLuma?: number;
  bitDepthChroma?: number;
}

const CONFIGURATION_VERSION = 1;
/** Six fixed bytes, then numOfPictureParameterSets even when there is no SPS. */
const MIN_RECORD_SIZE = 7;
const MAX_SPS_COUNT = 31;
const MAX_PPS_COUNT = 255;
const MAX_PARAMETER_SET_SIZE = 0xffff;
/** Profiles whose record has no chroma_format / bit depth / SPS-ext tail; ffmpeg writes it for all others (even 244). */
const PROFILES_WITHOUT_EXTENSION = new Set([66, 77, 88]);
const hasExtension = (profileIdc: number) => !PROFILES_WITHOUT_EXTENSION.has(profileIdc);

/**
 * AVCDecoderConfigurationRecord (ISO/IEC 14496-15 5.3.3.1.2):
 *
 *   configurationVersion u8 = 1 | AVCProfileIndication u8 | profile_compatibility u8 | AVCLevelIndication u8
 *   '111111' lengthSizeMinusOne u2 | '111' numOfSequenceParameterSets u5 | { length u16 | SPS }*
 *   numOfPictureParameterSets u8 | { length u16 | PPS }*
 *   [profile not 66/77/88: '111111' chroma_format u2 | '11111' bit_depth_luma-8 u3 |
 *    '11111' bit_depth_chroma-8 u3 | numOfSequenceParameterSetExt u8 | { length u16 | SPSExt }*]
 *
 * The trailing extension is optional in practice (many muxers omit it), so it is read only when present.
 * Parameter sets are subarrays of buf.
 */
export function parseAvcDecoderConfig(buf: Buffer): AvcDecoderConfig {
  if (buf.length < MIN_RECORD_SIZE) {
    throw new BitstreamError(
      'BITSTREAM_TRUNCATED',
      `${byteCount(buf.length)}, the shortest record has ${MIN_RECORD_SIZE}`,
    );
  }
  const r = new BitReader(buf);
  const version = r.readBits(8);
  if (version !== CONFIGURATION_VERSION) {
    throw new BitstreamError('BITSTREAM_UNSUPPORTED', `configurationVersion ${version}, expected 1`);
  }
  const profileIdc = r.readBits(8);
  const profileCompatibility = r.readBits(8);
  const levelIdc = r.readBits(8);
  r.skipBits(6);
  const lengthSizeMinusOne = r.readBits(2);
  if (lengthSizeMinusOne === 2) {
    throw new BitstreamError('BITSTREAM_INVALID', 'NAL length size 3 (lengthSizeMinusOne 2) is not allowed');
  }
  r.skipBits(3);
  const sps = readParameterSets(r, r.readBits(5), 'SPS');
  if (r.bitsLeft < 8) throw new BitstreamError('BITSTREAM_TRUNCATED', 'the record ends before its PPS count');
  const pps = readParameterSets(r, r.readBits(8), 'PPS');
  const config: AvcDecoderConfig = {
    profileIdc,
    profileCompatibility,
    levelIdc,
    lengthSize: lengthSizeMinusOne + 1,
    sps,
    pps,
  };
  if (hasExtension(profileIdc) && r.bitsLeft >= 32) {
    r.skipBits(6);
    config.chromaFormatIdc = r.readBits(2);
    r.skipBits(5);
    config.bitDepthLuma = r.readBits(3) + 8;
    r.skipBits(5);
    config.bitDepthChroma = r.readBits(3) + 8;
    readParameterSets(r, r.readBits(8), 'SPS extension');
  }
  return config;
}

function readParameterSets(r: BitReader, count: number, name: string): Buffer[] {
  const sets: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    if (r.bitsLeft < 16) {
      throw new BitstreamError('BITSTREAM_TRUNCATED', `the record ends before ${name} ${i + 1} of ${count}`);
    }
    const length = r.readBits(16);
    const left = r.bitsLeft / 8;
    if (length > left) {
      throw new BitstreamError(
        'BITSTREAM_TRUNCATED',
        `${name} length ${length} runs past the end (${byteCount(left)} left)`,
      );
    }
    sets.push(r.readBytes(length));
  }
  return sets;
}

function byteCount(n: number): string {
  return n === 1 ? '1 byte' : `${n} bytes`;
}

/**
 * Builds the record from raw SPS/PPS NAL units (with their NAL headers, no start codes). Profile, compatibility
 * and level come from the first SPS; high profiles get the chroma/bit-depth extension, as ffmpeg writes it.
 * lengthSize is always 4.
 */
export function buildAvcDecoderConfig(sps: Buffer[], pps: Buffer[]): Buffer {
  if (sps.length === 0 || sps.length > MAX_SPS_COUNT)
    throw new BitstreamError('BITSTREAM_INVALID', `${sps.length} SPS`);
  if (pps.length > MAX_PPS_COUNT) throw new BitstreamError('BITSTREAM_TOO_LARGE', `${pps.length} PPS`);
  for (const nal of sps) checkParameterSet(nal, H264_NAL_SPS);
  for (const nal of pps) checkParameterSet(nal, H264_NAL_PPS);
  const first = parseH264Sps(sps[0]);
  const extended = hasExtension(first.profileIdc);
  let size = 6 + 1 + (extended ? 4 : 0);
  for (const nal of [...sps, ...pps]) size += 2 + nal.length;
  const out = Buffer.alloc(size);
  out[0] = CONFIGURATION_VERSION;
  out[1] = first.profileIdc;
  out[2] = first.constraintFlags;
  out[3] = first.levelIdc;
  out[4] = 0xfc | 3; // lengthSizeMinusOne = 3
  out[5] = 0xe0 | sps.length;
  let at = writeParameterSets(out, 6, sps);
  out[at++] = pps.length;
  at = writeParameterSets(out, at, pps);
  if (extended) {
    out[at++] = 0xfc | first.chromaFormatIdc;
    out[at++] = 0xf8 | (first.bitDepthLuma - 8);
    out[at++] = 0xf8 | (first.bitDepthChroma - 8);
    out[at++] = 0; // numOfSequenceParameterSetExt
  }
  return out;
}

function checkParameterSet(nal: Buffer, type: number): void {
  if (nal.length < 1 || (nal[0] & 0x1f) !== type) {
    throw new BitstreamError('BITSTREAM_INVALID', `expected NAL type ${type}`);
  }
  if (nal.length > MAX_PARAMETER_SET_SIZE)
    throw new BitstreamError('BITSTREAM_TOO_LARGE', `parameter set of ${nal.length} bytes`);
}

function writeParameterSets(out: Buffer, at: number, sets: Buffer[]): number {
  for (const nal of sets) {
    out.writeUInt16BE(nal.length, at);
    nal.copy(out, at + 2);
    at += 2 + nal.length;
  }
  return at;
}
