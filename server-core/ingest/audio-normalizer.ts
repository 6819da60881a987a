import { ADTS_HEADER_SIZE, type AdtsHeader, parseAdtsHeader } from '../codec/aac/adts.js';
import { audioSpecificConfigFromAdts } from '../codec/aac/adts-audio-specific-config.js';
import { parseAudioSpecificConfig } from '../codec/aac/audio-specific-config.js';
import { MP3_FRAME_HEADER_SIZE, type Mp3FrameHeader, parseMp3FrameHeader } from '../codec/mp3/frame-header.js';
import { buildOpusHead } from '../codec/opus/opus-head.js';
import { AUDIO_TRACK, type MediaPacket } from '../hub/media-packet.js';
import { DropCounter, type IngestDropReason } from './drop-counter.js';
import { opusPacketSamples } from './opus-packet-duration.js';

export type IngestAudioCodec = 'aac' | 'opus' | 'mp3';

/** Samples per AAC frame per raw data block (frameLengthFlag 0; 960 is not used in broadcast). */
export const AAC_FRAME_SAMPLES = 1024;
/** Frames taken from one payload (a PES holds a handful); the rest are dropped as too large. */
export const MAX_FRAMES_PER_PAYLOAD = 256;
/** Opus always runs at 48 kHz (RFC 7845 5.1). */
const OPUS_RATE = 48_000;
/** ADTS and MPEG audio sync words, for finding the next frame after garbage. */
const ADTS_SYNC_MASK = 0xf6; // 0xFFF syncword, layer 00
const ADTS_SYNC_SECOND = 0xf0;
const MP3_SYNC_MASK = 0xe0;

export interface AudioNormalizerOptions {
  codec: IngestAudioCodec;
  /** Where drops are counted; pass one to keep totals across normalizers. */
  drops?: DropCounter;
  /** The stream's track id for this elementary stream (default: the FLV ingest's numbering). */
  track?: number;
  /** Opus: the OpusHead to announce; otherwise one is built from opusChannels (default 2). */
  opusHead?: Buffer;
  opusChannels?: number;
}

export interface AudioNormalizerStats {
  /** Payloads pushed (PES payloads, RTP frames). */
  payloads: number;
  frames: number;
  sequenceHeaders: number;
  /** Bytes skipped to find the next frame after garbage. */
  skippedBytes: number;
}

/**
 * Turns audio payloads into the hub's packets, one per frame:
 * - AAC: ADTS frames (one or several per payload) become raw AAC frames; the AudioSpecificConfig their headers
 *   imply is emitted as a sequence header first and again when it changes. Frame i of a payload gets
 *   pts + i * 1024 samples. Raw frames with a known ASC (RTP, later) go through pushAacFrames.
 * - Opus: packets pass through; an OpusHead sequence header comes first; timing from each packet's TOC.
 * - MP3: the frames of a payload pass through one by one; no sequence header.
 * Garbage between frames is skipped to the next sync word; a frame cut short is dropped. Never throws.
 */
export class AudioNormalizer {
  private readonly track: number;
  readonly codec: IngestAudioCodec;
  readonly drops: DropCounter;
  private readonly counters: AudioNormalizerStats = { payloads: 0, frames: 0, sequenceHeaders: 0, skippedBytes: 0 };
  private emittedConfig: Buffer | undefined;
  /** AAC: profile/index/channels of the last ADTS config emitted, to avoid re-building it per frame. */
  private adtsKey = -1;
  /** pushAacFrames: the last ASC seen and its core sample rate. */
  private rawConfig: { asc: Buffer; sampleRate: number } | undefined;
  private readonly opusHead: Buffer | undefined;

  constructor(options: AudioNormalizerOptions) {
    this.codec = options.codec;
    this.track = options.track ?? AUDIO_TRACK;
    this.drops = options.drops ?? new DropCounter();
    let head = options.opusHead;
    if (options.codec === 'opus' && head === undefined) {
      try {
        head = buildOpusHead({ channels: options.opusChannels ?? 2, preSkip: 0, inputSampleRate: OPUS_RATE });
      } catch {
        head = undefined; // a layout we cannot describe: every packet is dropped as unsupported
      }
    }
    this.opusHead = head;
  }

