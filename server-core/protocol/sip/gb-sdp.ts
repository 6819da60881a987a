import { SipError } from './sip-error.js';

/**
 * The SDP of GB/T 28181 INVITEs and their answers (RFC 4566 5; GB/T 28181-2016 appendix G, section 9.2):
 *
 *   v=0
 *   o=<id> 0 0 IN IP4 <address>
 *   s=Play | Playback | Download | Talk
 *   u=<channel id>:0            (playback/download)
 *   c=IN IP4 <address>
 *   t=0 0                       (start/stop seconds for playback)
 *   m=video <port> RTP/AVP | TCP/RTP/AVP 96 [98 97]
 *   a=recvonly | sendonly
 *   a=rtpmap:96 PS/90000
 *   a=setup:active | passive    (RFC 4145, TCP media)
 *   a=connection:new
 *   y=<10-digit SSRC>           (GB extension: 1 digit realtime/history, 5 digits domain, 4 digits stream)
 *   f=v/<codec>/<resolution>/<fps>/<rate type>/<kbps>a/<codec>/<kbps>/<sample rate>   (GB extension, may be empty)
 */
export interface GbSdpRtpmap {
  payloadType: number;
  encoding: string;
  clockRate: number;
}

export interface GbSdpMedia {
  type: string;
  port: number;
  /** RTP/AVP (UDP), TCP/RTP/AVP or RTP/AVP/TCP. */
  protocol: string;
  formats: number[];
  rtpmaps: GbSdpRtpmap[];
  direction?: 'recvonly' | 'sendonly' | 'sendrecv' | 'inactive';
  setup?: 'active' | 'passive' | 'actpass';
  connection?: 'new' | 'existing';
  /** Media-level c= address. */
  address?: string;
  /** Other a= lines, in order, as name and optional value. */
  attributes: { name: string; value?: string }[];
}

export interface GbSdp {
  origin: { username: string; sessionId: string; sessionVersion: string; address: string };
  sessionName: string;
  uri?: string;
  /** Session-level c= address. */
  address?: string;
  time: { start: string; stop: string };
  media: GbSdpMedia[];
  /** y=: the SSRC the media sender must use, as written (decimal digits). */
  ssrc?: string;
  /** f=: media format description, '' when present and empty. */
  format?: string;
}

/** An SDP body bigger than this is refused. */
export const MAX_SDP_BYTES = 8 * 1024;
const MAX_SSRC_DIGITS = 10;

export const isTcpMedia = (m: Pick<GbSdpMedia, 'protocol'>) => m.protocol.toUpperCase().includes('TCP');

/** The SSRC of a y= value as a 32-bit number (GB writes it in decimal). */
export function ssrcNumber(ssrc: string): number {
  return Number(ssrc) >>> 0;
}

const bad = (why: string) => new SipError('SDP_INVALID', why);

export function parseGbSdp(body: Buffer | string): GbSdp {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (Buffer.byteLength(text) > MAX_SDP_BYTES) throw new SipError('SIP_TOO_LARGE', `SDP of ${text.length} bytes`);
  let origin: GbSdp['origin'] | undefined;
  let sessionName: string | undefined;
  let version: string | undefined;
  const sdp: Omit<GbSdp, 'origin' | 'sessionName'> = { time: { start: '0', stop: '0' }, media: [] };
  let media: GbSdpMedia | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.length < 2 || line[1] !== '=') throw bad(`line ${JSON.stringify(line.slice(0, 40))}`);
    const key = line[0];
    const value = line.slice(2).trim();
    switch (key) {
      case 'v':
        version = value;
        break;
      case 'o': {
        const f = value.split(/\s+/);
        if (f.length !== 6) throw bad(`o=${value}`);
        origin = { username: f[0], sessionId: f[1], sessionVersion: f[2], address: f[5] };
        break;
      }
      case 's':
        sessionName = value;
        break;
      case 'u':
        sdp.uri = value;
        break;
      case 'c': {
        const f = value.split(/\s+/);
        if (f.length !== 3 || f[0] !== 'IN') throw bad(`c=${value}`);
        const address = f[2].split('/')[0];
        if (media) media.address = address;
        else sdp.address = address;
        break;
      }
      case 't': {
        const f = value.split(/\s+/);
        if (f.length !== 2 || !f.every((x) => /^\d+$/.test(x))) throw bad(`t=${value}`);
        sdp.time = { start: f[0], stop: f[1] };
        break;
      }
      case 'm':
        media = parseMediaLine(value);
        sdp.media.push(media);
        break;
      case 'a':
        if (media) addAttribute(media, value);
        break;
      case 'y':
        if (!new RegExp(`^\\d{1,${MAX_SSRC_DIGITS}}$`).test(value)) throw bad(`y=${value}`);
        sdp.ssrc = value;
        break;
      case 'f':
        sdp.format = value;
        break;
      default:
        break; // b=, i=, e=, k=, ... are not used by GB flows
    }
  }
  if (version !== '0') throw bad(`v=${version}`);
  if (!origin) throw bad('no o= line');
  if (sessionName === undefined) throw bad('no s= line');
  if (sdp.media.length === 0) throw bad('no m= line');
  return { origin, sessionName, ...sdp };
}

