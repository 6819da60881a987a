import { H264_NAL_AUD, H264_NAL_FILLER, H264_NAL_IDR, H264_NAL_PPS, H264_NAL_SPS } from '../codec/h264/nal-type.js';
import {
  HEVC_NAL_AUD,
  HEVC_NAL_FD,
  HEVC_NAL_PPS,
  HEVC_NAL_SPS,
  HEVC_NAL_VPS,
  isHevcIrap,
} from '../codec/hevc/nal-type.js';
import { splitAnnexB } from '../codec/nal/annexb.js';
import { joinLengthPrefixed } from '../codec/nal/length-prefixed.js';
import { type MediaPacket, VIDEO_TRACK } from '../hub/media-packet.js';
import { DropCounter, type IngestDropReason } from './drop-counter.js';
import { type ParameterSetKind, ParameterSets } from './parameter-sets.js';

export type IngestVideoCodec = 'h264' | 'hevc';

/** Largest access unit passed on (a 4K IDR is a few MB; matches the TS demuxer's PES limit). */
export const MAX_ACCESS_UNIT_SIZE = 16 * 1024 * 1024;
/** NAL units in one access unit: slices of a heavily sliced picture plus SEI, far below this. */
export const MAX_NAL_UNITS_PER_ACCESS_UNIT = 1024;
/** Bytes of each NAL length in the output (lengthSizeMinusOne 3 in the records we build). */
const NAL_LENGTH_SIZE = 4;

export interface VideoNormalizerOptions {
  codec: IngestVideoCodec;
  /** Where drops are counted; pass one to keep totals across normalizers. */
  drops?: DropCounter;
  /** The stream's track id for this elementary stream (default: the FLV ingest's numbering). */
  track?: number;
}

export interface VideoNormalizerStats {
  /** Access units pushed. */
  accessUnits: number;
  /** Coded frames emitted (sequence headers not included). */
  frames: number;
  keyframes: number;
  sequenceHeaders: number;
  /** Access units that held only parameter sets / delimiters: they update the configuration, emit nothing. */
  configOnly: number;
}

type NalRole = 'parameter-set' | 'strip' | 'keyframe' | 'frame';

/** What each NAL unit is to us: H.264 Table 7-1. */
function h264Role(type: number): NalRole {
  if (type === H264_NAL_SPS || type === H264_NAL_PPS) return 'parameter-set';
  if (type === H264_NAL_AUD || type === H264_NAL_FILLER) return 'strip';
  return type === H264_NAL_IDR ? 'keyframe' : 'frame';
}

/** H.265 Table 7-1: IRAP (16..23) is a random access point. */
function hevcRole(type: number): NalRole {
  if (type === HEVC_NAL_VPS || type === HEVC_NAL_SPS || type === HEVC_NAL_PPS) return 'parameter-set';
  if (type === HEVC_NAL_AUD || type === HEVC_NAL_FD) return 'strip';
  return isHevcIrap(type) ? 'keyframe' : 'frame';
}

function h264Kind(type: number): ParameterSetKind {
  return type === H264_NAL_SPS ? 'sps' : 'pps';
}

function hevcKind(type: number): ParameterSetKind {
  return type === HEVC_NAL_VPS ? 'vps' : type === HEVC_NAL_SPS ? 'sps' : 'pps';
}

/**
 * Turns H.264 / HEVC access units with in-band parameter sets (Annex B as MPEG-TS, SRT and GB28181 carry them,
 * or NAL units already split by an RTP depacketizer) into the hub's packets:
 * - the AU without parameter sets, AUDs and filler, as 4-byte length-prefixed NAL units;
 * - a sequence header (AVC / HEVC decoder configuration record synthesized from the SPS/PPS, and VPS for HEVC)
 *   before the first frame, and again before the next frame whenever the sets change;
 * - keyframe = the AU holds an IDR slice (H.264 nal_unit_type 5) / an IRAP picture (HEVC 16..23).
 * Nothing is emitted before the first keyframe with parameter sets. Never throws: a bad AU is dropped and
 * counted by reason. Timestamps are passed through (ms, from the ingest clock).
 */
export class VideoNormalizer {
  private readonly track: number;
  readonly codec: IngestVideoCodec;
  readonly drops: DropCounter;
  private readonly parameterSets: ParameterSets;
  private readonly counters: VideoNormalizerStats = {
    accessUnits: 0,
    frames: 0,
    keyframes: 0,
    sequenceHeaders: 0,
    configOnly: 0,
  };
  private started = false;
  private emittedRecord: Buffer | undefined;

