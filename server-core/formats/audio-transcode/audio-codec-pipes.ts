import {
  AdtsStreamSplitter,
  type AudioSpecificConfig,
  audioSpecificConfigFromAdts,
  parseAudioSpecificConfig,
  writeAdtsHeader,
} from '../../codec/aac/index.js';
import { OggOpusWriter, OggPacketReader } from '../../codec/ogg/index.js';
import type { AudioCodec } from '../../hub/media-packet.js';
import { opusPacketSamples } from '../../ingest/opus-packet-duration.js';

/** Samples per AAC frame (at the core rate; HE-AAC doubles them at the output rate). */
const AAC_FRAME_SAMPLES = 1024;
const OPUS_RATE_PER_MS = 48;

/** What ffmpeg gets on stdin: the codec's configuration as a stream preamble, then frames. */
export interface TranscodeInput {
  /** The bytes that start ffmpeg's input, from the track's sequence header; throws on a bad one. */
  begin(header: Buffer): Buffer;
  /** One frame as ffmpeg's input format, and its duration (ms); undefined for a frame that cannot be carried. */
  frame(payload: Buffer): { bytes: Buffer; durationMs: number } | undefined;
}

/** What comes back on stdout: frames of the target codec (its configuration first). */
export interface TranscodeOutputFrame {
  /** The target's sequence header (OpusHead, AudioSpecificConfig): sent once before the frames. */
  header?: Buffer;
  frame?: Buffer;
  durationMs: number;
}

export interface TranscodeOutput {
  push(chunk: Buffer): TranscodeOutputFrame[];
}

export interface AudioCodecPipe {
  from: AudioCodec;
  to: AudioCodec;
  input(): TranscodeInput;
  output(): TranscodeOutput;
  /** ffmpeg options before `-i pipe:0` (read at once, no probing) and for the output. */
  inputOptions: readonly string[];
  outputOptions(bitrate: number): string[];
}

/** Read a pipe as it arrives: no probing, no buffering (research: ~40-60 ms through ffmpeg). */
const LIVE_INPUT = ['-probesize', '32', '-analyzeduration', '0', '-fflags', 'nobuffer', '-flags', 'low_delay'];

/** AAC (raw frames + AudioSpecificConfig) → ADTS on stdin → libopus → Ogg with one 20 ms packet per page. */
export const AAC_TO_OPUS: AudioCodecPipe = {
  from: 'aac',
  to: 'opus',
  inputOptions: [...LIVE_INPUT, '-f', 'aac'],
  outputOptions: (bitrate) => [
    '-vn',
    '-c:a',
    'libopus',
    '-b:a',
    String(bitrate),
    '-ar',
    '48000',
    '-ac',
    '2',
    '-application',
    'lowdelay',
    '-frame_duration',
    '20',
    // One page per packet: without it the Ogg muxer holds a second of audio per page.
    '-page_duration',
    '20000',
    '-flush_packets',
    '1',
    '-f',
    'ogg',
  ],
  input: () => {
    let config: AudioSpecificConfig | undefined;
    return {
      begin(header) {
        config = parseAudioSpecificConfig(header);
        return Buffer.alloc(0);
      },
      frame(payload) {
        if (!config) return undefined;
        try {
          const bytes = Buffer.concat([writeAdtsHeader(config, payload.length), payload]);
          return { bytes, durationMs: (AAC_FRAME_SAMPLES * 1000) / config.sampleRate };
        } catch {
          return undefined;
        }
      },
    };
  },
  output: () => {
    const reader = new OggPacketReader();
    let packets = 0;
    return {
      push(chunk) {
        const out: TranscodeOutputFrame[] = [];
        for (const { data } of reader.push(chunk)) {
          packets++;
          if (packets === 1) out.push({ header: data, durationMs: 0 });
          if (packets <= 2) continue; // OpusHead, OpusTags
          const samples = opusPacketSamples(data);
          if (samples !== undefined) out.push({ frame: data, durationMs: samples / OPUS_RATE_PER_MS });
        }
        return out;
      },
    };
  },
};

/** Opus packets + OpusHead → Ogg on stdin → ffmpeg's AAC → ADTS on stdout. */
export const OPUS_TO_AAC: AudioCodecPipe = {
  from: 'opus',
  to: 'aac',
  inputOptions: [...LIVE_INPUT, '-f', 'ogg'],
  outputOptions: (bitrate) => ['-vn', '-c:a', 'aac', '-b:a', String(bitrate), '-flush_packets', '1', '-f', 'adts'],
  input: () => {
    const writer = new OggOpusWriter(0x7a11);
    return {
      begin: (header) => writer.headers(header),
      frame(payload) {
        const samples = opusPacketSamples(payload);
        if (samples === undefined) return undefined;
        return { bytes: writer.packet(payload, samples), durationMs: samples / OPUS_RATE_PER_MS };
      },
    };
  },
  output: () => {
    const splitter = new AdtsStreamSplitter();
    let headerSent = false;
    return {
      push(chunk) {
        const out: TranscodeOutputFrame[] = [];
        for (const { header, raw } of splitter.push(chunk)) {
          if (!headerSent) {
            out.push({ header: audioSpecificConfigFromAdts(header), durationMs: 0 });
            headerSent = true;
          }
          out.push({ frame: raw, durationMs: (AAC_FRAME_SAMPLES * 1000) / header.config.sampleRate });
        }
        return out;
      },
    };
  },
};
