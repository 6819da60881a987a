import { networkInterfaces } from 'node:os';

const isLoopback = (address: string) =>
  address.startsWith('127.') || address === '::1' || address === '::ffff:127.0.0.1';

/**
 * The IPv4 address we give a device for Via, Contact and the SDP c= line: the configured one, else loopback
 * for a loopback peer, else the local address of its TCP connection, else the first non-internal IPv4 address.
 */
export function announceAddress(configured: string, peerAddress: string, localAddress?: string): string {
  if (configured) return configured;
  const peer = peerAddress.replace(/^::ffff:/, '');
  if (isLoopback(peer)) return '127.0.0.1';
  const local = localAddress?.replace(/^::ffff:/, '');
  if (local && local !== '0.0.0.0' && local !== '::' && !local.includes(':')) return local;
  for (const list of Object.values(networkInterfaces())) {
    for (const item of list ?? []) if (item.family === 'IPv4' && !item.internal) return item.address;
  }
  return '127.0.0.1';
}
