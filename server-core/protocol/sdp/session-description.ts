import { SdpError } from './sdp-error.js';

/** One SDP line `<type>=<value>` (RFC 8866 5), value kept verbatim. */
export interface SdpLine {
  type: string;
  value: string;
}

/** A media description: its m= line, split, and the lines after it up to the next m=. */
export interface SdpMediaSection {
  kind: string;
  port: number;
  /** The `/<number of ports>` suffix, when present. */
  portCount?: number;
  proto: string;
  formats: string[];
  lines: SdpLine[];
}

export interface SessionDescription {
  /** Session-level lines (v=, o=, s=, t=, a=...), in order. */
  session: SdpLine[];
  media: SdpMediaSection[];
}

/** Bigger than any real offer (a simulcast Chromium offer is ~15 KB). */
export const SDP_MAX_SIZE = 128 * 1024;
export const SDP_MAX_LINES = 4000;
export const SDP_MAX_MEDIA_SECTIONS = 64;
const LINE = /^([a-z])=(.*)$/;

/**
 * SDP (RFC 8866 5): lines `<type>=<value>` separated by CRLF (a bare LF is accepted too), v=0 first,
 * session-level lines up to the first m=, then media sections:
 *
 *   m=<media> <port>[/<count>] <proto> <fmt> ...   (5.14)
 *
 * Every line is kept verbatim, so serializeSdp(parseSdp(x)) === x for CRLF-terminated input.
 */
export function parseSdp(text: string): SessionDescription {
  if (text.length > SDP_MAX_SIZE) throw new SdpError('SDP_TOO_LARGE', `SDP of ${text.length} characters`);
  const rawLines = text.split('\n');
  if (rawLines[rawLines.length - 1] === '') rawLines.pop();
  if (rawLines.length > SDP_MAX_LINES) throw new SdpError('SDP_TOO_LARGE', `SDP of ${rawLines.length} lines`);
  const session: SdpLine[] = [];
  const media: SdpMediaSection[] = [];
  for (const [i, raw] of rawLines.entries()) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const m = LINE.exec(line);
    if (!m) throw new SdpError('SDP_SYNTAX', `line ${i + 1} is not <type>=<value>`);
    const [, type, value] = m;
    if (i === 0 && (type !== 'v' || value !== '0')) throw new SdpError('SDP_SYNTAX', 'SDP does not start with v=0');
    if (type === 'm') {
      if (media.length === SDP_MAX_MEDIA_SECTIONS) throw new SdpError('SDP_TOO_LARGE', 'too many media sections');
      media.push(parseMediaLine(value, i + 1));
    } else if (media.length > 0) {
      media[media.length - 1].lines.push({ type, value });
    } else {
      session.push({ type, value });
    }
  }
  if (session.length === 0) throw new SdpError('SDP_SYNTAX', 'empty SDP');
  return { session, media };
}

function parseMediaLine(value: string, lineNumber: number): SdpMediaSection {
  const parts = value.split(' ');
  const bad = () => new SdpError('SDP_SYNTAX', `line ${lineNumber}: m= needs <media> <port> <proto> <fmt>...`);
  if (parts.length < 4 || parts.some((p) => p === '')) throw bad();
  const [kind, portText, proto, ...formats] = parts;
  const pm = /^(\d{1,5})(?:\/(\d{1,5}))?$/.exec(portText);
  if (!pm || Number(pm[1]) > 0xffff) throw bad();
  const section: SdpMediaSection = { kind, port: Number(pm[1]), proto, formats, lines: [] };
  if (pm[2] !== undefined) section.portCount = Number(pm[2]);
  return section;
}

/** CRLF-terminated lines (RFC 8866 5). */
export function serializeSdp(sdp: SessionDescription): string {
  const out: string[] = [];
  for (const line of sdp.session) out.push(`${line.type}=${line.value}`);
  for (const m of sdp.media) {
    const port = m.portCount === undefined ? `${m.port}` : `${m.port}/${m.portCount}`;
    out.push(`m=${[m.kind, port, m.proto, ...m.formats].join(' ')}`);
    for (const line of m.lines) out.push(`${line.type}=${line.value}`);
  }
  return out.join('\r\n') + '\r\n';
}
