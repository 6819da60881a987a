import { writeAdtsHeader } from '../aac/adts.js';
import type { AudioSpecificConfig } from '../aac/audio-specific-config.js';
import { BitstreamError } from '../bits/bitstream-error.js';
import { validateCodecConfig } from '../config-validation.js';
import { joinAnnexB } from '../nal/annexb.js';
import { splitLengthPrefixed } from '../nal/length-prefixed.js';
import {
  DEFAULT_AUDIO_PID,
  DEFAULT_PMT_PID,
  DEFAULT_PROGRAM_NUMBER,
  DEFAULT_TRANSPORT_STREAM_ID,
  DEFAULT_VIDEO_PID,
  PID_PAT,
  STREAM_TYPE,
  TS_CLOCK_HZ,
  TS_PACKET_SIZE,
} from './constants.js';
import { type OpusTrim, writeOpusControlHeader } from './opus-access-unit.js';
import { opusChannelConfigCode, writeOpusDescriptors } from './opus-descriptor.js';
import { pesPacketCount, sectionPacketCount, writePesPackets, writeSectionPackets } from './packetizer.js';
import { writePat } from './pat.js';
import { PES_STREAM_ID, writePesHeader } from './pes.js';
import { type PmtStream, writePmt } from './pmt.js';
import { TsError } from './ts-error.js';
import { type TsVideoCodec, tsVideoNalUnits } from './video-access-unit.js';

export type { TsVideoCodec } from './video-access-unit.js';
export type TsAudioCodec = 'aac' | 'mp3' | 'opus';

export interface TsVideoTrack {
  codec: TsVideoCodec;
  /** AVCDecoderConfigurationRecord (avcC) or HEVCDecoderConfigurationRecord (hvcC). */
  config: Buffer;
}

export interface TsAudioTrack {
  codec: TsAudioCodec;
  /** AudioSpecificConfig for AAC (required), OpusHead for Opus (optional: stereo assumed), none for MP3. */
  config?: Buffer;
}

export interface TsMuxerOptions {
  video?: TsVideoTrack;
  audio?: TsAudioTrack;
  /** PCR = DTS (PTS for audio-only) minus this many 90 kHz ticks: decoder buffering headroom. Default 0. */
  pcrDelay?: number;
  /** Audio-only streams repeat PAT/PMT at least this often, in 90 kHz ticks. Default half a second. */
  audioOnlyTableInterval?: number;
}

export interface TsVideoAccessUnit {
  /** 90 kHz ticks; wrapped to 33 bits on the wire. */
  dts: number;
  pts: number;
  keyframe: boolean;
  /** Length-prefixed NAL units, with the configuration record's length size. */
  data: Buffer;
}

export interface TsAudioFrame {
  /** 90 kHz ticks, of the first frame when several are given. */
  pts: number;
  /** Raw AAC frame (no ADTS) | MP3 frame | Opus packet; several make one PES (the caller's aggregation). */
  data: Buffer | readonly Buffer[];
  /** Opus only: samples at 48 kHz to trim, carried in the control header of the first (start) / last (end) unit. */
  opusTrim?: OpusTrim;
}

/** What the muxer skipped instead of writing (per muxer, since it was made). */
export interface TsMuxerStats {
  /** Video access units that held no NAL unit (empty, or only zero-length entries): nothing is written. */
  skippedAccessUnits: number;
}

const DEFAULT_AUDIO_ONLY_TABLE_INTERVAL = TS_CLOCK_HZ / 2;
const EMPTY: Buffer = Buffer.alloc(0);
const PMT_VERSION_MODULO = 32;

interface VideoState {
  codec: TsVideoCodec;
  lengthSize: number;
  /** VPS (HEVC), SPS, PPS from the configuration record, inserted before keyframes that lack them. */
  parameterSets: Buffer[];
}

interface AudioState {
  codec: TsAudioCodec;
  asc?: AudioSpecificConfig;
  opusChannelConfig: number;
}

