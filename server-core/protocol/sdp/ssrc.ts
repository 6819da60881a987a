import { SdpError } from './sdp-error.js';

/** a=ssrc (RFC 5576 4.1): `<ssrc-id> <attribute>[:<value>]`, e.g. `1806314889 cname:xV6NH81LPgkvIG7d`. */
export interface SsrcAttribute {
  ssrc: number;
  attribute: string;
  value?: string;
}

/** a=ssrc-group (RFC 5576 4.2): `<semantics> <ssrc-id> ...`, e.g. `FID 1806314889 3922261330`. */
export interface SsrcGroup {
  semantics: string;
  ssrcs: number[];
}

export function parseSsrcAttribute(text: string): SsrcAttribute {
  const m = /^(\d{1,10}) ([^:\s]+)(?::(.*))?$/.exec(text);
  if (!m || Number(m[1]) > 0xffffffff) throw new SdpError('SDP_BAD_ATTRIBUTE', `bad a=ssrc:${text}`);
  const a: SsrcAttribute = { ssrc: Number(m[1]), attribute: m[2] };
  if (m[3] !== undefined) a.value = m[3];
  return a;
}

export function formatSsrcAttribute(a: SsrcAttribute): string {
  return `${a.ssrc} ${a.attribute}${a.value === undefined ? '' : `:${a.value}`}`;
}

export function parseSsrcGroup(text: string): SsrcGroup {
  const [semantics, ...ids] = text.split(' ');
  if (!semantics || ids.length === 0 || ids.some((id) => !/^\d{1,10}$/.test(id) || Number(id) > 0xffffffff)) {
    throw new SdpError('SDP_BAD_ATTRIBUTE', `bad a=ssrc-group:${text}`);
  }
  return { semantics, ssrcs: ids.map(Number) };
}

export function formatSsrcGroup(g: SsrcGroup): string {
  return [g.semantics, ...g.ssrcs].join(' ');
}
