import { H264_NAL_IDR } from '../h264/nal-type.js';
import { splitAnnexB } from '../nal/annexb.js';
import { STREAM_ID } from './constants.js';
import { writePackHeader } from './pack-header.js';
import { maxPesPayload, pesHeaderDataLength, writePsPes } from './pes-packet.js';
import { writeProgramStreamMap } from './program-stream-map.js';
import { PsError } from './ps-error.js';
import { type PsAudioCodec, type PsVideoCodec, psStreamTypeForCodec } from './stream-type.js';
import { writeSystemHeader } from './system-header.js';

export interface PsMuxerOptions {
  video?: PsVideoCodec;
  audio?: PsAudioCodec;
  /**
   * Largest PES payload; a video access unit is split into PES packets of at most this many bytes
   * (default: as many as PES_packet_length allows, 65535 bytes per packet). Cameras use ~1400.
   */
  maxPesPayload?: number;
  /** program_mux_rate in 50 bytes/s units (default 6106, what Hikvision cameras write: ~2.4 Mbit/s). */
  muxRate?: number;
}

export interface PsVideoAccessUnit {
  /** 90 kHz. */
  pts: number;
  /** 90 kHz; defaults to pts. */
  dts?: number;
  /** Annex B access unit. */
  data: Buffer;
  /** Writes system header and PSM before it; detected from the NAL types when omitted. */
  keyframe?: boolean;
}

export interface PsAudioFrame {
  /** 90 kHz. */
  pts: number;
  /** ADTS frame(s) for AAC, A-law / µ-law samples for G.711. */
  data: Buffer;
}

const DEFAULT_MUX_RATE = 6106;
/** P-STD buffer bounds of the system header: video in 1 KiB units, audio in 128-byte units. */
const VIDEO_BUFFER_BOUND_KB = 1024;
const AUDIO_BUFFER_BOUND_128 = 32;
/** Audio-only streams repeat system header and PSM once a second (90 kHz ticks). */
const AUDIO_PSM_INTERVAL = 90_000;
/** Smallest useful PES payload a caller may ask for. */
const MIN_PES_PAYLOAD = 16;

/**
 * MPEG program stream muxer shaped like a GB/T 28181 camera's output (ISO/IEC 13818-1 2.5.3):
 * each video access unit is one pack (pack header; system header and PSM on keyframes; PES 0xE0 packets,
 * the first with PTS/DTS, the rest without), each audio frame is one pack with one PES 0xC0. The first pack
 * always carries the maps; without video they repeat every second.
 */
export class PsMuxer {
  private readonly video?: PsVideoCodec;
  private readonly audio?: PsAudioCodec;
  private readonly maxPayload: number;
  private readonly muxRate: number;
  private psmVersion = 0;
  /** PTS of the last system header + PSM written, undefined before the first. */
  private lastPsmPts?: number;

  constructor(options: PsMuxerOptions) {
    this.video = options.video;
    this.audio = options.audio;
    this.muxRate = options.muxRate ?? DEFAULT_MUX_RATE;
    this.maxPayload = options.maxPesPayload ?? maxPesPayload(0);
    if (!(this.maxPayload >= MIN_PES_PAYLOAD)) {
      throw new PsError('PS_BAD_INPUT', `maxPesPayload ${options.maxPesPayload} below ${MIN_PES_PAYLOAD}`);
    }
  }

