import { buildAudioSpecificConfig } from '../aac/audio-specific-config.js';
import { buildAvcDecoderConfig } from '../h264/avcc.js';
import { buildHevcDecoderConfig } from '../hevc/hvcc.js';
import { buildOpusHead } from '../opus/opus-head.js';

/** Configuration records for the fMP4 tests (from ffmpeg/x264/x265/libaom output). */
const hex = (s: string) => Buffer.from(s, 'hex');

/** avcC of an x264 1280x720 High@3.1 stream. */
export const AVCC_720 = buildAvcDecoderConfig(
  [hex('6764001facd9405005bb0110000003001000000303c0f1831960')],
  [hex('68ebe3cb22c0')],
);
/** hvcC of an x265 1280x720 Main stream. */
export const HVCC_720 = buildHevcDecoderConfig(
  [hex('40010c01ffff01600000030090000003000003005d959809')],
  [hex('42010101600000030090000003000003005da00280802d165959a4932bc05a020000030002000003003c10')],
  [hex('4401c172b46240')],
);
/** av1C ffmpeg wrote for libaom 1280x720 8-bit 4:2:0, seq_level_idx 5. */
export const AV1C_720 = hex('81050c000a0b0000002d4cffb3ccaf9004');
export const ASC_48K_STEREO = buildAudioSpecificConfig({ objectType: 2, sampleRate: 48000, channels: 2 });
export const ASC_44K_MONO = buildAudioSpecificConfig({ objectType: 2, sampleRate: 44100, channels: 1 });
export const OPUS_HEAD_STEREO = buildOpusHead({ channels: 2, preSkip: 312, inputSampleRate: 44100 });
