import { SdpError } from './sdp-error.js';

/**
 * a=fmtp (RFC 8866 6.15): `<format> <format specific parameters>`. For the codecs here the parameters are
 * `key=value` pairs separated by ';' (RFC 6184 8.2.1, RFC 7587 7); keys are case-insensitive, stored
 * lowercase. Anything else (red's `111/111`) is kept in `config` only.
 */
export interface Fmtp {
  payloadType: number;
  /** The parameter text verbatim. */
  config: string;
  parameters: Map<string, string>;
}

export function parseFmtp(value: string): Fmtp {
  const m = /^(\d{1,3}) (.*)$/.exec(value);
  if (!m || Number(m[1]) > 127) throw new SdpError('SDP_BAD_ATTRIBUTE', `bad a=fmtp:${value}`);
  const parameters = new Map<string, string>();
  for (const part of m[2].split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    parameters.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  return { payloadType: Number(m[1]), config: m[2], parameters };
}

/** `<pt> k=v;k=v` from ordered pairs. */
export function formatFmtp(payloadType: number, parameters: Iterable<[string, string]>): string {
  return `${payloadType} ${[...parameters].map(([k, v]) => `${k}=${v}`).join(';')}`;
}
