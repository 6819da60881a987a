import { RtpError } from './rtp-error.js';
import { RTP_FIXED_HEADER_SIZE, RTP_VERSION } from './rtp-packet.js';
import { seqAdd } from './sequence-number.js';

/** A packet of a stream as the fan-out shares it: serialized once, payload never copied per viewer. */
export interface RtpSourcePacket {
  sequenceNumber: number;
  timestamp: number;
  marker: boolean;
  payload: Buffer;
}

export interface RtpHeaderRewriterOptions {
  ssrc: number;
  payloadType: number;
  /** Added to the source sequence number (mod 2^16); a random start per viewer, RFC 3550 5.1. */
  sequenceOffset?: number;
  /** Added to the source timestamp (mod 2^32). */
  timestampOffset?: number;
}

/**
 * Per-viewer RTP header (RFC 3550 5.1) in front of a shared payload: the viewer's own SSRC and payload type,
 * sequence and timestamp shifted by its offsets, no CSRCs, no extension, no padding. 12 bytes:
 *
 *   | V=2 P=0 X=0 CC=0 | M PT | seq + seqOffset | timestamp + tsOffset | SSRC |
 *
 * Writing is a few integer stores; the payload is never touched. continueAt() closes a gap (a viewer that
 * dropped to the next keyframe) so the viewer sees consecutive numbers and does not NACK what it never needed.
 */
export class RtpHeaderRewriter {
  private readonly ssrc: number;
  private readonly payloadType: number;
  private sequenceOffset: number;
  private timestampOffset: number;
  private lastSequence: number | undefined;
  private lastTimestamp: number | undefined;

  constructor(options: RtpHeaderRewriterOptions) {
    const { ssrc, payloadType } = options;
    if (!Number.isInteger(ssrc) || ssrc < 0 || ssrc > 0xffffffff)
      throw new RtpError('RTP_BAD_ARGUMENT', `SSRC ${ssrc}`);
    if (!Number.isInteger(payloadType) || payloadType < 0 || payloadType > 0x7f) {
      throw new RtpError('RTP_BAD_ARGUMENT', `payload type ${payloadType}`);
    }
    this.ssrc = ssrc;
    this.payloadType = payloadType;
    this.sequenceOffset = (options.sequenceOffset ?? 0) & 0xffff;
    this.timestampOffset = (options.timestampOffset ?? 0) >>> 0;
  }

  /** Writes the 12-byte header for src into out at offset; returns 12. */
  writeHeader(src: RtpSourcePacket, out: Buffer, offset = 0): number {
    const seq = (src.sequenceNumber + this.sequenceOffset) & 0xffff;
    const ts = (src.timestamp + this.timestampOffset) >>> 0;
    out[offset] = RTP_VERSION << 6;
    out[offset + 1] = (src.marker ? 0x80 : 0) | this.payloadType;
    out[offset + 2] = seq >> 8;
    out[offset + 3] = seq & 0xff;
    out.writeUInt32BE(ts, offset + 4);
    out.writeUInt32BE(this.ssrc, offset + 8);
    this.lastSequence = seq;
    this.lastTimestamp = ts;
    return RTP_FIXED_HEADER_SIZE;
  }

  /** A fresh 12-byte header for src. */
  header(src: RtpSourcePacket): Buffer {
    const out = Buffer.allocUnsafe(RTP_FIXED_HEADER_SIZE);
    this.writeHeader(src, out, 0);
    return out;
  }

  /** Header and the shared payload, ready for a gather write (writev) or SRTP protect. */
  rewrite(src: RtpSourcePacket): [header: Buffer, payload: Buffer] {
    return [this.header(src), src.payload];
  }

  /**
   * The next packet will be src: give it the sequence number after the last one written. With timestampStep,
   * its timestamp also becomes the last written one plus that step (a new source behind the same viewer).
   */
  continueAt(src: Pick<RtpSourcePacket, 'sequenceNumber' | 'timestamp'>, timestampStep?: number): void {
    if (this.lastSequence === undefined || this.lastTimestamp === undefined) return;
    this.sequenceOffset = (seqAdd(this.lastSequence, 1) - src.sequenceNumber) & 0xffff;
    if (timestampStep !== undefined) {
      this.timestampOffset = (this.lastTimestamp + timestampStep - src.timestamp) >>> 0;
    }
  }

  /** The source sequence number behind an output one (to answer a viewer's NACK from the shared history). */
  sourceSequence(outputSequence: number): number {
    return (outputSequence - this.sequenceOffset) & 0xffff;
  }

  /** Output RTP timestamp a source timestamp maps to (sender reports name the viewer's clock). */
  outputTimestamp(sourceTimestamp: number): number {
    return (sourceTimestamp + this.timestampOffset) >>> 0;
  }

  /** Output sequence number the source number maps to. */
  outputSequence(sourceSequence: number): number {
    return (sourceSequence + this.sequenceOffset) & 0xffff;
  }

  get lastSequenceNumber(): number | undefined {
    return this.lastSequence;
  }

  get lastRtpTimestamp(): number | undefined {
    return this.lastTimestamp;
  }
}