/**
 * MPEG-TS muxer for one output stream (ISO/IEC 13818-1), one program with at most one video and one audio
 * elementary stream:
 * - PAT + PMT before the first packet, before every keyframe (each HLS segment stands alone) and, audio-only,
 *   at least every `audioOnlyTableInterval`; the PMT version steps when the streams change.
 * - Video as Annex B access units with an AUD first and the parameter sets before keyframes lacking them;
 *   PCR on the video PID with every PES, random_access_indicator on keyframes.
 * - AAC as ADTS (channel configuration 0 with its PCE ahead of each frame's audio), MP3 as is, Opus behind
 *   its control header (stream_id private_stream_1); without video the audio PID carries the PCR.
 * Continuity counters persist per PID across calls, so one instance serves one output stream. Every output
 * is whole 188-byte packets.
 *
 * Configurations pass validateCodecConfig first (a record without SPS or PPS, an AAC config ADTS cannot carry, a
 * bad OpusHead is refused), and a refused one leaves the previous configuration in place. Whatever it is fed,
 * the muxer throws only TsError.
 */
export class TsMuxer {
  private readonly continuity = new Map<number, number>();
  private readonly pcrDelay: number;
  private readonly audioOnlyTableInterval: number;
  private video?: VideoState;
  private audio?: AudioState;
  private pmtVersion = 0;
  private streamsSignature = '';
  private pat: Buffer;
  private pmt!: Buffer;
  private tablesDue = true;
  private lastTablesPts = 0;
  private readonly counters: TsMuxerStats = { skippedAccessUnits: 0 };

  constructor(options: TsMuxerOptions) {
    this.pcrDelay = options.pcrDelay ?? 0;
    if (!(this.pcrDelay >= 0))
      throw new TsError('TS_BAD_INPUT', `pcrDelay ${this.pcrDelay}: the PCR may not pass the DTS`);
    this.audioOnlyTableInterval = options.audioOnlyTableInterval ?? DEFAULT_AUDIO_ONLY_TABLE_INTERVAL;
    this.pat = writePat({
      transportStreamId: DEFAULT_TRANSPORT_STREAM_ID,
      version: 0,
      programs: [{ programNumber: DEFAULT_PROGRAM_NUMBER, pid: DEFAULT_PMT_PID }],
    });
    if (options.video) this.video = guarded('video track', () => videoState(options.video!));
    if (options.audio) this.audio = guarded('audio track', () => audioState(options.audio!));
    this.rebuildPmt();
  }

  get stats(): Readonly<TsMuxerStats> {
    return { ...this.counters };
  }

  /** A new video configuration record (a Buffer keeps the codec), or a new video track. */
  setVideoConfig(video: TsVideoTrack | Buffer): void {
    const track = Buffer.isBuffer(video) ? { codec: this.requireVideo().codec, config: video } : video;
    this.video = guarded('video track', () => videoState(track));
    this.rebuildPmt();
  }

  /** A new audio configuration (a Buffer keeps the codec), or a new audio track. */
  setAudioConfig(audio: TsAudioTrack | Buffer): void {
    const track = Buffer.isBuffer(audio) ? { codec: this.requireAudio().codec, config: audio } : audio;
    this.audio = guarded('audio track', () => audioState(track));
    this.rebuildPmt();
  }

  /** PAT + PMT packets now (also written automatically where needed). */
  tables(): Buffer {
    const out = Buffer.allocUnsafe(this.tablesSize());
    this.writeTables(out, 0);
    return out;
  }

  /** One access unit as PES packets; an access unit without NAL units is skipped (empty output) and counted. */
  writeVideo(au: TsVideoAccessUnit): Buffer {
    return guarded('video access unit', () => this.videoPackets(au));
  }

  /** One PES of audio frames. */
  writeAudio(frame: TsAudioFrame): Buffer {
    return guarded('audio frame', () => this.audioPackets(frame));
  }

  private videoPackets(au: TsVideoAccessUnit): Buffer {
    const video = this.requireVideo();
    if (!Buffer.isBuffer(au.data)) throw new TsError('TS_BAD_INPUT', 'video access unit data is not a buffer');
    const nals = splitLengthPrefixed(au.data, video.lengthSize);
    if (nals.length === 0) {
      this.counters.skippedAccessUnits++;
      return EMPTY;
    }
    const elementary = joinAnnexB(tsVideoNalUnits(video.codec, nals, au.keyframe, video.parameterSets));
    const header = writePesHeader({
      streamId: PES_STREAM_ID.VIDEO,
      payloadLength: elementary.length,
      pts: au.pts,
      dts: au.dts,
    });
    const withTables = au.keyframe || this.tablesDue;
    const adaptation = { pcr: au.dts - this.pcrDelay, randomAccess: au.keyframe };
    return this.emit(DEFAULT_VIDEO_PID, [header, elementary], adaptation, withTables, au.pts);
  }

