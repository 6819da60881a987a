import { MAX_SIP_HEADER_BYTES } from './limits.js';
import type { SipMessage } from './message.js';
import { contentLength, findHeaderEnd, parseSipHead } from './parser.js';
import { SipError } from './sip-error.js';

export type SipFramerOutput =
  | { type: 'message'; message: SipMessage }
  /** CRLF CRLF keep-alive ping (RFC 5626 3.5.1): answer with one CRLF. */
  | { type: 'ping' }
  /** The stream cannot be framed any more: the connection should be closed. */
  | { type: 'error'; error: SipError };

/**
 * SIP over a stream transport (RFC 3261 18.3): messages follow each other, each framed by its header block
 * and Content-Length (absent means 0). Bytes arrive in any split. Header block and body are bounded; an
 * unparseable head or a too-big message is an error after which the framer outputs nothing more.
 */
export class SipStreamFramer {
  private pending: Buffer = Buffer.alloc(0);
  private failed = false;
  /** Where the search for the end of the header block resumes. */
  private scanFrom = 0;
  /** CR/LF bytes skipped in a row before a message. */
  private crlf = 0;

  push(chunk: Buffer): SipFramerOutput[] {
    if (this.failed) return [];
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const out: SipFramerOutput[] = [];
    for (;;) {
      // CRLFs between messages are skipped (7.5); CRLF CRLF alone is a keep-alive ping.
      while (this.pending.length > 0 && (this.pending[0] === 0x0d || this.pending[0] === 0x0a)) {
        this.pending = this.pending.subarray(1);
        this.scanFrom = 0;
        if (++this.crlf === 4) {
          out.push({ type: 'ping' });
          this.crlf = 0;
        }
      }
      if (this.pending.length === 0) break;
      this.crlf = 0;
      const end = findHeaderEnd(this.pending, Math.max(0, this.scanFrom - 3));
      if (!end) {
        if (this.pending.length > MAX_SIP_HEADER_BYTES)
          return this.fail(out, new SipError('SIP_TOO_LARGE', 'header block over limit'));
        this.scanFrom = this.pending.length;
        break;
      }
      if (end.headerEnd > MAX_SIP_HEADER_BYTES)
        return this.fail(out, new SipError('SIP_TOO_LARGE', 'header block over limit'));
      let message: SipMessage;
      try {
        const head = parseSipHead(this.pending.toString('utf8', 0, end.headerEnd));
        const length = contentLength(head) ?? 0;
        if (this.pending.length - end.bodyStart < length) break;
        message = {
          ...head,
          body: Buffer.from(this.pending.subarray(end.bodyStart, end.bodyStart + length)),
        } as SipMessage;
        this.pending = this.pending.subarray(end.bodyStart + length);
        this.scanFrom = 0;
      } catch (err) {
        return this.fail(out, err instanceof SipError ? err : new SipError('SIP_BAD_HEADER', String(err)));
      }
      out.push({ type: 'message', message });
    }
    return out;
  }

  private fail(out: SipFramerOutput[], error: SipError): SipFramerOutput[] {
    this.failed = true;
    this.pending = Buffer.alloc(0);
    out.push({ type: 'error', error });
    return out;
  }
}
