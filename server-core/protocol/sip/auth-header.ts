import { quote, splitOutsideQuotes, unquote } from './params.js';
import { SipError } from './sip-error.js';

/**
 * WWW-Authenticate / Authorization values (RFC 3261 20.27, 20.44, 25.1; RFC 2617 3.2.1, 3.2.2):
 *   Digest realm="...", nonce="...", algorithm=MD5, qop="auth"
 *   Digest username="...", realm="...", nonce="...", uri="...", response="...", qop=auth, nc=00000001, cnonce="..."
 * Parameter names are kept lower-case.
 */
export interface AuthHeader {
  scheme: string;
  params: Map<string, string>;
}

export function parseAuthHeader(value: string): AuthHeader {
  const m = /^\s*([A-Za-z0-9\-.!%*_+`'~]+)\s*(.*)$/s.exec(value);
  if (!m) throw new SipError('SIP_BAD_HEADER', `auth header ${JSON.stringify(value.slice(0, 40))}`);
  const params = new Map<string, string>();
  for (const part of splitOutsideQuotes(m[2], ',')) {
    const p = part.trim();
    if (p === '') continue;
    const eq = p.indexOf('=');
    if (eq <= 0) throw new SipError('SIP_BAD_HEADER', `auth parameter ${JSON.stringify(p.slice(0, 40))}`);
    params.set(p.slice(0, eq).trim().toLowerCase(), unquote(p.slice(eq + 1)));
  }
  return { scheme: m[1], params };
}

/** Parameters the RFC writes without quotes; in credentials qop is a token too (RFC 2617 3.2.2). */
const UNQUOTED = new Set(['algorithm', 'nc', 'stale']);

export function formatAuthHeader(header: AuthHeader, kind: 'challenge' | 'credentials'): string {
  const parts: string[] = [];
  for (const [name, value] of header.params) {
    const bare = UNQUOTED.has(name) || (kind === 'credentials' && name === 'qop');
    parts.push(`${name}=${bare ? value : quote(value)}`);
  }
  return `${header.scheme} ${parts.join(', ')}`;
}
