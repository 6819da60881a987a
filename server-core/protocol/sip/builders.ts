import { randomBytes } from 'node:crypto';
import { cseqHeader, callId as readCallId, toHeader, topVia } from './accessors.js';
import { getHeader, getHeaders, type SipHeader, type SipRequest, type SipResponse } from './message.js';
import { formatNameAddr, parseNameAddr } from './name-addr.js';
import { reasonPhrase } from './reason-phrases.js';
import { BRANCH_MAGIC_COOKIE, formatVia, parseVia } from './via.js';

/** Source of random bytes; tests pass a deterministic one. */
export type RandomBytes = (size: number) => Buffer;

/** A branch with the RFC 3261 magic cookie (8.1.1.7). */
export function newBranch(random: RandomBytes = randomBytes): string {
  return BRANCH_MAGIC_COOKIE + random(8).toString('hex');
}

/** A From/To tag (19.3): 32 random bits at least. */
export function newTag(random: RandomBytes = randomBytes): string {
  return random(6).toString('hex');
}

/** A Call-ID (8.1.1.4), globally unique by its randomness. */
export function newCallId(random: RandomBytes = randomBytes): string {
  return random(12).toString('hex');
}

export interface ResponseOptions {
  reason?: string;
  /** Added to To when it has none (any final or 101-199 response, 8.2.6.2); never on 100 Trying. */
  toTag?: string;
  headers?: SipHeader[];
  body?: Buffer;
  contentType?: string;
}

/**
 * A response to a request (RFC 3261 8.2.6): Via (all, in order), From, To, Call-ID and CSeq copied;
 * a To tag added to non-100 responses when the request had none.
 */
export function buildResponse(request: SipRequest, status: number, options: ResponseOptions = {}): SipResponse {
  const headers: SipHeader[] = [];
  for (const name of ['Via', 'From', 'To', 'Call-ID', 'CSeq']) {
    for (const h of request.headers) {
      if (h.name !== name) continue;
      let value = h.value;
      if (name === 'To' && status !== 100 && options.toTag !== undefined) {
        const to = parseNameAddr(value);
        if (!to.params.has('tag')) {
          to.params.set('tag', options.toTag);
          value = formatNameAddr(to);
        }
      }
      headers.push({ name, value });
    }
  }
  if (options.contentType !== undefined) headers.push({ name: 'Content-Type', value: options.contentType });
  headers.push(...(options.headers ?? []));
  return {
    kind: 'response',
    status,
    reason: options.reason ?? reasonPhrase(status),
    headers,
    body: options.body ?? Buffer.alloc(0),
  };
}

/**
 * Server side of 18.2.1 / RFC 3581 4: the top Via gets received= when the packet came from another address
 * than its sent-by, and rport=<port> when the client asked for rport. Returns the changed request.
 */
export function stampReceived(request: SipRequest, source: { address: string; port: number }): SipRequest {
  const index = request.headers.findIndex((h) => h.name === 'Via');
  if (index < 0) return request;
  const [first, ...rest] = getHeaders({ ...request, headers: [request.headers[index]] }, 'Via');
  const via = parseVia(first);
  if (via.host !== source.address) via.received = source.address;
  if (via.rport !== undefined) {
    via.rport = source.port;
    via.received = source.address;
  }
  const headers = [...request.headers];
  headers[index] = { name: 'Via', value: [formatVia(via), ...rest].join(', ') };
  return { ...request, headers };
}

export interface AddressInput {
  uri: string;
  displayName?: string;
  tag?: string;
}

export interface RequestOptions {
  method: string;
  uri: string;
  from: AddressInput;
  to: AddressInput;
  via: { transport: 'UDP' | 'TCP'; host: string; port?: number; branch?: string; rport?: boolean };
  cseq: number;
  /** New when omitted. */
  callId?: string;
  maxForwards?: number;
  contact?: string;
  expires?: number;
  contentType?: string;
  headers?: SipHeader[];
  body?: Buffer;
  random?: RandomBytes;
}

const DEFAULT_MAX_FORWARDS = 70;

/** A new request (RFC 3261 8.1.1): a new branch, a From tag (new when not given), Max-Forwards 70. */
export function buildRequest(options: RequestOptions): SipRequest {
  const random = options.random ?? randomBytes;
  const viaParams = new Map<string, string>();
  const via = formatVia({
    transport: options.via.transport,
    host: options.via.host,
    port: options.via.port,
    branch: options.via.branch ?? newBranch(random),
    rport: options.via.rport ? true : undefined,
    params: viaParams,
  });
  const address = (a: AddressInput, tag: string | undefined) => {
    const params = new Map<string, string>();
    if (tag !== undefined) params.set('tag', tag);
    return formatNameAddr({ uri: a.uri, displayName: a.displayName, params });
  };
  const method = options.method.toUpperCase();
  const headers: SipHeader[] = [
    { name: 'Via', value: via },
    { name: 'From', value: address(options.from, options.from.tag ?? newTag(random)) },
    { name: 'To', value: address(options.to, options.to.tag) },
    { name: 'Call-ID', value: options.callId ?? newCallId(random) },
    { name: 'CSeq', value: `${options.cseq} ${method}` },
    { name: 'Max-Forwards', value: String(options.maxForwards ?? DEFAULT_MAX_FORWARDS) },
  ];
  if (options.contact !== undefined) headers.push({ name: 'Contact', value: `<${options.contact}>` });
  if (options.expires !== undefined) headers.push({ name: 'Expires', value: String(options.expires) });
  if (options.contentType !== undefined) headers.push({ name: 'Content-Type', value: options.contentType });
  headers.push(...(options.headers ?? []));
  return { kind: 'request', method, uri: options.uri, headers, body: options.body ?? Buffer.alloc(0) };
}

/**
 * The ACK of a 2xx to an INVITE (RFC 3261 13.2.2.4): its own transaction (new branch), To with the
 * response's tag, CSeq number of the INVITE, Request-URI the response's Contact (or the INVITE's URI).
 */
export function buildAckFor2xx(
  invite: SipRequest,
  response: SipResponse,
  random: RandomBytes = randomBytes,
): SipRequest {
  const via = topVia(invite);
  via.branch = newBranch(random);
  via.params.delete('branch');
  via.params.delete('received');
  const contact = getHeader(response, 'Contact');
  const uri = contact ? parseNameAddr(contact).uri : invite.uri;
  const headers: SipHeader[] = [
    {
      name: 'Via',
      value: formatVia({ ...via, received: undefined, rport: via.rport === undefined ? undefined : true }),
    },
    { name: 'From', value: getHeader(invite, 'From')! },
    { name: 'To', value: formatNameAddr(toHeader(response)) },
    { name: 'Call-ID', value: readCallId(invite) },
    { name: 'CSeq', value: `${cseqHeader(invite).seq} ACK` },
    { name: 'Max-Forwards', value: String(DEFAULT_MAX_FORWARDS) },
  ];
  for (const h of invite.headers) if (h.name === 'Route') headers.push(h);
  return { kind: 'request', method: 'ACK', uri, headers, body: Buffer.alloc(0) };
}
