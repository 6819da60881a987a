import { formatParams, parseParams, type SipParams } from './params.js';
import { SipError } from './sip-error.js';

/**
 * SIP URI (RFC 3261 19.1.1):  sip:user:password@host:port;uri-parameters?headers
 * GB/T 28181 addresses devices as sip:<20-digit device id>@<10-digit domain or IP:port>.
 */
export interface SipUri {
  scheme: 'sip' | 'sips';
  user?: string;
  password?: string;
  /** IPv6 references keep their brackets. */
  host: string;
  port?: number;
  params: SipParams;
  /** The raw ?headers part, without '?'. */
  headers?: string;
}

export function parseSipUri(text: string): SipUri {
  const m = /^(sips?):(.*)$/i.exec(text.trim());
  if (!m) throw new SipError('SIP_BAD_HEADER', `not a SIP URI: ${JSON.stringify(text.slice(0, 60))}`);
  const scheme = m[1].toLowerCase() as 'sip' | 'sips';
  let rest = m[2];
  let headers: string | undefined;
  const q = rest.indexOf('?');
  if (q >= 0) {
    headers = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  let user: string | undefined;
  let password: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    const userinfo = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const colon = userinfo.indexOf(':');
    user = colon >= 0 ? userinfo.slice(0, colon) : userinfo;
    if (colon >= 0) password = userinfo.slice(colon + 1);
  }
  const semi = rest.indexOf(';');
  const hostport = semi >= 0 ? rest.slice(0, semi) : rest;
  const params = parseParams(semi >= 0 ? rest.slice(semi) : '');
  const hp = /^(\[[0-9A-Fa-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(hostport);
  if (!hp) throw new SipError('SIP_BAD_HEADER', `SIP URI host ${JSON.stringify(hostport.slice(0, 60))}`);
  const uri: SipUri = { scheme, host: hp[1], params };
  if (user !== undefined) uri.user = user;
  if (password !== undefined) uri.password = password;
  if (hp[2] !== undefined) {
    const port = Number(hp[2]);
    if (port > 65535) throw new SipError('SIP_BAD_HEADER', `SIP URI port ${port}`);
    uri.port = port;
  }
  if (headers !== undefined) uri.headers = headers;
  return uri;
}

export function formatSipUri(uri: SipUri): string {
  let out = `${uri.scheme}:`;
  if (uri.user !== undefined) out += uri.password !== undefined ? `${uri.user}:${uri.password}@` : `${uri.user}@`;
  out += uri.host;
  if (uri.port !== undefined) out += `:${uri.port}`;
  out += formatParams(uri.params);
  if (uri.headers !== undefined) out += `?${uri.headers}`;
  return out;
}