  get stats(): Readonly<AudioNormalizerStats> {
    return { ...this.counters };
  }

  /** The last sequence header emitted (AudioSpecificConfig or OpusHead). */
  get decoderConfig(): Buffer | undefined {
    return this.emittedConfig;
  }

  /** A payload of the stream's codec: ADTS for AAC, MPEG audio frames for MP3, one packet for Opus. */
  push(data: Buffer, pts: number): MediaPacket[] {
    if (this.codec === 'aac') return this.pushAdts(data, pts);
    if (this.codec === 'mp3') return this.pushMp3(data, pts);
    return this.pushOpus([data], pts);
  }

  /** One or more ADTS frames; pts (ms) is the first frame's. */
  pushAdts(data: Buffer, pts: number): MediaPacket[] {
    this.counters.payloads++;
    if (!isMs(pts)) return this.drop('bad-timestamp');
    const out: MediaPacket[] = [];
    let at = 0;
    /** Time of the next frame after pts: rates may differ frame to frame in bad input. */
    let offsetMs = 0;
    let frames = 0;
    while (data.length - at >= ADTS_HEADER_SIZE) {
      let header: AdtsHeader;
      try {
        header = parseAdtsHeader(data.subarray(at));
      } catch {
        at = this.resync(data, at, isAdtsSync);
        continue;
      }
      if (header.frameLength > data.length - at) {
        // Cut short, or a false sync word in garbage: look for a real frame after it.
        at = this.resync(data, at, isAdtsSync);
        continue;
      }
      const blocks = (data[at + 6] & 0x03) + 1; // number_of_raw_data_blocks_in_frame + 1
      const raw = data.subarray(at + header.headerLength, at + header.frameLength);
      at += header.frameLength;
      if (raw.length === 0) {
        this.drops.count('malformed');
        continue;
      }
      if (++frames > MAX_FRAMES_PER_PAYLOAD) {
        this.drops.count('too-large');
        return out;
      }
      const framePts = pts + Math.round(offsetMs);
      offsetMs += (blocks * AAC_FRAME_SAMPLES * 1000) / header.config.sampleRate;
      if (!this.adtsConfig(header, framePts, out)) continue;
      out.push(this.frame(raw, framePts));
    }
    if (at < data.length) this.drops.count('malformed'); // too short for a header
    return out;
  }

  /** Raw AAC frames with their AudioSpecificConfig (RTP MPEG4-GENERIC / LATM depacketizers); pts of the first. */
  pushAacFrames(frames: readonly Buffer[], asc: Buffer, pts: number): MediaPacket[] {
    this.counters.payloads++;
    if (!isMs(pts)) return this.drop('bad-timestamp');
    if (frames.length > MAX_FRAMES_PER_PAYLOAD) return this.drop('too-large');
    if (!this.rawConfig?.asc.equals(asc)) {
      try {
        this.rawConfig = { asc: Buffer.from(asc), sampleRate: parseAudioSpecificConfig(asc).sampleRate };
      } catch {
        this.rawConfig = undefined;
        return this.drop('malformed');
      }
    }
    const { asc: config, sampleRate } = this.rawConfig;
    this.adtsKey = -1; // an ADTS payload after this announces its own configuration again
    const out: MediaPacket[] = [];
    this.announce(config, pts, out);
    frames.forEach((raw, i) => {
      if (raw.length === 0) this.drops.count('malformed');
      else out.push(this.frame(raw, pts + Math.round((i * AAC_FRAME_SAMPLES * 1000) / sampleRate)));
    });
    return out;
  }

  /** Opus packets (no container framing); pts (ms) is the first packet's. */
  pushOpus(packets: readonly Buffer[], pts: number): MediaPacket[] {
    this.counters.payloads++;
    if (!isMs(pts)) return this.drop('bad-timestamp');
    if (this.opusHead === undefined) return this.drop('unsupported');
    if (packets.length > MAX_FRAMES_PER_PAYLOAD) return this.drop('too-large');
    const out: MediaPacket[] = [];
    let samples = 0;
    for (const packet of packets) {
      const duration = opusPacketSamples(packet);
      if (duration === undefined) {
        this.drops.count('malformed');
        continue;
      }
      const packetPts = pts + Math.round((samples * 1000) / OPUS_RATE);
      samples += duration;
      this.announce(this.opusHead, packetPts, out);
      out.push(this.frame(packet, packetPts));
    }
    return out;
  }

