import { type AacConfigInfo, checkAacConfig } from './validation/aac-config-check.js';
import { type Av1ConfigInfo, checkAv1Config } from './validation/av1-config-check.js';
import { type AvcConfigInfo, checkAvcConfig } from './validation/avc-config-check.js';
import type { ConfigVerdict } from './validation/config-verdict.js';
import { checkHevcConfig, type HevcConfigInfo } from './validation/hevc-config-check.js';
import { checkMp3Frame, type Mp3ConfigInfo } from './validation/mp3-frame-check.js';
import { checkOpusConfig, type OpusConfigInfo } from './validation/opus-config-check.js';

export type { AacConfigInfo } from './validation/aac-config-check.js';
export type { Av1ConfigInfo } from './validation/av1-config-check.js';
export type { AvcConfigInfo } from './validation/avc-config-check.js';
export type { ConfigVerdict } from './validation/config-verdict.js';
export type { HevcConfigInfo } from './validation/hevc-config-check.js';
export type { Mp3ConfigInfo } from './validation/mp3-frame-check.js';
export type { OpusConfigInfo } from './validation/opus-config-check.js';

/** Codecs whose configuration is checked; any other codec passes unchecked. */
export type CheckedCodec = 'h264' | 'hevc' | 'av1' | 'aac' | 'opus' | 'mp3';

/** A codec without a checker (vp9, g711, data): nothing was read. */
export interface UncheckedConfigInfo {
  codec: string;
  checked: false;
}

export type CodecConfigInfo =
  | AvcConfigInfo
  | HevcConfigInfo
  | Av1ConfigInfo
  | AacConfigInfo
  | OpusConfigInfo
  | Mp3ConfigInfo;

export type CodecConfigVerdict = ConfigVerdict<CodecConfigInfo | UncheckedConfigInfo>;

/**
 * Checks a sequence header the way every muxer later reads it, before any muxer sees it:
 * - h264: AVCDecoderConfigurationRecord with an SPS and a PPS; every SPS parses.
 * - hevc: HEVCDecoderConfigurationRecord with a VPS, an SPS and a PPS; every SPS parses.
 * - av1: AV1CodecConfigurationRecord; its sequence header OBU, when present, parses and matches.
 * - aac: AudioSpecificConfig that parses and fits ADTS (object types 1..4, table rates, channel configs 0..7).
 * - opus: OpusHead with a consistent channel mapping.
 * - mp3: no record exists, so a frame header.
 * Never throws: the verdict is what it read, or one short plain-English reason ("AVC record: no PPS").
 */
export function validateCodecConfig(codec: 'h264', record: Buffer): ConfigVerdict<AvcConfigInfo>;
export function validateCodecConfig(codec: 'hevc', record: Buffer): ConfigVerdict<HevcConfigInfo>;
export function validateCodecConfig(codec: 'av1', record: Buffer): ConfigVerdict<Av1ConfigInfo>;
export function validateCodecConfig(codec: 'aac', record: Buffer): ConfigVerdict<AacConfigInfo>;
export function validateCodecConfig(codec: 'opus', record: Buffer): ConfigVerdict<OpusConfigInfo>;
export function validateCodecConfig(codec: 'mp3', record: Buffer): ConfigVerdict<Mp3ConfigInfo>;
export function validateCodecConfig(codec: string, record: Buffer): CodecConfigVerdict;
export function validateCodecConfig(codec: string, record: Buffer): CodecConfigVerdict {
  if (!Buffer.isBuffer(record)) return { ok: false, reason: `${codec} configuration: not a byte buffer` };
  switch (codec) {
    case 'h264':
      return checkAvcConfig(record);
    case 'hevc':
      return checkHevcConfig(record);
    case 'av1':
      return checkAv1Config(record);
    case 'aac':
      return checkAacConfig(record);
    case 'opus':
      return checkOpusConfig(record);
    case 'mp3':
      return checkMp3Frame(record);
    default:
      return { ok: true, info: { codec, checked: false } };
  }
}
