import { writeAdtsHeader } from '../aac/adts.js';
import { type AudioSpecificConfig, parseAudioSpecificConfig } from '../aac/audio-specific-config.js';
import { parseAvcDecoderConfig } from '../h264/avcc.js';
import { H264_AUD_NAL, H264NalType as H264_NAL, h264NalType } from '../h264/nal-type.js';
import { parseHevcDecoderConfig } from '../hevc/hvcc.js';
import { HEVC_AUD_NAL, HevcNalType as HEVC_NAL, hevcNalType } from '../hevc/nal-type.js';
import { joinAnnexB } from '../nal/annexb.js';
import { splitLengthPrefixed } from '../nal/length-prefixed.js';
import { parseOpusHead } from '../opus/opus-head.js';
import { PID_AUDIO, PID_PAT, PID_PMT, PID_VIDEO, STREAM_TYPE, TS_CLOCK } from './constants.js';
import { packetize } from './packetizer.js';
import { PES_STREAM_ID, writePesHeader } from './pes.js';
import { type PmtStream, writePat, writePmt } from './psi.js';
import { TsError } from './ts-error.js';

export interface TsMuxerOptions {
  video?: { codec: 'h264' | 'hevc'; config: Buffer };
  audio?: { codec: 'aac' | 'mp3' | 'opus'; config?: Buffer };
}

export interface TsVideoUnit {
  /** 90 kHz. */
  dts: number;
  pts: number;
  keyframe: boolean;
  /** Length-prefixed NAL units (the config's length size). */
  data: Buffer;
}

/** Audio-only streams repeat PAT/PMT at least this often (90 kHz) so a reader can join anywhere. */
const AUDIO_ONLY_TABLE_INTERVAL = TS_CLOCK / 2;

/**
 * MPEG-TS muxer for one output stream (ISO/IEC 13818-1): PAT/PMT before every keyframe (each HLS segment stands
 * alone), video as Annex-B with an AUD and the parameter sets before keyframes, AAC as ADTS, Opus with the
 * Opus-in-TS control header, PCR on the video PID (audio PID without video). Continuity counters persist.
 */
export class TsMuxer {
  private readonly cc = new Map<number, number>();
  private video?: { codec: 'h264' | 'hevc'; lengthSize: number; parameterSets: Buffer[] };
  private audio?: { codec: 'aac' | 'mp3' | 'opus'; asc?: AudioSpecificConfig; channels: number };
  private lastTablesAt = Number.NEGATIVE_INFINITY;
  private tablesWritten = false;

  constructor(options: TsMuxerOptions) {
    if (options.video) this.setVideoConfig(options.video.codec, options.video.config);
    if (options.audio) this.setAudioConfig(options.audio.codec, options.audio.config);
  }

  setVideoConfig(codec: 'h264' | 'hevc', config: Buffer): void {
    if (codec === 'h264') {
      const avc = parseAvcDecoderConfig(config);
      this.video = { codec, lengthSize: avc.lengthSize, parameterSets: [...avc.sps, ...avc.pps] };
    } else {
      const hevc = parseHevcDecoderConfig(config);
      this.video = { codec, lengthSize: hevc.lengthSize, parameterSets: [...hevc.vps, ...hevc.sps, ...hevc.pps] };
    }
    this.tablesWritten = false;
  }

  setAudioConfig(codec: 'aac' | 'mp3' | 'opus', config?: Buffer): void {
    if (codec === 'aac') {
      if (!config) throw new TsError('TS_BAD_INPUT', 'AAC needs its AudioSpecificConfig');
      const asc = parseAudioSpecificConfig(config);
      this.audio = { codec, asc, channels: asc.channels };
    } else if (codec === 'opus') {
      this.audio = { codec, channels: config ? parseOpusHead(config).channels : 2 };
    } else {
      this.audio = { codec, channels: 2 };
    }
    this.tablesWritten = false;
  }

  /** PAT + PMT packets. */
  tables(): Buffer {
    const streams: PmtStream[] = [];
    if (this.video) {
      streams.push({ streamType: this.video.codec === 'h264' ? STREAM_TYPE.H264 : STREAM_TYPE.HEVC, pid: PID_VIDEO });
    }
    if (this.audio) streams.push(this.audioPmtEntry());
    const pcrPid = this.video ? PID_VIDEO : PID_AUDIO;
    const pointer = Buffer.from([0]);
    this.tablesWritten = true;
    return Buffer.concat([
      packetize(PID_PAT, Buffer.concat([pointer, writePat(PID_PMT)]), this.counter(PID_PAT)),
      packetize(PID_PMT, Buffer.concat([pointer, writePmt(pcrPid, streams)]), this.counter(PID_PMT)),
    ]);
  }

