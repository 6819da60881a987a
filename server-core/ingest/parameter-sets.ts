import { BitReader } from '../codec/bits/bit-reader.js';
import { buildAvcDecoderConfig } from '../codec/h264/avcc.js';
import { parseH264Sps } from '../codec/h264/sps.js';
import { buildHevcDecoderConfig } from '../codec/hevc/hvcc.js';
import { parseHevcSps } from '../codec/hevc/sps.js';
import { removeEmulationPrevention } from '../codec/nal/emulation-prevention.js';

export type ParameterSetCodec = 'h264' | 'hevc';
export type ParameterSetKind = 'vps' | 'sps' | 'pps';

/** A decoder configuration record stores each set behind a u16 length (ISO/IEC 14496-15 5.3.3.1.2, 8.3.3.1.2). */
export const MAX_PARAMETER_SET_SIZE = 0xffff;
/** pic_parameter_set_id ranges: H.264 7.4.2.2 (0..255), H.265 7.4.3.3.1 (0..63). */
const MAX_PPS_ID = { h264: 255, hevc: 63 } as const;

/**
 * The in-band parameter sets of one video stream, by id (a later set with the same id replaces the earlier one),
 * and the decoder configuration record built from them: AVCDecoderConfigurationRecord for H.264,
 * HEVCDecoderConfigurationRecord for HEVC, sets in id order. Stored sets are copies, so they do not pin the
 * PES buffers they came in.
 */
export class ParameterSets {
  private readonly sets: Record<ParameterSetKind, Map<number, Buffer>> = {
    vps: new Map(),
    sps: new Map(),
    pps: new Map(),
  };
  private cached: Buffer | undefined;
  private dirty = false;

  constructor(readonly codec: ParameterSetCodec) {}

  /** Stores a set (the NAL unit with its header, no start code); false when it does not parse. */
  put(kind: ParameterSetKind, nal: Buffer): boolean {
    if (nal.length > MAX_PARAMETER_SET_SIZE) return false;
    const id = this.idOf(kind, nal);
    if (id === undefined) return false;
    const map = this.sets[kind];
    const old = map.get(id);
    if (old?.equals(nal)) return true;
    map.set(id, Buffer.from(nal));
    this.dirty = true;
    return true;
  }

  /** Whether the sets a decoder needs are there: SPS and PPS, and a VPS for HEVC. */
  get complete(): boolean {
    const { vps, sps, pps } = this.sets;
    return sps.size > 0 && pps.size > 0 && (this.codec === 'h264' || vps.size > 0);
  }

  /** The record of the current sets (the same Buffer until they change); undefined when incomplete or unbuildable. */
  record(): Buffer | undefined {
    if (!this.dirty) return this.cached;
    this.dirty = false;
    this.cached = undefined;
    if (!this.complete) return undefined;
    const [vps, sps, pps] = (['vps', 'sps', 'pps'] as const).map((kind) =>
      [...this.sets[kind].entries()].sort((a, b) => a[0] - b[0]).map(([, nal]) => nal),
    );
    try {
      this.cached = this.codec === 'h264' ? buildAvcDecoderConfig(sps, pps) : buildHevcDecoderConfig(vps, sps, pps);
    } catch {
      this.cached = undefined;
    }
    return this.cached;
  }

  private idOf(kind: ParameterSetKind, nal: Buffer): number | undefined {
    try {
      if (this.codec === 'h264') {
        if (kind === 'sps') return parseH264Sps(nal).spsId;
        if (kind === 'pps') return readPpsId(nal, 1, MAX_PPS_ID.h264);
        return undefined;
      }
      if (kind === 'vps') return nal.length >= 3 ? nal[2] >> 4 : undefined; // vps_video_parameter_set_id u4
      if (kind === 'sps') return parseHevcSps(nal).spsId;
      return readPpsId(nal, 2, MAX_PPS_ID.hevc);
    } catch {
      return undefined;
    }
  }
}

/** pic_parameter_set_id, the first ue(v) of the PPS RBSP. */
function readPpsId(nal: Buffer, headerSize: number, max: number): number | undefined {
  if (nal.length <= headerSize) return undefined;
  const id = new BitReader(removeEmulationPrevention(nal.subarray(headerSize))).readUE();
  return id <= max ? id : undefined;
}
