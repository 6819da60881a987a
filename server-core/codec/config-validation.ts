import { parseAudioSpecificConfig } from './aac/audio-specific-config.js';
import { parseAv1CodecConfig } from './av1/av1c.js';
import { parseAvcDecoderConfig } from './h264/avcc.js';
import { parseH264Sps } from './h264/sps.js';
import { parseHevcDecoderConfig } from './hevc/hvcc.js';
import { parseHevcSps } from './hevc/sps.js';
import { parseOpusHead } from './opus/opus-head.js';

export type ConfigVerdict = { ok: true } | { ok: false; reason: string };

/** Placeholder until the full validator lands: every record must parse with the parsers muxers use. */
export function validateCodecConfig(codec: string, record: Buffer): ConfigVerdict {
  try {
    if (codec === 'h264') {
      const config = parseAvcDecoderConfig(record);
      if (config.sps.length === 0 || config.pps.length === 0) return { ok: false, reason: 'AVC record: no SPS or PPS' };
      parseH264Sps(config.sps[0]);
    } else if (codec === 'hevc') {
      const config = parseHevcDecoderConfig(record);
      parseHevcSps(config.sps[0]);
    } else if (codec === 'aac') parseAudioSpecificConfig(record);
    else if (codec === 'opus') parseOpusHead(record);
    else if (codec === 'av1') parseAv1CodecConfig(record);
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: `${codec} configuration: ${(error as Error).message}` };
  }
}
