import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The WebSocket subprotocol that carries the token (browsers cannot set headers on a WebSocket). */
export const TOKEN_SUBPROTOCOL_PREFIX = 'tally.token.';
/** The subprotocol the console speaks and the server echoes back. */
export const CONSOLE_SUBPROTOCOL = 'tally.v1';

/** Compares without leaking, through timing, how much of the guess was right. */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  // Unequal lengths still cost a comparison, so the length alone is all that timing can reveal.
  if (a.length !== b.length) {
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}

/** The token a request presents: Bearer, Basic (any user name, the token as password) or the WebSocket subprotocol. */
export function presentedToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization ?? '';
  if (/^bearer /i.test(header)) return header.slice(7).trim();
  if (/^basic /i.test(header)) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : undefined;
  }
  const protocols = req.headers['sec-websocket-protocol'];
  if (typeof protocols === 'string') {
    for (const protocol of protocols.split(',')) {
      const p = protocol.trim();
      if (p.startsWith(TOKEN_SUBPROTOCOL_PREFIX)) {
        return Buffer.from(p.slice(TOKEN_SUBPROTOCOL_PREFIX.length), 'base64url').toString('utf8');
      }
    }
  }
  return undefined;
}

/**
 * The one token check for everything private (API, metrics, console API, console events, reload). `token` is
 * read on every request so a changed token applies at once; an empty token lets everything through (the
 * config refuses that on a non-loopback address).
 */
export function tokenAuthorizer(token: () => string): (req: IncomingMessage) => boolean {
  return (req) => {
    const expected = token();
    if (!expected) return true;
    const given = presentedToken(req);
    return given !== undefined && sameSecret(given, expected);
  };
}

export function isLoopbackHost(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost' || host.startsWith('127.');
}
