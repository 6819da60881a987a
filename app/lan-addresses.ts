import { networkInterfaces } from 'node:os';

/**
 * IPv4 addresses other machines on the LAN can reach, private ranges first (what OBS on another PC or a phone
 * should use). Loopback when there is nothing else.
 */
export function lanAddresses(): string[] {
  const found: string[] = [];
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) found.push(address.address);
    }
  }
  const isPrivate = (ip: string) => /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(ip);
  found.sort((a, b) => Number(isPrivate(b)) - Number(isPrivate(a)));
  return found.length > 0 ? found : ['127.0.0.1'];
}
