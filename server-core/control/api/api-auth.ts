import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Accepts `Authorization: Bearer <token>` or basic auth with the token as password (any user name). */
export function tokenAuthorizer(token: string): (req: IncomingMessage) => boolean {
  const expected = Buffer.from(token);
  const same = (given: string) => {
    const bytes = Buffer.from(given);
    return bytes.length === expected.length && timingSafeEqual(bytes, expected);
  };
  return (req) => {
    const header = req.headers.authorization ?? '';
    if (header.startsWith('Bearer ')) return same(header.slice(7).trim());
    if (header.startsWith('Basic ')) {
      const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      return colon >= 0 && same(decoded.slice(colon + 1));
    }
    return false;
  };
}

export function isLoopbackHost(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost' || host.startsWith('127.');
}