  private audioPackets(frame: TsAudioFrame): Buffer {
    const audio = this.requireAudio();
    const frames: readonly Buffer[] = Buffer.isBuffer(frame.data) ? [frame.data] : frame.data;
    const parts: Buffer[] = [];
    frames.forEach((data, i) => {
      if (!Buffer.isBuffer(data)) throw new TsError('TS_BAD_INPUT', `audio frame ${i + 1} is not a buffer`);
      if (audio.codec === 'aac') {
        // Channel configuration 0: the layout travels as a PCE ahead of every frame, so each segment decodes alone.
        const pce = audio.asc!.channelConfiguration === 0 ? audio.asc!.programConfigElement : undefined;
        parts.push(writeAdtsHeader(audio.asc!, (pce?.length ?? 0) + data.length));
        if (pce) parts.push(pce);
      } else if (audio.codec === 'opus') {
        const trim = {
          startTrim: i === 0 ? frame.opusTrim?.startTrim : undefined,
          endTrim: i === frames.length - 1 ? frame.opusTrim?.endTrim : undefined,
        };
        parts.push(writeOpusControlHeader(data.length, trim));
      }
      parts.push(data);
    });
    let payloadLength = 0;
    for (const part of parts) payloadLength += part.length;
    const streamId = audio.codec === 'opus' ? PES_STREAM_ID.PRIVATE_1 : PES_STREAM_ID.AUDIO;
    const header = writePesHeader({ streamId, payloadLength, pts: frame.pts });
    const audioOnly = !this.video;
    const sinceTables = frame.pts - this.lastTablesPts;
    const withTables =
      this.tablesDue || (audioOnly && !(sinceTables >= 0 && sinceTables < this.audioOnlyTableInterval));
    const adaptation = audioOnly ? { pcr: frame.pts - this.pcrDelay, randomAccess: true } : {};
    return this.emit(DEFAULT_AUDIO_PID, [header, ...parts], adaptation, withTables, frame.pts);
  }

  /** One PES as packets, with PAT + PMT ahead of it when asked, in one buffer. */
  private emit(
    pid: number,
    pes: Buffer[],
    adaptation: { pcr?: number; randomAccess?: boolean },
    withTables: boolean,
    pts: number,
  ): Buffer {
    let length = 0;
    for (const part of pes) length += part.length;
    const count = pesPacketCount(length, adaptation);
    const tablesSize = withTables ? this.tablesSize() : 0;
    const out = Buffer.allocUnsafe(tablesSize + count * TS_PACKET_SIZE);
    if (withTables) {
      this.writeTables(out, 0);
      this.lastTablesPts = pts;
    }
    writePesPackets(out, tablesSize, pes, { pid, continuityCounter: this.takeCounters(pid, count), ...adaptation });
    return out;
  }

  private tablesSize(): number {
    return (sectionPacketCount(this.pat.length) + sectionPacketCount(this.pmt.length)) * TS_PACKET_SIZE;
  }

  private writeTables(out: Buffer, at: number): void {
    const patCount = sectionPacketCount(this.pat.length);
    const pmtCount = sectionPacketCount(this.pmt.length);
    let pos = writeSectionPackets(out, at, this.pat, {
      pid: PID_PAT,
      continuityCounter: this.takeCounters(PID_PAT, patCount),
    });
    pos = writeSectionPackets(out, pos, this.pmt, {
      pid: DEFAULT_PMT_PID,
      continuityCounter: this.takeCounters(DEFAULT_PMT_PID, pmtCount),
    });
    this.tablesDue = false;
  }

  /** The first of `count` consecutive continuity counters of a PID. */
  private takeCounters(pid: number, count: number): number {
    const first = this.continuity.get(pid) ?? 0;
    this.continuity.set(pid, (first + count) & 0x0f);
    return first;
  }