  writeVideo(au: TsVideoUnit): Buffer {
    const video = this.video;
    if (!video) throw new TsError('TS_BAD_INPUT', 'video written before its configuration');
    const nals = splitLengthPrefixed(au.data, video.lengthSize).filter((n) => n.length > 0);
    const out: Buffer[] = [];
    if (au.keyframe || !this.tablesWritten) out.push(this.tables());
    const isAud =
      video.codec === 'h264'
        ? (n: Buffer) => h264NalType(n) === H264_NAL.AUD
        : (n: Buffer) => hevcNalType(n) === HEVC_NAL.AUD;
    const isParameterSet =
      video.codec === 'h264'
        ? (n: Buffer) => h264NalType(n) === H264_NAL.SPS || h264NalType(n) === H264_NAL.PPS
        : (n: Buffer) => {
            const t = hevcNalType(n);
            return t === HEVC_NAL.VPS || t === HEVC_NAL.SPS || t === HEVC_NAL.PPS;
          };
    const units: Buffer[] = [];
    if (!nals.some(isAud)) units.push(video.codec === 'h264' ? H264_AUD_NAL : HEVC_AUD_NAL);
    for (const nal of nals) {
      if (isAud(nal)) units.push(nal);
    }
    if (au.keyframe && !nals.some(isParameterSet)) units.push(...video.parameterSets);
    for (const nal of nals) if (!isAud(nal)) units.push(nal);
    const elementary = joinAnnexB(units);
    const pes = Buffer.concat([writePesHeader(PES_STREAM_ID.VIDEO, elementary.length, au.pts, au.dts), elementary]);
    out.push(packetize(PID_VIDEO, pes, this.counter(PID_VIDEO), { pcr: au.dts, randomAccess: au.keyframe }));
    return Buffer.concat(out);
  }

  writeAudio(frame: { pts: number; data: Buffer }): Buffer {
    const audio = this.audio;
    if (!audio) throw new TsError('TS_BAD_INPUT', 'audio written before its configuration');
    const out: Buffer[] = [];
    const audioOnly = !this.video;
    if (!this.tablesWritten || (audioOnly && frame.pts - this.lastTablesAt >= AUDIO_ONLY_TABLE_INTERVAL)) {
      out.push(this.tables());
      this.lastTablesAt = frame.pts;
    }
    let elementary: Buffer;
    let streamId: number = PES_STREAM_ID.AUDIO;
    if (audio.codec === 'aac') {
      elementary = Buffer.concat([writeAdtsHeader(audio.asc!, frame.data.length), frame.data]);
    } else if (audio.codec === 'opus') {
      elementary = Buffer.concat([opusControlHeader(frame.data.length), frame.data]);
      streamId = PES_STREAM_ID.PRIVATE_1;
    } else {
      elementary = frame.data;
    }
    const pes = Buffer.concat([writePesHeader(streamId, elementary.length, frame.pts), elementary]);
    out.push(
      packetize(PID_AUDIO, pes, this.counter(PID_AUDIO), {
        pcr: audioOnly ? frame.pts : undefined,
        randomAccess: audioOnly,
      }),
    );
    return Buffer.concat(out);
  }

  private audioPmtEntry(): PmtStream {
    const audio = this.audio!;
    if (audio.codec === 'aac') return { streamType: STREAM_TYPE.AAC_ADTS, pid: PID_AUDIO };
    if (audio.codec === 'mp3') return { streamType: STREAM_TYPE.MP3, pid: PID_AUDIO };
    // Opus in TS (ETSI TS 102 366 style): registration 'Opus' + DVB extension descriptor with channel config.
    const descriptors = Buffer.concat([
      Buffer.from([0x05, 0x04]),
      Buffer.from('Opus', 'latin1'),
      Buffer.from([0x7f, 0x02, 0x80, audio.channels]),
    ]);
    return { streamType: STREAM_TYPE.PRIVATE_PES, pid: PID_AUDIO, descriptors };
  }

  private counter(pid: number): () => number {
    return () => {
      const value = this.cc.get(pid) ?? 0;
      this.cc.set(pid, (value + 1) & 0x0f);
      return value;
    };
  }
}

/** Opus access unit control header: 0x7FE0 prefix (no trim flags), then au_size as 0xFF bytes + remainder. */
function opusControlHeader(size: number): Buffer {
  const bytes = [0x7f, 0xe0];
  let rest = size;
  while (rest >= 255) {
    bytes.push(0xff);
    rest -= 255;
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}
