import { canonicalHeaderName, LIST_HEADERS } from './header-names.js';

export interface SipHeader {
  /** Canonical spelling (see canonicalHeaderName). */
  name: string;
  value: string;
}

/** RFC 3261 7.1: Method SP Request-URI SP SIP-Version. */
export interface SipRequest {
  kind: 'request';
  method: string;
  uri: string;
  headers: SipHeader[];
  body: Buffer;
}

/** RFC 3261 7.2: SIP-Version SP Status-Code SP Reason-Phrase. */
export interface SipResponse {
  kind: 'response';
  status: number;
  reason: string;
  headers: SipHeader[];
  body: Buffer;
}

export type SipMessage = SipRequest | SipResponse;

export const SIP_VERSION = 'SIP/2.0';

/** The first value of a header (compact or long name), or undefined. */
export function getHeader(message: SipMessage, name: string): string | undefined {
  const canonical = canonicalHeaderName(name);
  for (const h of message.headers) if (h.name === canonical) return h.value;
  return undefined;
}

/**
 * All values of a header in order: several header lines and, for list headers (Via, Contact, ...),
 * comma-separated values within one line, split outside quotes and angle brackets.
 */
export function getHeaders(message: SipMessage, name: string): string[] {
  const canonical = canonicalHeaderName(name);
  const out: string[] = [];
  for (const h of message.headers) {
    if (h.name !== canonical) continue;
    if (LIST_HEADERS.has(canonical)) out.push(...splitList(h.value));
    else out.push(h.value);
  }
  return out;
}

/** Replaces every line of the header with one value (appended when absent). */
export function setHeader(message: SipMessage, name: string, value: string): void {
  const canonical = canonicalHeaderName(name);
  const at = message.headers.findIndex((h) => h.name === canonical);
  removeHeader(message, canonical);
  if (at < 0) message.headers.push({ name: canonical, value });
  else message.headers.splice(at, 0, { name: canonical, value });
}

export function addHeader(message: SipMessage, name: string, value: string): void {
  message.headers.push({ name: canonicalHeaderName(name), value });
}

export function removeHeader(message: SipMessage, name: string): void {
  const canonical = canonicalHeaderName(name);
  message.headers = message.headers.filter((h) => h.name !== canonical);
}

/** Splits a comma-separated header value outside double quotes and <...>. */
export function splitList(value: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (quoted) {
      if (ch === '\\') i++;
      else if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === '<') depth++;
    else if (ch === '>') depth = Math.max(0, depth - 1);
    else if (ch === ',' && depth === 0) {
      parts.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(value.slice(start).trim());
  return parts.filter((p) => p.length > 0);
}