  private rebuildPmt(): void {
    const streams: PmtStream[] = [];
    if (this.video) {
      const streamType = this.video.codec === 'h264' ? STREAM_TYPE.H264 : STREAM_TYPE.HEVC;
      streams.push({ streamType, pid: DEFAULT_VIDEO_PID, descriptors: [] });
    }
    if (this.audio) streams.push(audioPmtStream(this.audio));
    const pcrPid = this.video ? DEFAULT_VIDEO_PID : DEFAULT_AUDIO_PID;
    const signature = JSON.stringify([
      pcrPid,
      streams.map((s) => [s.streamType, s.descriptors.map((d) => d.tag + d.data.toString('hex'))]),
    ]);
    if (this.pmt && signature !== this.streamsSignature) this.pmtVersion = (this.pmtVersion + 1) % PMT_VERSION_MODULO;
    this.streamsSignature = signature;
    this.pmt = writePmt({
      programNumber: DEFAULT_PROGRAM_NUMBER,
      version: this.pmtVersion,
      pcrPid,
      programDescriptors: [],
      streams,
    });
    this.tablesDue = true;
  }

  private requireVideo(): VideoState {
    if (!this.video) throw new TsError('TS_BAD_INPUT', 'video written before its configuration');
    return this.video;
  }

  private requireAudio(): AudioState {
    if (!this.audio) throw new TsError('TS_BAD_INPUT', 'audio written before its configuration');
    return this.audio;
  }
}

function videoState(track: TsVideoTrack): VideoState {
  if (!Buffer.isBuffer(track.config)) throw new TsError('TS_BAD_INPUT', `${track.codec} configuration is missing`);
  if (track.codec === 'h264') {
    const verdict = validateCodecConfig('h264', track.config);
    if (!verdict.ok) throw new TsError('TS_BAD_INPUT', verdict.reason);
    const avc = verdict.info.config;
    return { codec: 'h264', lengthSize: avc.lengthSize, parameterSets: [...avc.sps, ...avc.pps] };
  }
  if (track.codec === 'hevc') {
    const verdict = validateCodecConfig('hevc', track.config);
    if (!verdict.ok) throw new TsError('TS_BAD_INPUT', verdict.reason);
    const hevc = verdict.info.config;
    return { codec: 'hevc', lengthSize: hevc.lengthSize, parameterSets: [...hevc.vps, ...hevc.sps, ...hevc.pps] };
  }
  throw new TsError('TS_BAD_INPUT', `video codec ${String(track.codec)} cannot be carried`);
}

function audioState(track: TsAudioTrack): AudioState {
  switch (track.codec) {
    case 'aac': {
      if (!track.config) throw new TsError('TS_BAD_INPUT', 'AAC needs its AudioSpecificConfig');
      const verdict = validateCodecConfig('aac', track.config);
      if (!verdict.ok) throw new TsError('TS_BAD_INPUT', verdict.reason);
      return { codec: 'aac', asc: verdict.info.asc, opusChannelConfig: 0 };
    }
    case 'opus': {
      if (!track.config) return { codec: 'opus', opusChannelConfig: opusChannelConfigCode(2) };
      const verdict = validateCodecConfig('opus', track.config);
      if (!verdict.ok) throw new TsError('TS_BAD_INPUT', verdict.reason);
      return { codec: 'opus', opusChannelConfig: opusChannelConfigCode(verdict.info.head) };
    }
    case 'mp3':
      return { codec: 'mp3', opusChannelConfig: 0 };
    default:
      throw new TsError('TS_BAD_INPUT', `audio codec ${String(track.codec)} cannot be carried`);
  }
}

function audioPmtStream(audio: AudioState): PmtStream {
  switch (audio.codec) {
    case 'aac':
      return { streamType: STREAM_TYPE.AAC_ADTS, pid: DEFAULT_AUDIO_PID, descriptors: [] };
    case 'mp3':
      return { streamType: STREAM_TYPE.MPEG1_AUDIO, pid: DEFAULT_AUDIO_PID, descriptors: [] };
    case 'opus':
      return {
        streamType: STREAM_TYPE.PRIVATE_PES,
        pid: DEFAULT_AUDIO_PID,
        descriptors: writeOpusDescriptors(audio.opusChannelConfig),
      };
  }
}

/**
 * Runs one muxer operation so that it throws only TsError: ours pass through, the codec parsers' BitstreamError
 * becomes TS_BAD_INPUT, and anything else (a bug somewhere below) does too, named, instead of escaping untyped.
 */
function guarded<T>(what: string, run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof TsError) throw err;
    if (err instanceof BitstreamError) throw new TsError('TS_BAD_INPUT', `${what}: ${err.message}`);
    const name = err instanceof Error ? err.name : typeof err;
    const message = err instanceof Error ? err.message : String(err);
    throw new TsError('TS_BAD_INPUT', `${what}: unexpected ${name}: ${message}`);
  }
}
