import { formatParams, parseParams, type SipParams } from './params.js';
import { SipError } from './sip-error.js';

/**
 * One Via value (RFC 3261 20.42, 18.2.1; rport RFC 3581):
 *   SIP/2.0/UDP host[:port] *( ;branch=z9hG4bK... / ;received=ip / ;rport[=port] / ;param )
 */
export interface Via {
  transport: string;
  host: string;
  port?: number;
  branch?: string;
  received?: string;
  /** rport: true when present without value (a request asking for it), the port when filled in. */
  rport?: number | true;
  /** All parameters, branch/received/rport included. */
  params: SipParams;
}

/** RFC 3261 8.1.1.7: branches of compliant implementations start with this cookie. */
export const BRANCH_MAGIC_COOKIE = 'z9hG4bK';

export function parseVia(value: string): Via {
  const m = /^\s*SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z]+)\s+([^;\s]+)\s*(.*)$/i.exec(value);
  if (!m) throw new SipError('SIP_BAD_HEADER', `Via ${JSON.stringify(value.slice(0, 60))}`);
  const hp = /^(\[[0-9A-Fa-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(m[2]);
  if (!hp) throw new SipError('SIP_BAD_HEADER', `Via sent-by ${JSON.stringify(m[2].slice(0, 60))}`);
  const params = parseParams(m[3]);
  const via: Via = { transport: m[1].toUpperCase(), host: hp[1], params };
  if (hp[2] !== undefined) via.port = Number(hp[2]);
  const branch = params.get('branch');
  if (branch) via.branch = branch;
  const received = params.get('received');
  if (received) via.received = received;
  const rport = params.get('rport');
  if (rport !== undefined) {
    if (rport === '') via.rport = true;
    else if (/^\d{1,5}$/.test(rport)) via.rport = Number(rport);
    else throw new SipError('SIP_BAD_HEADER', `Via rport ${JSON.stringify(rport)}`);
  }
  return via;
}

export function formatVia(via: Via): string {
  const params: SipParams = new Map(via.params);
  if (via.branch !== undefined) params.set('branch', via.branch);
  if (via.received !== undefined) params.set('received', via.received);
  if (via.rport !== undefined) params.set('rport', via.rport === true ? '' : String(via.rport));
  const port = via.port !== undefined ? `:${via.port}` : '';
  return `SIP/2.0/${via.transport} ${via.host}${port}${formatParams(params)}`;
}
