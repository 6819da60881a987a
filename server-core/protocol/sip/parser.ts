import { canonicalHeaderName } from './header-names.js';
import { MAX_SIP_BODY_BYTES, MAX_SIP_DATAGRAM_BYTES, MAX_SIP_HEADER_BYTES, MAX_SIP_HEADERS } from './limits.js';
import { SIP_VERSION, type SipHeader, type SipMessage, type SipRequest, type SipResponse } from './message.js';
import { SipError } from './sip-error.js';

/**
 * SIP message syntax (RFC 3261 7, 25.1):
 *
 *   Request-Line = Method SP Request-URI SP SIP-Version CRLF      (7.1)
 *   Status-Line  = SIP-Version SP Status-Code SP Reason-Phrase CRLF (7.2)
 *   *( field-name HCOLON field-value CRLF )   continuation lines start with SP / HT (7.3.1)
 *   CRLF
 *   [ message-body ]   Content-Length octets (20.14)
 *
 * Bare LF line ends are accepted too (some devices send them).
 */
export type SipHead = Omit<SipRequest, 'body'> | Omit<SipResponse, 'body'>;

const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;

/** End of the header block at or after from: where the empty line starts and where the body starts. */
export function findHeaderEnd(buf: Buffer, from = 0): { headerEnd: number; bodyStart: number } | undefined {
  for (let i = buf.indexOf(0x0a, from); i >= 0; i = buf.indexOf(0x0a, i + 1)) {
    // line ends at i; an empty line follows when the next bytes are CRLF or LF
    if (buf[i + 1] === 0x0a) return { headerEnd: i + 1, bodyStart: i + 2 };
    if (buf[i + 1] === 0x0d && buf[i + 2] === 0x0a) return { headerEnd: i + 1, bodyStart: i + 3 };
  }
  return undefined;
}

/** Parses a start line and header lines (text up to, not including, the empty line). */
export function parseSipHead(text: string): SipHead {
  const rawLines = text.split(/\r?\n/);
  while (rawLines.length > 0 && rawLines[rawLines.length - 1] === '') rawLines.pop();
  if (rawLines.length === 0) throw new SipError('SIP_BAD_START_LINE', 'empty message');
  const lines: string[] = [];
  for (const line of rawLines.slice(1)) {
    if ((line.startsWith(' ') || line.startsWith('\t')) && lines.length > 0) {
      lines[lines.length - 1] += ` ${line.trim()}`;
    } else {
      lines.push(line);
    }
  }
  if (lines.length > MAX_SIP_HEADERS) throw new SipError('SIP_TOO_LARGE', `${lines.length} header lines`);
  const headers: SipHeader[] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0)
      throw new SipError('SIP_BAD_HEADER', `header line without name: ${JSON.stringify(line.slice(0, 40))}`);
    const name = line.slice(0, colon).trim();
    if (!TOKEN.test(name)) throw new SipError('SIP_BAD_HEADER', `header name ${JSON.stringify(name.slice(0, 40))}`);
    headers.push({ name: canonicalHeaderName(name), value: line.slice(colon + 1).trim() });
  }
  const start = rawLines[0].trim();
  if (start.startsWith('SIP/')) {
    const m = /^SIP\/2\.0 +(\d{3}) *(.*)$/i.exec(start);
    if (!m) throw new SipError('SIP_BAD_START_LINE', `status line ${JSON.stringify(start.slice(0, 60))}`);
    const status = Number(m[1]);
    if (status < 100 || status > 699) throw new SipError('SIP_BAD_START_LINE', `status ${status}`);
    return { kind: 'response', status, reason: m[2], headers };
  }
  const parts = start.split(/ +/);
  if (parts.length !== 3 || !TOKEN.test(parts[0]) || parts[2].toUpperCase() !== SIP_VERSION || parts[1].length === 0) {
    throw new SipError('SIP_BAD_START_LINE', `request line ${JSON.stringify(start.slice(0, 60))}`);
  }
  return { kind: 'request', method: parts[0].toUpperCase(), uri: parts[1], headers };
}

/** Content-Length of a head (20.14), undefined when absent; bounded by MAX_SIP_BODY_BYTES. */
export function contentLength(head: { headers: SipHeader[] }): number | undefined {
  const h = head.headers.find((x) => x.name === 'Content-Length');
  if (!h) return undefined;
  if (!/^\d{1,9}$/.test(h.value)) throw new SipError('SIP_BAD_HEADER', `Content-Length ${JSON.stringify(h.value)}`);
  const n = Number(h.value);
  if (n > MAX_SIP_BODY_BYTES) throw new SipError('SIP_TOO_LARGE', `Content-Length ${n}`);
  return n;
}

/**
 * One SIP message per UDP datagram (RFC 3261 18.3): the body is Content-Length octets (extra bytes are
 * dropped), or the rest of the datagram when the header is absent. Leading CRLFs are skipped (7.5).
 */
export function parseSipDatagram(datagram: Buffer): SipMessage {
  if (datagram.length > MAX_SIP_DATAGRAM_BYTES)
    throw new SipError('SIP_TOO_LARGE', `datagram of ${datagram.length} bytes`);
  let from = 0;
  while (from < datagram.length && (datagram[from] === 0x0d || datagram[from] === 0x0a)) from++;
  const end = findHeaderEnd(datagram, from);
  const headerEnd = end?.headerEnd ?? datagram.length;
  if (headerEnd - from > MAX_SIP_HEADER_BYTES)
    throw new SipError('SIP_TOO_LARGE', `header of ${headerEnd - from} bytes`);
  const head = parseSipHead(datagram.toString('utf8', from, headerEnd));
  const bodyStart = end?.bodyStart ?? datagram.length;
  const length = contentLength(head);
  const available = datagram.length - bodyStart;
  if (length !== undefined && length > available) {
    throw new SipError('SIP_TRUNCATED', `Content-Length ${length}, ${available} body bytes`);
  }
  const body = Buffer.from(datagram.subarray(bodyStart, bodyStart + (length ?? available)));
  return { ...head, body } as SipMessage;
}
