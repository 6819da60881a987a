import { formatParams, parseParams, quote, type SipParams, unquote } from './params.js';
import { SipError } from './sip-error.js';
import { parseSipUri, type SipUri } from './sip-uri.js';

/**
 * From / To / Contact value (RFC 3261 20.10, 20.20, 20.39, 25.1):
 *   ( name-addr / addr-spec ) *( SEMI param )       name-addr = [ display-name ] LAQUOT addr-spec RAQUOT
 * Parameters after a bare addr-spec belong to the header (tag, expires), not to the URI.
 */
export interface NameAddr {
  displayName?: string;
  /** The URI text as written. */
  uri: string;
  params: SipParams;
}

export function parseNameAddr(value: string): NameAddr {
  const v = value.trim();
  const lt = indexOutsideQuotes(v, '<');
  let displayName: string | undefined;
  let uri: string;
  let rest: string;
  if (lt >= 0) {
    const gt = v.indexOf('>', lt);
    if (gt < 0) throw new SipError('SIP_BAD_HEADER', `unclosed <> in ${JSON.stringify(v.slice(0, 60))}`);
    const name = unquote(v.slice(0, lt));
    if (name !== '') displayName = name;
    uri = v.slice(lt + 1, gt).trim();
    rest = v.slice(gt + 1);
  } else {
    const semi = v.indexOf(';');
    uri = (semi >= 0 ? v.slice(0, semi) : v).trim();
    rest = semi >= 0 ? v.slice(semi) : '';
  }
  if (uri === '') throw new SipError('SIP_BAD_HEADER', `no URI in ${JSON.stringify(v.slice(0, 60))}`);
  const out: NameAddr = { uri, params: parseParams(rest) };
  if (displayName !== undefined) out.displayName = displayName;
  return out;
}

export function formatNameAddr(addr: NameAddr): string {
  const name = addr.displayName !== undefined ? `${quote(addr.displayName)} ` : '';
  return `${name}<${addr.uri}>${formatParams(addr.params)}`;
}

/** The user part of the URI (a GB/T 28181 device or platform id), if it has one. */
export function nameAddrUser(addr: NameAddr): string | undefined {
  try {
    return parseSipUri(addr.uri).user;
  } catch {
    return undefined;
  }
}

export function nameAddrUri(addr: NameAddr): SipUri {
  return parseSipUri(addr.uri);
}

function indexOutsideQuotes(text: string, ch: string): number {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    if (quoted && text[i] === '\\') i++;
    else if (text[i] === '"') quoted = !quoted;
    else if (!quoted && text[i] === ch) return i;
  }
  return -1;
}
