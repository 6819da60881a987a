import { checkUint32, RTCP_BYE, RTCP_HEADER_SIZE, RTCP_MAX_COUNT, writeRtcpHeader } from './rtcp-header.js';
import { RtpError } from './rtp-error.js';

export interface RtcpBye {
  type: 'bye';
  ssrcs: number[];
  reason?: string;
}

const MAX_REASON_LENGTH = 255;

/** BYE (RFC 3550 6.6), count = sources: | SSRC u32 x count | [length u8 | reason text | zero pad] | */
export function readBye(body: Buffer, count: number): RtcpBye {
  if (body.length < count * 4) throw new RtpError('RTCP_TRUNCATED', `BYE with ${count} sources`);
  const ssrcs: number[] = [];
  for (let i = 0; i < count; i++) ssrcs.push(body.readUInt32BE(i * 4));
  const bye: RtcpBye = { type: 'bye', ssrcs };
  const at = count * 4;
  if (at < body.length) {
    const length = body[at];
    if (body.length - at - 1 < length) throw new RtpError('RTCP_TRUNCATED', `BYE reason of ${length} bytes`);
    bye.reason = body.toString('utf8', at + 1, at + 1 + length);
  }
  return bye;
}

export function byeSize(bye: RtcpBye): number {
  if (bye.ssrcs.length > RTCP_MAX_COUNT) throw new RtpError('RTP_BAD_ARGUMENT', `${bye.ssrcs.length} BYE sources`);
  for (const ssrc of bye.ssrcs) checkUint32(ssrc, 'BYE SSRC');
  let size = RTCP_HEADER_SIZE + bye.ssrcs.length * 4;
  if (bye.reason !== undefined) {
    const n = Buffer.byteLength(bye.reason, 'utf8');
    if (n > MAX_REASON_LENGTH) throw new RtpError('RTP_BAD_ARGUMENT', `BYE reason of ${n} bytes`);
    size += Math.ceil((1 + n) / 4) * 4;
  }
  return size;
}

export function writeBye(out: Buffer, at: number, bye: RtcpBye): number {
  const size = byeSize(bye);
  writeRtcpHeader(out, at, bye.ssrcs.length, RTCP_BYE, size);
  let p = at + RTCP_HEADER_SIZE;
  for (const ssrc of bye.ssrcs) {
    out.writeUInt32BE(ssrc, p);
    p += 4;
  }
  if (bye.reason !== undefined) {
    const n = out.write(bye.reason, p + 1, 'utf8');
    out[p] = n;
    out.fill(0, p + 1 + n, at + size);
  }
  return size;
}
