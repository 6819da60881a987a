import { SdpError } from './sdp-error.js';

/** a=rtcp-fb (RFC 4585 4.2): `<pt or *> <type> [<parameter>]`, e.g. `96 nack pli`, `96 ccm fir`. */
export interface RtcpFeedback {
  payloadType: number | '*';
  type: string;
  parameter?: string;
}

export function parseRtcpFeedback(value: string): RtcpFeedback {
  const m = /^(\d{1,3}|\*) +(\S+)(?: +(.+))?$/.exec(value);
  if (!m || (m[1] !== '*' && Number(m[1]) > 127)) throw new SdpError('SDP_BAD_ATTRIBUTE', `bad a=rtcp-fb:${value}`);
  const fb: RtcpFeedback = { payloadType: m[1] === '*' ? '*' : Number(m[1]), type: m[2] };
  if (m[3] !== undefined) fb.parameter = m[3];
  return fb;
}

export function formatRtcpFeedback(fb: RtcpFeedback): string {
  return `${fb.payloadType} ${fb.type}${fb.parameter === undefined ? '' : ` ${fb.parameter}`}`;
}

/** `nack`, `nack pli`, `transport-cc`... as one string. */
export function feedbackName(fb: RtcpFeedback): string {
  return fb.parameter === undefined ? fb.type : `${fb.type} ${fb.parameter}`;
}
