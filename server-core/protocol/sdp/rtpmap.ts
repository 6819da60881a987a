import { SdpError } from './sdp-error.js';

/** a=rtpmap (RFC 8866 6.6): `<payload type> <encoding name>/<clock rate>[/<channels>]`. */
export interface Rtpmap {
  payloadType: number;
  encoding: string;
  clockRate: number;
  channels?: number;
}

const RTPMAP = /^(\d{1,3}) ([^/ ]+)\/(\d+)(?:\/(\d+))?$/;

export function parseRtpmap(value: string): Rtpmap {
  const m = RTPMAP.exec(value);
  if (!m || Number(m[1]) > 127) throw new SdpError('SDP_BAD_ATTRIBUTE', `bad a=rtpmap:${value}`);
  const rtpmap: Rtpmap = { payloadType: Number(m[1]), encoding: m[2], clockRate: Number(m[3]) };
  if (m[4] !== undefined) rtpmap.channels = Number(m[4]);
  return rtpmap;
}

export function formatRtpmap(r: Rtpmap): string {
  return `${r.payloadType} ${r.encoding}/${r.clockRate}${r.channels === undefined ? '' : `/${r.channels}`}`;
}
