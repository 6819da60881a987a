import { SipError } from './sip-error.js';

/** CSeq (RFC 3261 20.16): 1*DIGIT LWS Method, the number below 2**31. */
export interface CSeq {
  seq: number;
  method: string;
}

export function parseCSeq(value: string): CSeq {
  const m = /^\s*(\d{1,10})\s+([A-Za-z0-9\-.!%*_+`'~]+)\s*$/.exec(value);
  if (!m || Number(m[1]) >= 2 ** 31) throw new SipError('SIP_BAD_HEADER', `CSeq ${JSON.stringify(value.slice(0, 40))}`);
  return { seq: Number(m[1]), method: m[2].toUpperCase() };
}

export function formatCSeq(cseq: CSeq): string {
  return `${cseq.seq} ${cseq.method}`;
}