  /** MPEG audio frames (layer I-III), each passed on whole with its header; pts (ms) is the first frame's. */
  pushMp3(data: Buffer, pts: number): MediaPacket[] {
    this.counters.payloads++;
    if (!isMs(pts)) return this.drop('bad-timestamp');
    const out: MediaPacket[] = [];
    let at = 0;
    let seconds = 0;
    let frames = 0;
    while (data.length - at >= MP3_FRAME_HEADER_SIZE) {
      let header: Mp3FrameHeader;
      try {
        header = parseMp3FrameHeader(data.subarray(at));
      } catch {
        at = this.resync(data, at, isMp3Sync);
        continue;
      }
      if (header.frameLength > data.length - at) {
        at = this.resync(data, at, isMp3Sync);
        continue;
      }
      if (++frames > MAX_FRAMES_PER_PAYLOAD) {
        this.drops.count('too-large');
        return out;
      }
      out.push(this.frame(data.subarray(at, at + header.frameLength), pts + Math.round(seconds * 1000)));
      seconds += header.samplesPerFrame / header.sampleRate;
      at += header.frameLength;
    }
    if (at < data.length) this.drops.count('malformed');
    return out;
  }

  /** Emits the ASC of an ADTS header when it differs from the last; false when it cannot be expressed. */
  private adtsConfig(header: AdtsHeader, pts: number, out: MediaPacket[]): boolean {
    const { objectType, samplingFrequencyIndex, channelConfiguration } = header.config;
    const key = (objectType << 8) | (samplingFrequencyIndex << 4) | channelConfiguration;
    if (key === this.adtsKey) return true;
    let asc: Buffer;
    try {
      asc = audioSpecificConfigFromAdts(header);
    } catch {
      this.drops.count('malformed');
      return false;
    }
    this.adtsKey = key;
    this.announce(asc, pts, out);
    return true;
  }

  private announce(config: Buffer, pts: number, out: MediaPacket[]): void {
    if (this.emittedConfig?.equals(config)) return;
    this.emittedConfig = config;
    this.counters.sequenceHeaders++;
    out.push({
      track: this.track,
      kind: 'audio',
      codec: this.codec,
      dts: pts,
      pts,
      keyframe: false,
      sequenceHeader: true,
      payload: config,
    });
  }

  private frame(payload: Buffer, pts: number): MediaPacket {
    this.counters.frames++;
    return {
      track: this.track,
      kind: 'audio',
      codec: this.codec,
      dts: pts,
      pts,
      keyframe: false,
      sequenceHeader: false,
      payload,
    };
  }

  /** Counts one malformed frame and returns where the next sync word candidate starts (or the end). */
  private resync(data: Buffer, from: number, isSync: (data: Buffer, at: number) => boolean): number {
    this.drops.count('malformed');
    let at = from + 1;
    while (at < data.length && !isSync(data, at)) at++;
    this.counters.skippedBytes += at - from;
    return at;
  }

  private drop(reason: IngestDropReason): MediaPacket[] {
    this.drops.count(reason);
    return [];
  }
}

function isAdtsSync(data: Buffer, at: number): boolean {
  return data[at] === 0xff && at + 1 < data.length && (data[at + 1] & ADTS_SYNC_MASK) === ADTS_SYNC_SECOND;
}

function isMp3Sync(data: Buffer, at: number): boolean {
  return data[at] === 0xff && at + 1 < data.length && (data[at + 1] & MP3_SYNC_MASK) === MP3_SYNC_MASK;
}

/** Integer ms; negative is fine here (a track starting before the clock's origin), the clock settles it. */
function isMs(value: number): boolean {
  return Number.isSafeInteger(value);
}
