import { H264_NAL_IDR } from '../../codec/h264/nal-type.js';
import {
  FU_END,
  FU_START,
  H264_RTP_FU_A,
  H264_RTP_STAP_A,
  NAL_F_NRI_MASK,
  NAL_TYPE_MASK,
} from './h264-payload-format.js';
import type { RtpPacket } from './rtp-packet.js';
import { seqDiff } from './sequence-number.js';

/** An access unit rebuilt from RTP: NAL units without start codes or lengths. */
export interface H264AccessUnit {
  /** RTP timestamp (90 kHz) shared by its packets. */
  timestamp: number;
  nals: Buffer[];
  /** An IDR slice is present. */
  keyframe: boolean;
  /** Packets were lost, malformed or unsupported around or inside it: NAL units may be missing. */
  damaged: boolean;
}

export type H264RtpInput = Pick<RtpPacket, 'sequenceNumber' | 'timestamp' | 'marker' | 'payload'>;

export interface H264DepacketizerOptions {
  /** Bytes of NAL units per access unit before it is dropped as damaged; default 8 MiB. */
  maxAccessUnitSize?: number;
  /** NAL units per access unit before it is dropped as damaged; default 1024. */
  maxNalsPerAccessUnit?: number;
}

/** Per-packet problems, counted rather than thrown (DESIGN rule 4). */
export interface H264DepacketizerStats {
  packets: number;
  /** Sequence numbers skipped over. */
  lostPackets: number;
  /** Duplicates or packets older than the last one, ignored. */
  latePackets: number;
  /** Truncated STAP-A, FU-A too short, NAL sizes past the payload. */
  malformedPackets: number;
  /** STAP-B, MTAP, FU-B and reserved types. */
  unsupportedPackets: number;
  /** NAL units lost to a missing FU-A fragment. */
  droppedFragmentedNals: number;
  /** Access units over the size or count limit. */
  oversizedAccessUnits: number;
}

export const DEFAULT_MAX_ACCESS_UNIT_SIZE = 8 * 1024 * 1024;
export const DEFAULT_MAX_NALS_PER_ACCESS_UNIT = 1024;
const STAP_A_NAL_SIZE_FIELD = 2;

interface Pending {
  timestamp: number;
  nals: Buffer[];
  size: number;
  damaged: boolean;
  overflow: boolean;
}

interface Fragments {
  header: number;
  parts: Buffer[];
  size: number;
}

/**
 * RTP payloads to H.264 access units (RFC 6184, non-interleaved mode): single NAL unit packets (5.6), STAP-A
 * (5.7.1) and FU-A (5.8). An access unit ends at the marker bit (5.1) or when the timestamp changes. A lost
 * FU-A fragment drops that NAL unit; a sequence gap flags the access units it may have touched as damaged.
 * Single and aggregated NAL units are subarrays of the packet payloads (no copy): do not reuse those buffers.
 * Empty payloads (padding-only packets) only advance the sequence.
 */
export class H264Depacketizer {
  readonly stats: H264DepacketizerStats = {
    packets: 0,
    lostPackets: 0,
    latePackets: 0,
    malformedPackets: 0,
    unsupportedPackets: 0,
    droppedFragmentedNals: 0,
    oversizedAccessUnits: 0,
  };
  private readonly maxAccessUnitSize: number;
  private readonly maxNals: number;
  private lastSequence: number | undefined;
  private pending: Pending | undefined;
  private fragments: Fragments | undefined;
  /** A gap was seen while no access unit was pending: the next one may have lost its head. */
  private gapBeforeNext = false;

  constructor(options: H264DepacketizerOptions = {}) {
    this.maxAccessUnitSize = options.maxAccessUnitSize ?? DEFAULT_MAX_ACCESS_UNIT_SIZE;
    this.maxNals = options.maxNalsPerAccessUnit ?? DEFAULT_MAX_NALS_PER_ACCESS_UNIT;
  }

  /** Feeds one packet (in arrival order); returns the access units it completed (0, 1 or 2). */
  push(packet: H264RtpInput): H264AccessUnit[] {
    this.stats.packets++;
    const out: H264AccessUnit[] = [];
    let gap = false;
    if (this.lastSequence !== undefined) {
      const d = seqDiff(packet.sequenceNumber, this.lastSequence);
      if (d <= 0) {
        this.stats.latePackets++;
        return out;
      }
      if (d > 1) {
        gap = true;
        this.stats.lostPackets += d - 1;
      }
    }
    this.lastSequence = packet.sequenceNumber & 0xffff;
    if (gap) {
      this.dropFragments();
      this.gapBeforeNext = true;
      if (this.pending) this.pending.damaged = true;
    }
    if (packet.payload.length === 0) return out;

    if (this.pending && this.pending.timestamp !== packet.timestamp) this.emit(out);
    // Continuing the pending access unit: a gap just seen was inside it, not before the next one.
    else if (this.pending) this.gapBeforeNext = false;
    const pending = this.pendingFor(packet.timestamp);
    this.readPayload(packet.payload, pending);
    if (packet.marker) this.emit(out);
    return out;
  }

