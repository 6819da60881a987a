import { cseqHeader, topVia } from './accessors.js';
import { getHeader, type SipRequest, type SipResponse } from './message.js';
import { BRANCH_MAGIC_COOKIE } from './via.js';

/**
 * Which transaction a message belongs to.
 * - Client side (17.1.3): a response matches by its top Via branch and the CSeq method.
 * - Server side (17.2.3): a request matches by branch, sent-by and method, an ACK counting as its INVITE.
 *   Requests without the magic cookie (RFC 2543 peers) match by Request-URI, From tag, Call-ID, CSeq and
 *   top Via instead.
 * Throws SipError for messages without the headers needed.
 */
export function clientTransactionKey(message: SipRequest | SipResponse): string {
  const method = cseqHeader(message).method;
  return `${topVia(message).branch ?? ''}|${method === 'ACK' ? 'INVITE' : method}`;
}

export function serverTransactionKey(request: SipRequest): string {
  const via = topVia(request);
  const method = request.method === 'ACK' ? 'INVITE' : request.method;
  const sentBy = `${via.host.toLowerCase()}:${via.port ?? ''}`;
  if (via.branch?.startsWith(BRANCH_MAGIC_COOKIE)) return `${via.branch}|${sentBy}|${method}`;
  const fromTag = /;\s*tag=([^;\s]+)/i.exec(getHeader(request, 'From') ?? '')?.[1] ?? '';
  const callId = getHeader(request, 'Call-ID') ?? '';
  return `2543|${request.uri}|${fromTag}|${callId}|${cseqHeader(request).seq}|${method}|${sentBy}|${via.branch ?? ''}`;
}
