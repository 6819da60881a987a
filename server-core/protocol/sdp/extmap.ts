import { SdpError } from './sdp-error.js';

/** a=extmap (RFC 8285 8): `<id>[/<direction>] <URI> [<extension attributes>]`. */
export interface Extmap {
  id: number;
  direction?: string;
  uri: string;
  attributes?: string;
}

/** Transport-wide congestion control (draft-holmer-rmcat-transport-wide-cc-extensions). */
export const TWCC_EXTENSION_URI = 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01';
export const MID_EXTENSION_URI = 'urn:ietf:params:rtp-hdrext:sdes:mid';

export function parseExtmap(value: string): Extmap {
  const m = /^(\d{1,3})(?:\/(sendrecv|sendonly|recvonly|inactive))? (\S+)(?: (.+))?$/.exec(value);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > 255) throw new SdpError('SDP_BAD_ATTRIBUTE', `bad a=extmap:${value}`);
  const extmap: Extmap = { id: Number(m[1]), uri: m[3] };
  if (m[2] !== undefined) extmap.direction = m[2];
  if (m[4] !== undefined) extmap.attributes = m[4];
  return extmap;
}

export function formatExtmap(e: Extmap): string {
  return `${e.id}${e.direction ? `/${e.direction}` : ''} ${e.uri}${e.attributes === undefined ? '' : ` ${e.attributes}`}`;
}

/** Any transport-wide-cc header extension, whatever its draft version. */
export function isTwccExtension(uri: string): boolean {
  return uri.includes('transport-wide-cc');
}
