import { writeAdtsHeader } from '../aac/adts.js';
import { type AudioSpecificConfig, parseAudioSpecificConfig } from '../aac/audio-specific-config.js';
import { BitstreamError } from '../bits/bitstream-error.js';
import { parseAvcDecoderConfig } from '../h264/avcc.js';
import { parseHevcDecoderConfig } from '../hevc/hvcc.js';
import { joinAnnexB } from '../nal/annexb.js';
import { splitLengthPrefixed } from '../nal/length-prefixed.js';
import { parseOpusHead } from '../opus/opus-head.js';
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

const DEFAULT_AUDIO_ONLY_TABLE_INTERVAL = TS_CLOCK_HZ / 2;
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
 * - AAC as ADTS, MP3 as is, Opus behind its control header (stream_id private_stream_1); without video the
 *   audio PID carries the PCR.
 * Continuity counters persist per PID across calls, so one instance serves one output stream. Every output
 * is whole 188-byte packets.
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
    if (options.video) this.video = videoState(options.video);
    if (options.audio) this.audio = audioState(options.audio);
    this.rebuildPmt();
  }

  /** A new video configuration record (a Buffer keeps the codec), or a new video track. */
  setVideoConfig(video: TsVideoTrack | Buffer): void {
    const track = Buffer.isBuffer(video) ? { codec: this.requireVideo().codec, config: video } : video;
    this.video = videoState(track);
    this.rebuildPmt();
  }

  /** A new audio configuration (a Buffer keeps the codec), or a new audio track. */
  setAudioConfig(audio: TsAudioTrack | Buffer): void {
    const track = Buffer.isBuffer(audio) ? { codec: this.requireAudio().codec, config: audio } : audio;
    this.audio = audioState(track);
    this.rebuildPmt();
  }

  /** PAT + PMT packets now (also written automatically where needed). */
  tables(): Buffer {
    const out = Buffer.allocUnsafe(this.tablesSize());
    this.writeTables(out, 0);
    return out;
  }

  writeVideo(au: TsVideoAccessUnit): Buffer {
    const video = this.requireVideo();
    let nals: Buffer[];
    try {
      nals = splitLengthPrefixed(au.data, video.lengthSize);
    } catch (err) {
      throw badInput('video access unit', err);
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

  writeAudio(frame: TsAudioFrame): Buffer {
    const audio = this.requireAudio();
    const frames: readonly Buffer[] = Buffer.isBuffer(frame.data) ? [frame.data] : frame.data;
    const parts: Buffer[] = [];
    frames.forEach((data, i) => {
      if (audio.codec === 'aac') {
        try {
          parts.push(writeAdtsHeader(audio.asc!, data.length));
        } catch (err) {
          throw badInput('AAC frame', err);
        }
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
  try {
    if (track.codec === 'h264') {
      const avc = parseAvcDecoderConfig(track.config);
      return { codec: 'h264', lengthSize: avc.lengthSize, parameterSets: [...avc.sps, ...avc.pps] };
    }
    const hevc = parseHevcDecoderConfig(track.config);
    return { codec: 'hevc', lengthSize: hevc.lengthSize, parameterSets: [...hevc.vps, ...hevc.sps, ...hevc.pps] };
  } catch (err) {
    throw badInput(`${track.codec} configuration record`, err);
  }
}

function audioState(track: TsAudioTrack): AudioState {
  try {
    switch (track.codec) {
      case 'aac':
        if (!track.config) throw new TsError('TS_BAD_INPUT', 'AAC needs its AudioSpecificConfig');
        return { codec: 'aac', asc: parseAudioSpecificConfig(track.config), opusChannelConfig: 0 };
      case 'opus':
        return {
          codec: 'opus',
          opusChannelConfig: opusChannelConfigCode(track.config ? parseOpusHead(track.config) : 2),
        };
      default:
        return { codec: 'mp3', opusChannelConfig: 0 };
    }
  } catch (err) {
    throw badInput(`${track.codec} configuration`, err);
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

/** Errors of the codec parsers we call become our own type; ours pass through, anything else is a bug. */
function badInput(what: string, err: unknown): Error {
  if (err instanceof BitstreamError) return new TsError('TS_BAD_INPUT', `${what}: ${err.message}`);
  return err as Error;
}
