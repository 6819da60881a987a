import { parseAudioSpecificConfig } from '../aac/audio-specific-config.js';
import { aacCodecString } from '../aac/codec-string.js';
import { parseAv1CodecConfig } from '../av1/av1c.js';
import { av1CodecString } from '../av1/codec-string.js';
import { parseAvcDecoderConfig } from '../h264/avcc.js';
import { h264CodecString } from '../h264/codec-string.js';
import { parseH264Sps } from '../h264/sps.js';
import { hevcCodecString } from '../hevc/codec-string.js';
import { parseHevcDecoderConfig } from '../hevc/hvcc.js';
import { parseHevcSps } from '../hevc/sps.js';
import { parseOpusHead } from '../opus/opus-head.js';
import { Fmp4Error } from './fmp4-error.js';
import type { Fmp4Track } from './track.js';

/** Codecs a fragmented MP4 track can carry here (sample entries in sample-entry.ts). */
export type Fmp4Codec = Fmp4Track['codec'];

/** A track described from its codec configuration record, plus its RFC 6381 codecs parameter. */
export interface Fmp4TrackDescription extends Fmp4Track {
  /** RFC 6381 `codecs` value for a DASH MPD or an HLS playlist, e.g. avc1.64001f, mp4a.40.2, av01.0.05M.08. */
  codecs: string;
}

/** Video timescale: the 90 kHz clock every ingest's timestamps convert to exactly. */
export const VIDEO_TIMESCALE = 90_000;
const DEFAULT_SAMPLE_RATE = 48_000;
const DEFAULT_CHANNELS = 2;
const VIDEO_CODECS = new Set<string>(['h264', 'hevc', 'av1']);
const AUDIO_CODECS = new Set<string>(['aac', 'opus']);

export function isFmp4Codec(codec: string): codec is Fmp4Codec {
  return VIDEO_CODECS.has(codec) || AUDIO_CODECS.has(codec);
}

/**
 * Describes a track from its configuration record: avcC / hvcC / av1C (ISO/IEC 14496-15 5.3.3, 8.3.3;
 * AV1-ISOBMFF 2.3), AudioSpecificConfig (14496-3 1.6.2.1) or OpusHead (RFC 7845 5.1). Video runs at 90 kHz,
 * audio at its sample rate (Opus: 48 kHz). A record that cannot be read still gives a usable track (size 0,
 * 48 kHz stereo, the codec's generic codecs value): players read the record itself from the sample entry.
 * Throws Fmp4Error FMP4_UNSUPPORTED for other codecs or a missing record.
 */
export function describeTrack(id: number, codec: string, config: Buffer | undefined): Fmp4TrackDescription {
  if (!isFmp4Codec(codec)) throw new Fmp4Error('FMP4_UNSUPPORTED', `no fMP4 sample entry for ${codec}`);
  if (!config || config.length === 0)
    throw new Fmp4Error('FMP4_UNSUPPORTED', `${codec} track without its configuration record`);
  return VIDEO_CODECS.has(codec) ? describeVideo(id, codec, config) : describeAudio(id, codec, config);
}

function describeVideo(id: number, codec: Fmp4Codec, config: Buffer): Fmp4TrackDescription {
  const track: Fmp4TrackDescription = {
    id,
    kind: 'video',
    codec,
    timescale: VIDEO_TIMESCALE,
    config,
    width: 0,
    height: 0,
    codecs: codec === 'h264' ? 'avc1' : codec === 'hevc' ? 'hvc1' : 'av01',
  };
  const size = (read: () => { width?: number; height?: number }) => {
    try {
      const { width, height } = read();
      track.width = width ?? 0;
      track.height = height ?? 0;
    } catch {
      // The size is informational (tkhd, sample entry); decoders take it from the bitstream.
    }
  };
  try {
    if (codec === 'h264') {
      const avc = parseAvcDecoderConfig(config);
      track.codecs = h264CodecString(avc.profileIdc, avc.profileCompatibility, avc.levelIdc);
      size(() => parseH264Sps(avc.sps[0]));
    } else if (codec === 'hevc') {
      const hvc = parseHevcDecoderConfig(config);
      track.codecs = hevcCodecString(hvc, 'hvc1');
      size(() => parseHevcSps(hvc.sps[0]));
    } else {
      const av1 = parseAv1CodecConfig(config);
      const bitDepth = av1.twelveBit ? 12 : av1.highBitdepth ? 10 : 8;
      track.codecs = av1CodecString({ ...av1, bitDepth });
      size(() => av1);
    }
  } catch {
    // Unreadable record: generic codecs value, size 0 (see above).
  }
  return track;
}

function describeAudio(id: number, codec: Fmp4Codec, config: Buffer): Fmp4TrackDescription {
  let sampleRate = DEFAULT_SAMPLE_RATE;
  let channels = DEFAULT_CHANNELS;
  let codecs = codec === 'aac' ? 'mp4a.40.2' : 'opus';
  try {
    if (codec === 'aac') {
      const asc = parseAudioSpecificConfig(config);
      sampleRate = asc.sampleRate || DEFAULT_SAMPLE_RATE;
      channels = asc.channels || DEFAULT_CHANNELS;
      codecs = aacCodecString(asc.objectType);
    } else {
      // Opus always decodes at 48 kHz, whatever the encoder's input rate was.
      channels = parseOpusHead(config).channels || DEFAULT_CHANNELS;
    }
  } catch {
    // Unreadable record: 48 kHz stereo.
  }
  return { id, kind: 'audio', codec, timescale: sampleRate, config, sampleRate, channels, codecs };
}