  constructor(options: VideoNormalizerOptions) {
    this.codec = options.codec;
    this.track = options.track ?? VIDEO_TRACK;
    this.drops = options.drops ?? new DropCounter();
    this.parameterSets = new ParameterSets(options.codec);
  }

  get stats(): Readonly<VideoNormalizerStats> {
    return { ...this.counters };
  }

  /** The last decoder configuration record emitted. */
  get decoderConfig(): Buffer | undefined {
    return this.emittedRecord;
  }

  /** One access unit in Annex B (start codes); dts/pts in ms. */
  pushAnnexB(accessUnit: Buffer, dts: number, pts: number = dts): MediaPacket[] {
    let nals: Buffer[];
    try {
      nals = splitAnnexB(accessUnit);
    } catch {
      this.counters.accessUnits++;
      this.drops.count('malformed');
      return [];
    }
    return this.pushNalUnits(nals, dts, pts);
  }

  /** One access unit as NAL units (headers included, no start codes or lengths); dts/pts in ms. */
  pushNalUnits(nals: readonly Buffer[], dts: number, pts: number = dts): MediaPacket[] {
    this.counters.accessUnits++;
    try {
      return this.accessUnit(nals, dts, pts);
    } catch {
      this.drops.count('malformed');
      return [];
    }
  }

  /** After a sender restart or lost data: wait for the next keyframe again (the configuration is kept). */
  reset(): void {
    this.started = false;
  }

  private accessUnit(nals: readonly Buffer[], dts: number, pts: number): MediaPacket[] {
    if (!isMs(dts) || !isMs(pts) || pts < dts) return this.drop('bad-timestamp');
    if (nals.length === 0) return this.drop('malformed');
    if (nals.length > MAX_NAL_UNITS_PER_ACCESS_UNIT) return this.drop('too-large');
    const hevc = this.codec === 'hevc';
    const headerSize = hevc ? 2 : 1;
    const frame: Buffer[] = [];
    let size = 0;
    let keyframe = false;
    for (const nal of nals) {
      if (nal.length === 0) continue;
      if (nal.length < headerSize || (nal[0] & 0x80) !== 0) return this.drop('malformed'); // forbidden_zero_bit
      const type = hevc ? (nal[0] >> 1) & 0x3f : nal[0] & 0x1f;
      const role = hevc ? hevcRole(type) : h264Role(type);
      if (role === 'parameter-set') {
        if (!this.parameterSets.put(hevc ? hevcKind(type) : h264Kind(type), nal)) this.drops.count('bad-parameter-set');
        continue;
      }
      if (role === 'strip') continue;
      if (role === 'keyframe') keyframe = true;
      frame.push(nal);
      size += NAL_LENGTH_SIZE + nal.length;
      if (size > MAX_ACCESS_UNIT_SIZE) return this.drop('too-large');
    }
    if (frame.length === 0) {
      this.counters.configOnly++;
      return [];
    }
    if (!this.started) {
      if (!keyframe) return this.drop('waiting-for-keyframe');
      if (!this.parameterSets.complete) return this.drop('no-parameter-sets');
    }
    const record = this.parameterSets.record();
    if (record === undefined && this.emittedRecord === undefined) return this.drop('bad-parameter-set');
    const out: MediaPacket[] = [];
    if (record !== undefined && record !== this.emittedRecord && !record.equals(this.emittedRecord ?? EMPTY)) {
      this.emittedRecord = record;
      this.counters.sequenceHeaders++;
      out.push({
        track: this.track,
        kind: 'video',
        codec: this.codec,
        dts,
        pts: dts,
        keyframe: true,
        sequenceHeader: true,
        payload: record,
      });
    }
    this.started = true;
    this.counters.frames++;
    if (keyframe) this.counters.keyframes++;
    out.push({
      track: this.track,
      kind: 'video',
      codec: this.codec,
      dts,
      pts,
      keyframe,
      sequenceHeader: false,
      payload: joinLengthPrefixed(frame, NAL_LENGTH_SIZE),
    });
    return out;
  }

  private drop(reason: IngestDropReason): MediaPacket[] {
    this.drops.count(reason);
    return [];
  }
}

const EMPTY = Buffer.alloc(0);

/** Integer ms; negative is fine here (a track starting before the clock's origin), the clock settles it. */
function isMs(value: number): boolean {
  return Number.isSafeInteger(value);
}
