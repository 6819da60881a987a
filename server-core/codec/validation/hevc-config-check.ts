import { type HevcDecoderConfig, parseHevcDecoderConfig } from '../hevc/hvcc.js';
import { HEVC_NAL_PPS, HEVC_NAL_SPS, HEVC_NAL_VPS } from '../hevc/nal-type.js';
import { type HevcSps, parseHevcSps } from '../hevc/sps.js';
import { bytes, type ConfigVerdict, checkSafely, rejected, within } from './config-verdict.js';

export interface HevcConfigInfo {
  codec: 'hevc';
  checked: true;
  config: HevcDecoderConfig;
  /** The first SPS, parsed. */
  sps: HevcSps;
}

const SUBJECT = 'HEVC record';
const NAL_HEADER_SIZE = 2;
const FORBIDDEN_ZERO_BIT = 0x80;

/**
 * An HEVCDecoderConfigurationRecord as every muxer later uses it (ISO/IEC 14496-15 8.3.3.1): the record parses,
 * carries at least one VPS, SPS and PPS, each a NAL unit with a whole two-byte header (ITU-T H.265 7.3.1.2) of its
 * array's type and forbidden_zero_bit 0, and every SPS parses to a picture size.
 */
export function checkHevcConfig(record: Buffer): ConfigVerdict<HevcConfigInfo> {
  return checkSafely(SUBJECT, () => {
    const config = parseHevcDecoderConfig(record);
    for (const [name, sets] of [
      ['VPS', config.vps],
      ['SPS', config.sps],
      ['PPS', config.pps],
    ] as const) {
      if (sets.length === 0) return rejected(SUBJECT, `no ${name}`);
    }
    const problem =
      parameterSetProblem('VPS', config.vps, HEVC_NAL_VPS) ??
      parameterSetProblem('SPS', config.sps, HEVC_NAL_SPS) ??
      parameterSetProblem('PPS', config.pps, HEVC_NAL_PPS);
    if (problem) return rejected(SUBJECT, problem);
    const parsed = config.sps.map((nal, i) => within(`SPS ${i + 1} does not parse`, () => parseHevcSps(nal)));
    return { ok: true, info: { codec: 'hevc', checked: true, config, sps: parsed[0] } };
  });
}

function parameterSetProblem(name: string, sets: readonly Buffer[], type: number): string | undefined {
  for (let i = 0; i < sets.length; i++) {
    const nal = sets[i];
    if (nal.length < NAL_HEADER_SIZE) return `${name} ${i + 1} is ${bytes(nal.length)}, shorter than a NAL header`;
    if (nal[0] & FORBIDDEN_ZERO_BIT) return `${name} ${i + 1} has its forbidden_zero_bit set`;
    const actual = (nal[0] >> 1) & 0x3f;
    if (actual !== type) return `${name} ${i + 1} is a type ${actual} NAL unit, not type ${type}`;
  }
  return undefined;
}
