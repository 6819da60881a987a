import { type AuthHeader, parseAuthHeader } from './auth-header.js';
import { type CSeq, parseCSeq } from './cseq.js';
import { getHeader, getHeaders, type SipMessage } from './message.js';
import { type NameAddr, parseNameAddr } from './name-addr.js';
import { SipError } from './sip-error.js';
import { parseVia, type Via } from './via.js';

/**
 * Typed reads of the headers GB/T 28181 flows use. A missing mandatory header (RFC 3261 8.1.1: To, From,
 * CSeq, Call-ID, Max-Forwards, Via) or an unparseable value throws SipError('SIP_BAD_HEADER').
 */
function required(message: SipMessage, name: string): string {
  const value = getHeader(message, name);
  if (value === undefined) throw new SipError('SIP_BAD_HEADER', `no ${name} header`);
  return value;
}

/** All Via values, topmost first. */
export function viaHeaders(message: SipMessage): Via[] {
  const values = getHeaders(message, 'Via');
  if (values.length === 0) throw new SipError('SIP_BAD_HEADER', 'no Via header');
  return values.map(parseVia);
}

export function topVia(message: SipMessage): Via {
  return viaHeaders(message)[0];
}

export function fromHeader(message: SipMessage): NameAddr {
  return parseNameAddr(required(message, 'From'));
}

export function toHeader(message: SipMessage): NameAddr {
  return parseNameAddr(required(message, 'To'));
}

export function callId(message: SipMessage): string {
  const value = required(message, 'Call-ID');
  if (value === '') throw new SipError('SIP_BAD_HEADER', 'empty Call-ID');
  return value;
}

export function cseqHeader(message: SipMessage): CSeq {
  return parseCSeq(required(message, 'CSeq'));
}

/** Contact values; `'*'` for the REGISTER wildcard (10.2.2). Empty when absent. */
export function contactHeaders(message: SipMessage): NameAddr[] | '*' {
  const values = getHeaders(message, 'Contact');
  if (values.length === 1 && values[0] === '*') return '*';
  return values.map(parseNameAddr);
}

/** Expires (20.19) in seconds, undefined when absent. */
export function expiresHeader(message: SipMessage): number | undefined {
  return optionalNumber(message, 'Expires');
}

/** Max-Forwards (20.22), undefined when absent. */
export function maxForwards(message: SipMessage): number | undefined {
  return optionalNumber(message, 'Max-Forwards');
}

export function wwwAuthenticate(message: SipMessage): AuthHeader | undefined {
  const value = getHeader(message, 'WWW-Authenticate');
  return value === undefined ? undefined : parseAuthHeader(value);
}

export function authorization(message: SipMessage): AuthHeader | undefined {
  const value = getHeader(message, 'Authorization');
  return value === undefined ? undefined : parseAuthHeader(value);
}

/** Content-Type without parameters, lower-case (Application/MANSCDP+xml -> application/manscdp+xml). */
export function contentType(message: SipMessage): string | undefined {
  const value = getHeader(message, 'Content-Type');
  return value?.split(';')[0].trim().toLowerCase();
}

function optionalNumber(message: SipMessage, name: string): number | undefined {
  const value = getHeader(message, name);
  if (value === undefined) return undefined;
  if (!/^\d{1,10}$/.test(value.trim())) throw new SipError('SIP_BAD_HEADER', `${name} ${JSON.stringify(value)}`);
  return Number(value.trim());
}