  /** The access unit still pending (no marker seen yet), if any: at the end of a stream. */
  flush(): H264AccessUnit[] {
    const out: H264AccessUnit[] = [];
    if (this.pending) this.emit(out);
    return out;
  }

  private pendingFor(timestamp: number): Pending {
    if (!this.pending) {
      this.pending = { timestamp, nals: [], size: 0, damaged: this.gapBeforeNext, overflow: false };
      this.gapBeforeNext = false;
    }
    return this.pending;
  }

  private emit(out: H264AccessUnit[]): void {
    const p = this.pending;
    if (!p) return;
    if (this.fragments) {
      this.dropFragments();
      p.damaged = true;
    }
    this.pending = undefined;
    if (p.nals.length === 0 && !p.damaged) return;
    out.push({
      timestamp: p.timestamp,
      nals: p.nals,
      keyframe: p.nals.some((n) => (n[0] & NAL_TYPE_MASK) === H264_NAL_IDR),
      damaged: p.damaged,
    });
  }

  private readPayload(payload: Buffer, pending: Pending): void {
    const type = payload[0] & NAL_TYPE_MASK;
    if (type >= 1 && type <= 23) {
      this.addNal(pending, payload);
    } else if (type === H264_RTP_STAP_A) {
      this.readStapA(payload, pending);
    } else if (type === H264_RTP_FU_A) {
      this.readFuA(payload, pending);
    } else {
      this.stats.unsupportedPackets++;
      pending.damaged = true;
    }
  }

  /** | indicator | { size u16 | NAL } ... |  — a bad size drops the rest of the packet. */
  private readStapA(payload: Buffer, pending: Pending): void {
    let at = 1;
    if (payload.length < 1 + STAP_A_NAL_SIZE_FIELD) {
      this.malformed(pending);
      return;
    }
    while (at < payload.length) {
      if (payload.length - at < STAP_A_NAL_SIZE_FIELD) {
        this.malformed(pending);
        return;
      }
      const size = payload.readUInt16BE(at);
      at += STAP_A_NAL_SIZE_FIELD;
      if (size === 0 || size > payload.length - at) {
        this.malformed(pending);
        return;
      }
      this.addNal(pending, payload.subarray(at, at + size));
      at += size;
    }
  }

  /** | indicator | S E R type | fragment | */
  private readFuA(payload: Buffer, pending: Pending): void {
    if (payload.length < 2) {
      this.malformed(pending);
      return;
    }
    const fuHeader = payload[1];
    const fragment = payload.subarray(2);
    if (fuHeader & FU_START) {
      if (this.fragments) {
        this.dropFragments();
        pending.damaged = true;
      }
      this.fragments = {
        header: (payload[0] & NAL_F_NRI_MASK) | (fuHeader & NAL_TYPE_MASK),
        parts: [fragment],
        size: fragment.length,
      };
    } else if (!this.fragments) {
      // A fragment whose start was lost: the NAL unit is gone (counted once, at the start of the loss).
      pending.damaged = true;
      return;
    } else {
      this.fragments.parts.push(fragment);
      this.fragments.size += fragment.length;
      if (this.fragments.size > this.maxAccessUnitSize) {
        this.dropFragments();
        this.overflow(pending);
        return;
      }
    }
    if (fuHeader & FU_END) {
      const f = this.fragments;
      this.fragments = undefined;
      const nal = Buffer.allocUnsafe(1 + f.size);
      nal[0] = f.header;
      let at = 1;
      for (const part of f.parts) {
        part.copy(nal, at);
        at += part.length;
      }
      this.addNal(pending, nal);
    }
  }

  private addNal(pending: Pending, nal: Buffer): void {
    if (pending.overflow) return;
    if (pending.size + nal.length > this.maxAccessUnitSize || pending.nals.length >= this.maxNals) {
      this.overflow(pending);
      return;
    }
    pending.nals.push(nal);
    pending.size += nal.length;
  }

  private overflow(pending: Pending): void {
    if (!pending.overflow) this.stats.oversizedAccessUnits++;
    pending.overflow = true;
    pending.damaged = true;
    pending.nals = [];
    pending.size = 0;
  }

  private malformed(pending: Pending): void {
    this.stats.malformedPackets++;
    pending.damaged = true;
  }

  private dropFragments(): void {
    if (this.fragments) {
      this.fragments = undefined;
      this.stats.droppedFragmentedNals++;
    }
  }
}
