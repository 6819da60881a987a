import { BitstreamError } from '../../codec/bits/bitstream-error.js';
import { parseAvcDecoderConfig } from '../../codec/h264/avcc.js';
import { H264_NAL_IDR, H264_NAL_PPS, H264_NAL_SPS } from '../../codec/h264/nal-type.js';
import { splitLengthPrefixed } from '../../codec/nal/length-prefixed.js';
import {
  FU_END,
  FU_START,
  H264_RTP_FU_A,
  H264_RTP_STAP_A,
  NAL_F_NRI_MASK,
  NAL_TYPE_MASK,
  type RtpPayloadUnit,
} from './h264-payload-format.js';
import { RtpError } from './rtp-error.js';

/** Payload budget that stays under a 1280-byte IPv6 minimum MTU after RTP, SRTP, UDP and IP headers. */
export const DEFAULT_H264_MAX_PAYLOAD_SIZE = 1200;
/** Smallest budget we accept: an FU-A needs 2 header bytes plus at least one byte of fragment. */
export const MIN_H264_MAX_PAYLOAD_SIZE = 16;
/** Largest budget: what fits a UDP datagram with headers. */
export const MAX_H264_MAX_PAYLOAD_SIZE = 65_000;
const STAP_A_NAL_SIZE_FIELD = 2;

export interface H264PacketizerOptions {
  /** Bytes per RTP payload, at most; default 1200. */
  maxPayloadSize?: number;
  /** Bytes per NAL length in access units; the hub uses 4. */
  lengthSize?: number;
  /** Put the decoder configuration's SPS and PPS before every IDR that lacks them. */
  parameterSetsBeforeIdr?: boolean;
  /** AVCDecoderConfigurationRecord (the hub's sequence header) to take SPS/PPS from. */
  decoderConfig?: Buffer;
}

/**
 * H.264 access units to RTP payloads, non-interleaved mode (RFC 6184 packetization-mode=1, 6.3): NAL units
 * that fit alone go out as single NAL unit packets (5.6, a subarray of the access unit, no copy); runs of
 * small ones are aggregated into STAP-A (5.7.1) while they fit; larger ones are cut into FU-A fragments of
 * even size (5.8). The last payload of the access unit carries the marker (5.1). NAL types 0 and 24..31 are
 * not H.264 video data and are skipped.
 */
export class H264Packetizer {
  readonly maxPayloadSize: number;
  private readonly lengthSize: number;
  private readonly parameterSetsBeforeIdr: boolean;
  private sps: Buffer[] = [];
  private pps: Buffer[] = [];

  constructor(options: H264PacketizerOptions = {}) {
    const max = options.maxPayloadSize ?? DEFAULT_H264_MAX_PAYLOAD_SIZE;
    if (!Number.isInteger(max) || max < MIN_H264_MAX_PAYLOAD_SIZE || max > MAX_H264_MAX_PAYLOAD_SIZE) {
      throw new RtpError('RTP_BAD_ARGUMENT', `max payload size ${max}`);
    }
    this.maxPayloadSize = max;
    this.lengthSize = options.lengthSize ?? 4;
    this.parameterSetsBeforeIdr = options.parameterSetsBeforeIdr ?? false;
    if (options.decoderConfig) this.setDecoderConfig(options.decoderConfig);
  }

  /** New SPS/PPS from an AVCDecoderConfigurationRecord (a new sequence header from the source). */
  setDecoderConfig(record: Buffer): void {
    const config = wrapBitstream(() => parseAvcDecoderConfig(record));
    this.sps = config.sps;
    this.pps = config.pps;
  }

  /** Payloads for one access unit of length-prefixed NAL units. */
  packetize(accessUnit: Buffer): RtpPayloadUnit[] {
    let nals = wrapBitstream(() => splitLengthPrefixed(accessUnit, this.lengthSize));
    if (this.parameterSetsBeforeIdr && this.sps.length > 0) nals = this.withParameterSets(nals);
    return packetizeH264Nals(nals, this.maxPayloadSize);
  }

  private withParameterSets(nals: Buffer[]): Buffer[] {
    let hasSps = false;
    let hasPps = false;
    for (let i = 0; i < nals.length; i++) {
      const type = nals[i][0] & NAL_TYPE_MASK;
      if (type === H264_NAL_SPS) hasSps = true;
      else if (type === H264_NAL_PPS) hasPps = true;
      else if (type === H264_NAL_IDR) {
        if (hasSps && hasPps) return nals;
        return [...nals.slice(0, i), ...this.sps, ...this.pps, ...nals.slice(i)];
      }
    }
    return nals;
  }
}

/** The packetization of H264Packetizer for NAL units already split (each with its header, no start code). */
export function packetizeH264Nals(nals: Buffer[], maxPayloadSize = DEFAULT_H264_MAX_PAYLOAD_SIZE): RtpPayloadUnit[] {
  const out: RtpPayloadUnit[] = [];
  let group: Buffer[] = [];
  let groupSize = 1; // STAP-A indicator
  const flush = () => {
    if (group.length === 1) out.push({ payload: group[0], marker: false });
    else if (group.length > 1) out.push({ payload: buildStapA(group, groupSize), marker: false });
    group = [];
    groupSize = 1;
  };
  for (const nal of nals) {
    if (nal.length === 0 || !isVideoNalType(nal[0] & NAL_TYPE_MASK)) continue;
    if (nal.length > maxPayloadSize) {
      flush();
      fragment(nal, maxPayloadSize, out);
      continue;
    }
    const added = STAP_A_NAL_SIZE_FIELD + nal.length;
    if (group.length > 0 && groupSize + added > maxPayloadSize) flush();
    group.push(nal);
    groupSize += added;
  }
  flush();
  if (out.length > 0) out[out.length - 1].marker = true;
  return out;
}

function isVideoNalType(type: number): boolean {
  return type >= 1 && type <= 23;
}

function buildStapA(nals: Buffer[], size: number): Buffer {
  const out = Buffer.allocUnsafe(size);
  let fnri = 0;
  for (const nal of nals) {
    // F is the OR of the F bits, NRI the highest NRI (5.7.1).
    fnri = (fnri & 0x80) | (nal[0] & 0x80) | Math.max(fnri & 0x60, nal[0] & 0x60);
  }
  out[0] = fnri | H264_RTP_STAP_A;
  let at = 1;
  for (const nal of nals) {
    out.writeUInt16BE(nal.length, at);
    nal.copy(out, at + STAP_A_NAL_SIZE_FIELD);
    at += STAP_A_NAL_SIZE_FIELD + nal.length;
  }
  return out;
}

function fragment(nal: Buffer, maxPayloadSize: number, out: RtpPayloadUnit[]): void {
  const indicator = (nal[0] & NAL_F_NRI_MASK) | H264_RTP_FU_A;
  const type = nal[0] & NAL_TYPE_MASK;
  const body = nal.length - 1;
  const count = Math.ceil(body / (maxPayloadSize - 2));
  const size = Math.ceil(body / count);
  for (let i = 0, at = 1; i < count; i++, at += size) {
    const end = Math.min(at + size, nal.length);
    const payload = Buffer.allocUnsafe(2 + end - at);
    payload[0] = indicator;
    payload[1] = (i === 0 ? FU_START : 0) | (i === count - 1 ? FU_END : 0) | type;
    nal.copy(payload, 2, at, end);
    out.push({ payload, marker: false });
  }
}

function wrapBitstream<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof BitstreamError) throw new RtpError('RTP_INVALID', `H.264 access unit: ${error.message}`);
    throw error;
  }
}
