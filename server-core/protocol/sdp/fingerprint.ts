import { SdpError } from './sdp-error.js';

/** a=fingerprint (RFC 8122 5): `<hash function> <hex bytes separated by ':'>`, e.g. `sha-256 08:AC:...`. */
export interface DtlsFingerprint {
  algorithm: string;
  value: string;
}

export function parseFingerprint(text: string): DtlsFingerprint {
  const m = /^(\S+) ([0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2})*)$/.exec(text);
  if (!m) throw new SdpError('SDP_BAD_ATTRIBUTE', `bad a=fingerprint:${text}`);
  return { algorithm: m[1].toLowerCase(), value: m[2].toUpperCase() };
}

export function formatFingerprint(f: DtlsFingerprint): string {
  return `${f.algorithm} ${f.value}`;
}
