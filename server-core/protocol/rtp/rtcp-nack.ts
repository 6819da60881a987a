import { checkUint32, RTCP_HEADER_SIZE, RTCP_RTPFB, writeRtcpHeader } from './rtcp-header.js';
import { RtpError } from './rtp-error.js';
import { seqAdd, seqDiff } from './sequence-number.js';

/** Generic NACK (RFC 4585 6.2.1), lost sequence numbers expanded from its FCIs. */
export interface RtcpGenericNack {
  type: 'nack';
  senderSsrc: number;
  mediaSsrc: number;
  /** Lost sequence numbers, in the order the FCIs list them, without duplicates. */
  lost: number[];
}

/** One FCI: a packet id and a bitmask of the 16 packets after it. */
export interface NackFci {
  pid: number;
  blp: number;
}

export const RTPFB_FMT_NACK = 1;
/** FCIs we expand from one packet: 17 sequence numbers each, far beyond any real burst. */
export const RTCP_MAX_NACK_FCIS = 1024;
const FEEDBACK_HEADER = 8;

/** Sequence numbers named by FCIs: PID, then PID + i + 1 for each set bit i of BLP (RFC 4585 6.2.1). */
export function nackFcisToSequences(fcis: NackFci[]): number[] {
  const seen = new Set<number>();
  const out: number[] = [];
  const add = (s: number) => {
    if (!seen.has(s)) {
      seen.add(s);
      out.push(s);
    }
  };
  for (const { pid, blp } of fcis) {
    add(pid);
    for (let i = 0; i < 16; i++) if (blp & (1 << i)) add(seqAdd(pid, i + 1));
  }
  return out;
}

/**
 * The fewest FCIs (greedy, which is optimal here) naming exactly the given numbers. The numbers are ordered
 * wrap-aware from the first one, so the list must span less than half the sequence space.
 */
export function sequencesToNackFcis(sequences: number[]): NackFci[] {
  if (sequences.length === 0) return [];
  const ref = sequences[0] & 0xffff;
  const sorted = [...new Set(sequences.map((s) => s & 0xffff))].sort((a, b) => seqDiff(a, ref) - seqDiff(b, ref));
  const fcis: NackFci[] = [];
  let current: NackFci | undefined;
  for (const s of sorted) {
    const d = current ? seqDiff(s, current.pid) : 0;
    if (current && d >= 1 && d <= 16) {
      current.blp |= 1 << (d - 1);
    } else {
      current = { pid: s, blp: 0 };
      fcis.push(current);
    }
  }
  return fcis;
}

/**
 * RTPFB FMT 1 (RFC 4585 6.1, 6.2.1):
 *   | sender SSRC u32 | media SSRC u32 | { PID u16 | BLP u16 } ... |
 */
export function readGenericNack(body: Buffer): RtcpGenericNack {
  if (body.length < FEEDBACK_HEADER) throw new RtpError('RTCP_TRUNCATED', 'NACK without SSRCs');
  const count = Math.floor((body.length - FEEDBACK_HEADER) / 4);
  if (count > RTCP_MAX_NACK_FCIS) throw new RtpError('RTCP_TOO_LARGE', `NACK with ${count} FCIs`);
  const fcis: NackFci[] = [];
  for (let i = 0; i < count; i++) {
    const at = FEEDBACK_HEADER + i * 4;
    fcis.push({ pid: body.readUInt16BE(at), blp: body.readUInt16BE(at + 2) });
  }
  return {
    type: 'nack',
    senderSsrc: body.readUInt32BE(0),
    mediaSsrc: body.readUInt32BE(4),
    lost: nackFcisToSequences(fcis),
  };
}

export function genericNackSize(nack: RtcpGenericNack): number {
  return RTCP_HEADER_SIZE + FEEDBACK_HEADER + sequencesToNackFcis(nack.lost).length * 4;
}

export function writeGenericNack(out: Buffer, at: number, nack: RtcpGenericNack): number {
  checkUint32(nack.senderSsrc, 'sender SSRC');
  checkUint32(nack.mediaSsrc, 'media SSRC');
  const fcis = sequencesToNackFcis(nack.lost);
  const size = RTCP_HEADER_SIZE + FEEDBACK_HEADER + fcis.length * 4;
  writeRtcpHeader(out, at, RTPFB_FMT_NACK, RTCP_RTPFB, size);
  out.writeUInt32BE(nack.senderSsrc, at + 4);
  out.writeUInt32BE(nack.mediaSsrc, at + 8);
  let p = at + RTCP_HEADER_SIZE + FEEDBACK_HEADER;
  for (const { pid, blp } of fcis) {
    out.writeUInt16BE(pid, p);
    out.writeUInt16BE(blp, p + 2);
    p += 4;
  }
  return size;
}