function parseMediaLine(value: string): GbSdpMedia {
  const f = value.split(/\s+/);
  if (f.length < 4 || !/^\d{1,5}$/.test(f[1]) || Number(f[1]) > 65535) throw bad(`m=${value}`);
  const formats = f.slice(3).map((x) => {
    if (!/^\d{1,3}$/.test(x) || Number(x) > 127) throw bad(`m= format ${x}`);
    return Number(x);
  });
  return { type: f[0], port: Number(f[1]), protocol: f[2], formats, rtpmaps: [], attributes: [] };
}

function addAttribute(media: GbSdpMedia, value: string): void {
  const colon = value.indexOf(':');
  const name = colon < 0 ? value : value.slice(0, colon);
  const arg = colon < 0 ? undefined : value.slice(colon + 1).trim();
  switch (name) {
    case 'recvonly':
    case 'sendonly':
    case 'sendrecv':
    case 'inactive':
      media.direction = name;
      return;
    case 'rtpmap': {
      const m = /^(\d{1,3})\s+([^/\s]+)\/(\d+)/.exec(arg ?? '');
      if (!m) throw bad(`a=rtpmap:${arg}`);
      media.rtpmaps.push({ payloadType: Number(m[1]), encoding: m[2], clockRate: Number(m[3]) });
      return;
    }
    case 'setup':
      if (arg === 'active' || arg === 'passive' || arg === 'actpass') {
        media.setup = arg;
        return;
      }
      break;
    case 'connection':
      if (arg === 'new' || arg === 'existing') {
        media.connection = arg;
        return;
      }
      break;
  }
  media.attributes.push(arg === undefined ? { name } : { name, value: arg });
}

/** Writes the SDP in the order GB devices expect (y= and f= after the media section). */
export function buildGbSdp(sdp: GbSdp): string {
  const lines = [
    'v=0',
    `o=${sdp.origin.username} ${sdp.origin.sessionId} ${sdp.origin.sessionVersion} IN IP4 ${sdp.origin.address}`,
    `s=${sdp.sessionName}`,
  ];
  if (sdp.uri !== undefined) lines.push(`u=${sdp.uri}`);
  if (sdp.address !== undefined) lines.push(`c=IN IP4 ${sdp.address}`);
  lines.push(`t=${sdp.time.start} ${sdp.time.stop}`);
  for (const m of sdp.media) {
    if (!Number.isInteger(m.port) || m.port < 0 || m.port > 65535) {
      throw new SipError('SIP_BAD_INPUT', `media port ${m.port}`);
    }
    lines.push(`m=${m.type} ${m.port} ${m.protocol} ${m.formats.join(' ')}`);
    if (m.address !== undefined) lines.push(`c=IN IP4 ${m.address}`);
    if (m.direction) lines.push(`a=${m.direction}`);
    for (const r of m.rtpmaps) lines.push(`a=rtpmap:${r.payloadType} ${r.encoding}/${r.clockRate}`);
    if (m.setup) lines.push(`a=setup:${m.setup}`);
    if (m.connection) lines.push(`a=connection:${m.connection}`);
    for (const a of m.attributes) lines.push(a.value === undefined ? `a=${a.name}` : `a=${a.name}:${a.value}`);
  }
  if (sdp.ssrc !== undefined) {
    if (!/^\d{1,10}$/.test(sdp.ssrc)) throw new SipError('SIP_BAD_INPUT', `SSRC ${sdp.ssrc}`);
    lines.push(`y=${sdp.ssrc}`);
  }
  if (sdp.format !== undefined) lines.push(`f=${sdp.format}`);
  return `${lines.join('\r\n')}\r\n`;
}

/** The fields of an f= value (GB/T 28181-2016 appendix G); absent parts are undefined, values kept as text. */
export interface GbMediaFormat {
  video?: { codec: string; resolution: string; frameRate: string; rateType: string; bitrate: string };
  audio?: { codec: string; bitrate: string; sampleRate: string };
}

export function parseGbMediaFormat(format: string): GbMediaFormat {
  const out: GbMediaFormat = {};
  const m = /^(?:v\/([^/]*)\/([^/]*)\/([^/]*)\/([^/]*)\/([^a]*))?(?:a\/([^/]*)\/([^/]*)\/(.*))?$/.exec(format.trim());
  if (!m) throw bad(`f=${format}`);
  if (m[1] !== undefined) out.video = { codec: m[1], resolution: m[2], frameRate: m[3], rateType: m[4], bitrate: m[5] };
  if (m[6] !== undefined) out.audio = { codec: m[6], bitrate: m[7], sampleRate: m[8] };
  return out;
}

/** The SSRC of a realtime (first digit 0) or history (1) stream: <0|1><5-digit domain part><4-digit sequence>. */
export function gbSsrc(history: boolean, domainId: string, sequence: number): string {
  const domain = domainId.replace(/\D/g, '').slice(3, 8).padStart(5, '0');
  return `${history ? 1 : 0}${domain}${String(sequence % 10_000).padStart(4, '0')}`;
}