  writeVideo(au: PsVideoAccessUnit): Buffer {
    if (!this.video) throw new PsError('PS_BAD_INPUT', 'muxer has no video stream');
    if (au.data.length === 0) throw new PsError('PS_BAD_INPUT', 'empty access unit');
    const dts = au.dts ?? au.pts;
    const keyframe = au.keyframe ?? isKeyframe(this.video, au.data);
    const parts: Buffer[] = [writePackHeader({ scrBase: dts, muxRate: this.muxRate })];
    if (keyframe || this.lastPsmPts === undefined) parts.push(...this.headers(au.pts));
    const first = Math.min(this.maxPayload, maxPesPayload(pesHeaderDataLength(au.pts, dts)), au.data.length);
    parts.push(
      writePsPes({
        streamId: STREAM_ID.VIDEO_FIRST,
        pts: au.pts,
        dts,
        payload: au.data.subarray(0, first),
        dataAlignment: true,
      }),
    );
    const step = Math.min(this.maxPayload, maxPesPayload(0));
    for (let at = first; at < au.data.length; at += step) {
      const payload = au.data.subarray(at, Math.min(at + step, au.data.length));
      parts.push(writePsPes({ streamId: STREAM_ID.VIDEO_FIRST, payload }));
    }
    return Buffer.concat(parts);
  }

  writeAudio(frame: PsAudioFrame): Buffer {
    if (!this.audio) throw new PsError('PS_BAD_INPUT', 'muxer has no audio stream');
    if (frame.data.length === 0) throw new PsError('PS_BAD_INPUT', 'empty audio frame');
    if (frame.data.length > Math.min(this.maxPayload, maxPesPayload(pesHeaderDataLength(frame.pts, frame.pts)))) {
      throw new PsError('PS_BAD_INPUT', `audio frame of ${frame.data.length} bytes over ${this.maxPayload}`);
    }
    // Without video there are no keyframes: the maps go out first and then once per AUDIO_PSM_INTERVAL.
    const withMaps =
      this.lastPsmPts === undefined || (!this.video && Math.abs(frame.pts - this.lastPsmPts) >= AUDIO_PSM_INTERVAL);
    return Buffer.concat([
      writePackHeader({ scrBase: frame.pts, muxRate: this.muxRate }),
      ...(withMaps ? this.headers(frame.pts) : []),
      writePsPes({ streamId: STREAM_ID.AUDIO_FIRST, pts: frame.pts, payload: frame.data, dataAlignment: true }),
    ]);
  }

  private headers(pts: number): Buffer[] {
    this.lastPsmPts = pts;
    return [this.systemHeader(), this.programStreamMap()];
  }

  private systemHeader(): Buffer {
    const streams = [];
    if (this.video) {
      streams.push({
        streamId: STREAM_ID.VIDEO_FIRST,
        bufferBoundScale: 1 as const,
        bufferSizeBound: VIDEO_BUFFER_BOUND_KB,
      });
    }
    if (this.audio) {
      streams.push({
        streamId: STREAM_ID.AUDIO_FIRST,
        bufferBoundScale: 0 as const,
        bufferSizeBound: AUDIO_BUFFER_BOUND_128,
      });
    }
    return writeSystemHeader({
      rateBound: this.muxRate,
      audioBound: this.audio ? 1 : 0,
      videoBound: this.video ? 1 : 0,
      fixed: false,
      csps: false,
      audioLock: true,
      videoLock: true,
      streams,
    });
  }

  private programStreamMap(): Buffer {
    const streams = [];
    if (this.video) streams.push({ streamType: psStreamTypeForCodec(this.video), streamId: STREAM_ID.VIDEO_FIRST });
    if (this.audio) streams.push({ streamType: psStreamTypeForCodec(this.audio), streamId: STREAM_ID.AUDIO_FIRST });
    return writeProgramStreamMap({ version: this.psmVersion, streams });
  }
}

/** An access unit with an IDR (H.264) or IRAP (H.265 types 16-23) picture. */
function isKeyframe(codec: PsVideoCodec, data: Buffer): boolean {
  for (const nal of splitAnnexB(data)) {
    if (codec === 'h264' && (nal[0] & 0x1f) === H264_NAL_IDR) return true;
    if (codec === 'hevc') {
      const type = (nal[0] >> 1) & 0x3f;
      if (type >= 16 && type <= 23) return true;
    }
  }
  return false;
}
