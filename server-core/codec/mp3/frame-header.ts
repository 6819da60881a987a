import { BitstreamError } from '../bits/bitstream-error.js';

export type MpegAudioVersion = 1 | 2 | 2.5;

export interface Mp3FrameHeader {
  version: MpegAudioVersion;
  layer: 1 | 2 | 3;
  bitrateKbps: number;
  sampleRate: number;
  channels: 1 | 2;
  /** The whole frame in bytes, header included. */
  frameLength: number;
  samplesPerFrame: number;
  /** A 16-bit CRC follows the header. */
  hasCrc: boolean;
  padding: boolean;
}

export const MP3_FRAME_HEADER_SIZE = 4;

/** Bit rates in kbit/s by bitrate_index 1..14 (ISO/IEC 11172-3 2.4.2.3, ISO/IEC 13818-3 2.4.2.3). */
const BITRATES_V1: Record<1 | 2 | 3, readonly number[]> = {
  1: [32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  2: [32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  3: [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
};
const BITRATES_V2: Record<1 | 2 | 3, readonly number[]> = {
  1: [32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  2: [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  3: [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const SAMPLE_RATES: Record<MpegAudioVersion, readonly number[]> = {
  1: [44100, 48000, 32000],
  2: [22050, 24000, 16000],
  2.5: [11025, 12000, 8000],
};
const VERSIONS: Array<MpegAudioVersion | undefined> = [2.5, undefined, 2, 1];
const LAYERS: Array<1 | 2 | 3 | undefined> = [undefined, 3, 2, 1];
const MONO = 3;

/**
 * MPEG audio frame header (ISO/IEC 11172-3 2.4.1.3; MPEG-2 LSF 13818-3; the MPEG-2.5 extension), 32 bits:
 *
 *   syncword u11 = 0x7FF | version u2 (00 2.5, 10 2, 11 1) | layer u2 (01 III, 10 II, 11 I) | protection_bit u1
 *   bitrate_index u4 | sampling_frequency u2 | padding u1 | private u1 | mode u2 (11 mono) | mode_extension u2
 *   copyright u1 | original u1 | emphasis u2
 *
 * Free-format frames (bitrate_index 0) have no computable length and are unsupported.
 */
export function parseMp3FrameHeader(buf: Buffer): Mp3FrameHeader {
  if (buf.length < MP3_FRAME_HEADER_SIZE)
    throw new BitstreamError('BITSTREAM_TRUNCATED', `MPEG audio header of ${buf.length} bytes`);
  const h = buf.readUInt32BE(0);
  if (h >>> 21 !== 0x7ff) throw new BitstreamError('BITSTREAM_INVALID', 'no MPEG audio syncword');
  const version = VERSIONS[(h >>> 19) & 3];
  const layer = LAYERS[(h >>> 17) & 3];
  if (version === undefined) throw new BitstreamError('BITSTREAM_INVALID', 'reserved MPEG audio version');
  if (layer === undefined) throw new BitstreamError('BITSTREAM_INVALID', 'reserved MPEG audio layer');
  const hasCrc = ((h >>> 16) & 1) === 0;
  const bitrateIndex = (h >>> 12) & 0x0f;
  const rateIndex = (h >>> 10) & 3;
  const padding = ((h >>> 9) & 1) === 1;
  const mode = (h >>> 6) & 3;
  if (bitrateIndex === 0) throw new BitstreamError('BITSTREAM_UNSUPPORTED', 'free-format MPEG audio');
  if (bitrateIndex === 15) throw new BitstreamError('BITSTREAM_INVALID', 'bad MPEG audio bitrate_index');
  const sampleRate = SAMPLE_RATES[version][rateIndex];
  if (sampleRate === undefined) throw new BitstreamError('BITSTREAM_INVALID', 'reserved MPEG audio sampling_frequency');
  const bitrateKbps = (version === 1 ? BITRATES_V1 : BITRATES_V2)[layer][bitrateIndex - 1];
  // Layer III carries half as many samples per frame in the low-sampling-frequency versions.
  const samplesPerFrame = layer === 1 ? 384 : layer === 3 && version !== 1 ? 576 : 1152;
  const frameLength =
    layer === 1
      ? (Math.floor((12 * bitrateKbps * 1000) / sampleRate) + (padding ? 1 : 0)) * 4
      : Math.floor((samplesPerFrame / 8) * ((bitrateKbps * 1000) / sampleRate)) + (padding ? 1 : 0);
  return {
    version,
    layer,
    bitrateKbps,
    sampleRate,
    channels: mode === MONO ? 1 : 2,
    frameLength,
    samplesPerFrame,
    hasCrc,
    padding,
  };
}
