import { type AvcDecoderConfig, parseAvcDecoderConfig } from '../h264/avcc.js';
import { H264_NAL_PPS, H264_NAL_SPS } from '../h264/nal-type.js';
import { type H264Sps, parseH264Sps } from '../h264/sps.js';
import { bytes, type ConfigVerdict, checkSafely, rejected, within } from './config-verdict.js';

export interface AvcConfigInfo {
  codec: 'h264';
  checked: true;
  config: AvcDecoderConfig;
  /** The first SPS, parsed. */
  sps: H264Sps;
}

const SUBJECT = 'AVC record';
const FORBIDDEN_ZERO_BIT = 0x80;

/**
 * An AVCDecoderConfigurationRecord as every muxer later uses it (ISO/IEC 14496-15 5.3.3.1): the record parses,
 * carries at least one SPS and one PPS, each parameter set is a non-empty NAL unit of its own type with
 * forbidden_zero_bit 0 (ITU-T H.264 7.4.1), and every SPS parses to a picture size.
 */
export function checkAvcConfig(record: Buffer): ConfigVerdict<AvcConfigInfo> {
  return checkSafely(SUBJECT, () => {
    const config = parseAvcDecoderConfig(record);
    if (config.sps.length === 0) return rejected(SUBJECT, 'no SPS');
    if (config.pps.length === 0) return rejected(SUBJECT, 'no PPS');
    const problem =
      parameterSetProblem('SPS', config.sps, H264_NAL_SPS) ?? parameterSetProblem('PPS', config.pps, H264_NAL_PPS);
    if (problem) return rejected(SUBJECT, problem);
    const parsed = config.sps.map((nal, i) => within(`SPS ${i + 1} does not parse`, () => parseH264Sps(nal)));
    return { ok: true, info: { codec: 'h264', checked: true, config, sps: parsed[0] } };
  });
}

function parameterSetProblem(name: string, sets: readonly Buffer[], type: number): string | undefined {
  for (let i = 0; i < sets.length; i++) {
    const nal = sets[i];
    if (nal.length === 0) return `${name} ${i + 1} is empty (${bytes(0)})`;
    if (nal[0] & FORBIDDEN_ZERO_BIT) return `${name} ${i + 1} has its forbidden_zero_bit set`;
    const actual = nal[0] & 0x1f;
    if (actual !== type) return `${name} ${i + 1} is a type ${actual} NAL unit, not type ${type}`;
  }
  return undefined;
}
