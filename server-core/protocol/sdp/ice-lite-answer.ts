import { formatGroup } from './bundle-group.js';
import { formatCandidate, type IceCandidate } from './candidate.js';
import { formatExtmap } from './extmap.js';
import { type DtlsFingerprint, formatFingerprint } from './fingerprint.js';
import { ICE_PWD, ICE_UFRAG } from './ice-chars.js';
import type { NegotiatedMedia, NegotiatedOffer } from './offer-negotiation.js';
import { formatRtcpFeedback } from './rtcp-fb.js';
import { formatRtpmap } from './rtpmap.js';
import { attributeLine } from './sdp-attributes.js';
import { SdpError } from './sdp-error.js';
import type { SdpLine, SdpMediaSection, SessionDescription } from './session-description.js';
import { formatSsrcAttribute } from './ssrc.js';

/** What we send on a WHEP section: announced so the browser maps the SSRC to a track (RFC 5576, RFC 8830). */
export interface SendSource {
  ssrc: number;
  cname: string;
  streamId: string;
  trackId: string;
}

export interface IceLiteAnswerOptions {
  iceUfrag: string;
  icePwd: string;
  fingerprint: DtlsFingerprint;
  /** Our candidates (host, and the public address if configured); all go into every accepted section. */
  candidates: IceCandidate[];
  /** o= session id: digits, chosen by the caller (random per session). */
  sessionId: string;
  sessionVersion?: number;
  /** WHEP: the source we send per kind. */
  send?: { audio?: SendSource; video?: SendSource };
}

const SESSION_ID = /^\d{1,20}$/;
const TOKEN = /^[!#$%&'*+\-.0-9A-Z^_`a-z{|}~]+$/;

/**
 * The answer of an ICE-lite server (RFC 8839 5.3, RFC 8842 for a=setup, RFC 8843 for BUNDLE): session
 * a=ice-lite and the BUNDLE group of accepted mids; per accepted section, our ICE credentials, fingerprint,
 * setup (passive to an actpass or active offer, active to a passive one), the one chosen payload type with
 * its rtcp-fb and fmtp, the header extensions kept, rtcp-mux, the candidates and end-of-candidates.
 * Rejected sections come back with port 0 and their mid only.
 */
export function buildIceLiteAnswer(
  offer: SessionDescription,
  negotiated: NegotiatedOffer,
  options: IceLiteAnswerOptions,
): SessionDescription {
  checkOptions(options);
  const session: SdpLine[] = [
    { type: 'v', value: '0' },
    { type: 'o', value: `- ${options.sessionId} ${options.sessionVersion ?? 2} IN IP4 127.0.0.1` },
    { type: 's', value: '-' },
    { type: 't', value: '0 0' },
    attributeLine('ice-lite'),
  ];
  if (negotiated.bundle.length > 0)
    session.push(attributeLine('group', formatGroup({ semantics: 'BUNDLE', mids: negotiated.bundle })));
  if (options.send?.audio || options.send?.video) session.push(attributeLine('msid-semantic', ' WMS *'));
  const setup = negotiated.remoteSetup === 'passive' ? 'active' : 'passive';
  const media = offer.media.map((offered, index): SdpMediaSection => {
    const verdict = negotiated.sections[index];
    if (!verdict || 'rejected' in verdict) return rejectedSection(offered);
    return acceptedSection(offered, verdict.accepted, options, setup);
  });
  return { session, media };
}

function rejectedSection(offered: SdpMediaSection): SdpMediaSection {
  const lines: SdpLine[] = [{ type: 'c', value: 'IN IP4 0.0.0.0' }];
  const mid = offered.lines.find((l) => l.type === 'a' && l.value.startsWith('mid:'));
  if (mid) lines.push({ ...mid });
  lines.push(attributeLine('inactive'));
  return { kind: offered.kind, port: 0, proto: offered.proto, formats: offered.formats.slice(0, 1), lines };
}

function acceptedSection(
  offered: SdpMediaSection,
  m: NegotiatedMedia,
  options: IceLiteAnswerOptions,
  setup: string,
): SdpMediaSection {
  const pt = m.payloadType;
  const lines: SdpLine[] = [
    { type: 'c', value: 'IN IP4 0.0.0.0' },
    attributeLine('ice-ufrag', options.iceUfrag),
    attributeLine('ice-pwd', options.icePwd),
    attributeLine('fingerprint', formatFingerprint(options.fingerprint)),
    attributeLine('setup', setup),
  ];
  if (m.mid !== undefined) lines.push(attributeLine('mid', m.mid));
  for (const e of m.extensions) {
    const { direction: _, ...noDirection } = e;
    lines.push(attributeLine('extmap', formatExtmap(noDirection)));
  }
  lines.push(attributeLine(m.direction));
  const source = options.send?.[m.kind];
  if (source) lines.push(attributeLine('msid', `${source.streamId} ${source.trackId}`));
  lines.push(attributeLine('rtcp-mux'));
  if (m.rtcpReducedSize) lines.push(attributeLine('rtcp-rsize'));
  lines.push(attributeLine('rtpmap', formatRtpmap(m.rtpmap)));
  for (const name of m.feedback) {
    const [type, ...rest] = name.split(' ');
    lines.push(
      attributeLine(
        'rtcp-fb',
        formatRtcpFeedback(
          rest.length ? { payloadType: pt, type, parameter: rest.join(' ') } : { payloadType: pt, type },
        ),
      ),
    );
  }
  if (m.fmtp !== undefined) lines.push(attributeLine('fmtp', `${pt} ${m.fmtp}`));
  if (source) {
    lines.push(
      attributeLine('ssrc', formatSsrcAttribute({ ssrc: source.ssrc, attribute: 'cname', value: source.cname })),
    );
    lines.push(
      attributeLine(
        'ssrc',
        formatSsrcAttribute({ ssrc: source.ssrc, attribute: 'msid', value: `${source.streamId} ${source.trackId}` }),
      ),
    );
  }
  for (const c of options.candidates) lines.push(attributeLine('candidate', formatCandidate(c)));
  lines.push(attributeLine('end-of-candidates'));
  return { kind: offered.kind, port: 9, proto: offered.proto, formats: [String(pt)], lines };
}

function checkOptions(o: IceLiteAnswerOptions): void {
  const bad = (what: string) => new SdpError('SDP_BAD_ARGUMENT', what);
  if (!ICE_UFRAG.test(o.iceUfrag)) throw bad('ICE ufrag must be 4..256 ice-chars');
  if (!ICE_PWD.test(o.icePwd)) throw bad('ICE password must be 22..256 ice-chars');
  if (!SESSION_ID.test(o.sessionId)) throw bad('session id must be digits');
  if (!TOKEN.test(o.fingerprint.algorithm) || !/^[0-9A-F]{2}(:[0-9A-F]{2})+$/i.test(o.fingerprint.value))
    throw bad('bad fingerprint');
  for (const c of o.candidates) {
    if (!TOKEN.test(c.foundation) || !/^[^\s]+$/.test(c.address)) throw bad(`bad candidate ${c.address}`);
  }
  for (const s of [o.send?.audio, o.send?.video]) {
    if (!s) continue;
    if (!Number.isInteger(s.ssrc) || s.ssrc < 0 || s.ssrc > 0xffffffff) throw bad(`SSRC ${s.ssrc}`);
    if (!TOKEN.test(s.streamId) || !TOKEN.test(s.trackId) || /\s/.test(s.cname) || s.cname === '')
      throw bad('bad msid or cname');
  }
}
