import { SdpError } from './sdp-error.js';

/**
 * a=candidate (RFC 8839 5.1):
 *   <foundation> <component> <transport> <priority> <address> <port> typ <type>
 *   [raddr <address>] [rport <port>] *(<extension name> <extension value>)   (tcptype: RFC 6544 4.5)
 */
export interface IceCandidate {
  foundation: string;
  component: number;
  /** 'udp' or 'tcp' (compared case-insensitively, kept as written). */
  transport: string;
  priority: number;
  address: string;
  port: number;
  type: string;
  relatedAddress?: string;
  relatedPort?: number;
  tcpType?: string;
  /** Other name/value pairs (generation, network-id, ufrag...), in order. */
  extensions: [string, string][];
}

export function parseCandidate(value: string): IceCandidate {
  const parts = value.split(' ');
  const bad = () => new SdpError('SDP_BAD_ATTRIBUTE', `bad a=candidate:${value}`);
  if (parts.length < 8 || parts[6] !== 'typ' || parts.length % 2 !== 0) throw bad();
  const [foundation, component, transport, priority, address, port, , type] = parts;
  if (
    !/^\d{1,3}$/.test(component) ||
    !/^\d{1,10}$/.test(priority) ||
    !/^\d{1,5}$/.test(port) ||
    Number(port) > 0xffff
  ) {
    throw bad();
  }
  const c: IceCandidate = {
    foundation,
    component: Number(component),
    transport,
    priority: Number(priority),
    address,
    port: Number(port),
    type,
    extensions: [],
  };
  for (let i = 8; i < parts.length; i += 2) {
    const [name, v] = [parts[i], parts[i + 1]];
    if (name === 'raddr') c.relatedAddress = v;
    else if (name === 'rport') {
      if (!/^\d{1,5}$/.test(v)) throw bad();
      c.relatedPort = Number(v);
    } else if (name === 'tcptype') c.tcpType = v;
    else c.extensions.push([name, v]);
  }
  return c;
}

export function formatCandidate(c: IceCandidate): string {
  const parts = [c.foundation, c.component, c.transport, c.priority, c.address, c.port, 'typ', c.type];
  if (c.relatedAddress !== undefined) parts.push('raddr', c.relatedAddress);
  if (c.relatedPort !== undefined) parts.push('rport', c.relatedPort);
  if (c.tcpType !== undefined) parts.push('tcptype', c.tcpType);
  for (const [name, v] of c.extensions) parts.push(name, v);
  return parts.join(' ');
}
