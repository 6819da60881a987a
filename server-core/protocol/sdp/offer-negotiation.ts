import { parseGroup } from './bundle-group.js';
import { type H264ProfileMatch, type OfferedCodec, offeredCodecs, selectH264, selectOpus } from './codec-selection.js';
import { type Extmap, isTwccExtension, parseExtmap } from './extmap.js';
import { type DtlsFingerprint, parseFingerprint } from './fingerprint.js';
import { formatFmtp } from './fmtp.js';
import { formatProfileLevelId, type H264ProfileLevel } from './h264-profile-level-id.js';
import { type MediaDirection, mediaDirection } from './media-direction.js';
import { feedbackName } from './rtcp-fb.js';
import type { Rtpmap } from './rtpmap.js';
import { attributeValue, attributeValues, hasAttribute, mediaOrSessionAttribute } from './sdp-attributes.js';
import { SdpError } from './sdp-error.js';
import { parseSdp, type SdpMediaSection, type SessionDescription } from './session-description.js';
import { parseSsrcAttribute } from './ssrc.js';

/** WHIP: the offerer publishes to us. WHEP: the offerer plays from us. */
export type WebRtcRole = 'whip' | 'whep';

export interface NegotiateOptions {
  role: WebRtcRole;
  /**
   * The source's profile/level (an H264Sps fits): H.264 is chosen to match it, and for WHEP the answer's
   * profile-level-id is the source's.
   */
  sourceProfile?: H264ProfileLevel;
  /** rtcp-fb kept in the answer; default nack and nack pli (never transport-cc: it starves WHIP senders). */
  keepFeedback?: readonly string[];
}

/** One accepted media section: what the answer says for it. */
export interface NegotiatedMedia {
  /** Index of the section in the offer (and the answer). */
  index: number;
  kind: 'audio' | 'video';
  mid?: string;
  payloadType: number;
  rtpmap: Rtpmap;
  /** The answer's a=fmtp parameters for the payload type, if any. */
  fmtp?: string;
  /** The answer's rtcp-fb values for the payload type ('nack', 'nack pli'). */
  feedback: string[];
  /** Offered header extensions minus transport-wide-cc. */
  extensions: Extmap[];
  /** The answer's direction. */
  direction: MediaDirection;
  rtcpReducedSize: boolean;
  /** For H.264: the answer's profile-level-id and how the chosen payload type relates to the source. */
  h264?: { profileLevelId: string; match: H264ProfileMatch | 'no-source' };
  /** SSRCs the offerer declares for this section (a=ssrc), the publisher's for WHIP. */
  remoteSsrcs: number[];
  remoteCname?: string;
}

export interface NegotiatedOffer {
  role: WebRtcRole;
  audio?: NegotiatedMedia;
  video?: NegotiatedMedia;
  /** Per offered section: its negotiation, or the reason it is rejected (port 0 in the answer). */
  sections: ({ accepted: NegotiatedMedia } | { rejected: string })[];
  /** Accepted mids, in the order of the offer's BUNDLE group. */
  bundle: string[];
  remoteIceUfrag: string;
  remoteIcePwd: string;
  remoteFingerprint: DtlsFingerprint;
  /** The offer's a=setup (actpass when absent). */
  remoteSetup: string;
}

export const DEFAULT_KEPT_FEEDBACK: readonly string[] = ['nack', 'nack pli'];
const RTP_PROTO = /^(UDP\/TLS|TCP\/DTLS|UDP\/DTLS)\/RTP\/SAVPF?$/;

/**
 * Checks a WebRTC offer (RFC 8829 5.8, RFC 9725 WHIP / WHEP) and chooses what to answer: the first usable
 * audio section with Opus/48000/2 and the first usable video section with one H.264 packetization-mode=1
 * payload type; other sections are rejected. Every failure is an SdpError whose message is a plain reason
 * for the peer.
 */
export function negotiateOffer(offer: SessionDescription | string, options: NegotiateOptions): NegotiatedOffer {
  const sdp = typeof offer === 'string' ? parseSdp(offer) : offer;
  const keep = options.keepFeedback ?? DEFAULT_KEPT_FEEDBACK;
  const result: Omit<NegotiatedOffer, 'remoteIceUfrag' | 'remoteIcePwd' | 'remoteFingerprint' | 'remoteSetup'> = {
    role: options.role,
    sections: [],
    bundle: [],
  };
  for (const [index, media] of sdp.media.entries()) {
    const verdict = negotiateSection(sdp, media, index, options, keep, result);
    if (typeof verdict === 'string') {
      result.sections.push({ rejected: verdict });
    } else {
      result.sections.push({ accepted: verdict });
      result[verdict.kind] = verdict;
    }
  }
  const accepted = [result.audio, result.video].filter((m): m is NegotiatedMedia => m !== undefined);
  if (accepted.length === 0) {
    const reasons = result.sections.map((s, i) => `section ${i}: ${'rejected' in s ? s.rejected : 'ok'}`);
    throw new SdpError(
      'SDP_NO_USABLE_MEDIA',
      `no audio or video we can use (Opus/48000/2, H.264 packetization-mode=1)${reasons.length ? `; ${reasons.join('; ')}` : ''}`,
    );
  }
  const first = sdp.media[accepted[0].index];
  const ufrag = mediaOrSessionAttribute(sdp, first, 'ice-ufrag');
  const pwd = mediaOrSessionAttribute(sdp, first, 'ice-pwd');
  if (!ufrag) throw new SdpError('SDP_MISSING_ICE', 'the offer has no a=ice-ufrag');
  if (!pwd) throw new SdpError('SDP_MISSING_ICE', 'the offer has no a=ice-pwd');
  const fingerprintText = mediaOrSessionAttribute(sdp, first, 'fingerprint');
  if (!fingerprintText)
    throw new SdpError('SDP_MISSING_FINGERPRINT', 'the offer has no a=fingerprint (DTLS-SRTP is required)');
  for (const m of accepted) {
    if (!hasAttribute(sdp.media[m.index].lines, 'rtcp-mux')) {
      throw new SdpError('SDP_UNSUPPORTED', `the ${m.kind} section has no a=rtcp-mux (RTP and RTCP must share a port)`);
    }
  }
  result.bundle = bundleOf(sdp, accepted);
  return {
    ...result,
    remoteIceUfrag: ufrag,
    remoteIcePwd: pwd,
    remoteFingerprint: parseFingerprint(fingerprintText),
    remoteSetup: mediaOrSessionAttribute(sdp, first, 'setup') ?? 'actpass',
  };
}

function negotiateSection(
  sdp: SessionDescription,
  media: SdpMediaSection,
  index: number,
  options: NegotiateOptions,
  keep: readonly string[],
  soFar: Pick<NegotiatedOffer, 'audio' | 'video'>,
): NegotiatedMedia | string {
  const kind = media.kind;
  if (kind !== 'audio' && kind !== 'video') return `${kind} is not audio or video`;
  if (soFar[kind]) return `a second ${kind} section`;
  if (media.port === 0) return `the ${kind} section is rejected by the offerer (port 0)`;
  if (!RTP_PROTO.test(media.proto)) return `the ${kind} section uses ${media.proto}, not UDP/TLS/RTP/SAVPF`;
  const offered = mediaDirection(media.lines, sdp.session);
  let direction: MediaDirection;
  if (options.role === 'whip') {
    if (offered !== 'sendonly' && offered !== 'sendrecv')
      return `the ${kind} section is ${offered}: a WHIP client must send`;
    direction = 'recvonly';
  } else {
    if (offered !== 'recvonly' && offered !== 'sendrecv')
      return `the ${kind} section is ${offered}: a WHEP client must receive`;
    direction = 'sendonly';
  }
  const codecs = offeredCodecs(media);
  let codec: OfferedCodec;
  let fmtp: string | undefined;
  let h264: NegotiatedMedia['h264'];
  if (kind === 'audio') {
    const opus = selectOpus(codecs);
    if (!opus) return 'the audio section offers no opus/48000/2';
    codec = opus;
    fmtp = opus.fmtp?.config;
  } else {
    const choice = selectH264(codecs, options.sourceProfile);
    if (!choice) return 'the video section offers no H.264 with packetization-mode=1';
    codec = choice.codec;
    const params = new Map(choice.codec.fmtp?.parameters);
    let profileLevelId = formatProfileLevelId(choice.profileLevel);
    // WHEP: we send the source as it is, so we announce its profile-level-id. When no offered profile can
    // decode it, the offered one is kept (a mismatching id makes the browser reject the answer); the caller
    // sees match 'none' and decides.
    if (options.role === 'whep' && options.sourceProfile && choice.match !== 'none') {
      profileLevelId = formatProfileLevelId(options.sourceProfile);
    }
    params.set('profile-level-id', profileLevelId);
    fmtp = formatFmtp(codec.rtpmap.payloadType, orderedH264Parameters(params)).slice(
      `${codec.rtpmap.payloadType} `.length,
    );
    h264 = { profileLevelId, match: options.sourceProfile ? choice.match : 'no-source' };
  }
  const feedback = codec.feedback
    .map(feedbackName)
    .filter((name, i, all) => keep.includes(name) && all.indexOf(name) === i);
  const extensions = attributeValues(media.lines, 'extmap')
    .map(parseExtmap)
    .filter((e) => !isTwccExtension(e.uri));
  const remoteSsrcs: number[] = [];
  let remoteCname: string | undefined;
  for (const value of attributeValues(media.lines, 'ssrc')) {
    const a = parseSsrcAttribute(value);
    if (!remoteSsrcs.includes(a.ssrc)) remoteSsrcs.push(a.ssrc);
    if (a.attribute === 'cname' && remoteCname === undefined) remoteCname = a.value;
  }
  const negotiated: NegotiatedMedia = {
    index,
    kind,
    payloadType: codec.rtpmap.payloadType,
    rtpmap: codec.rtpmap,
    feedback,
    extensions,
    direction,
    rtcpReducedSize: hasAttribute(media.lines, 'rtcp-rsize'),
    remoteSsrcs,
  };
  const mid = attributeValue(media.lines, 'mid');
  if (mid !== undefined) negotiated.mid = mid;
  if (fmtp !== undefined) negotiated.fmtp = fmtp;
  if (h264) negotiated.h264 = h264;
  if (remoteCname !== undefined) negotiated.remoteCname = remoteCname;
  return negotiated;
}

/** The parameters Chromium writes, in its order, then any others. */
function orderedH264Parameters(params: Map<string, string>): [string, string][] {
  const order = ['level-asymmetry-allowed', 'packetization-mode', 'profile-level-id'];
  const out: [string, string][] = [];
  for (const key of order) {
    const v = params.get(key);
    if (v !== undefined) out.push([key, v]);
  }
  for (const [k, v] of params) if (!order.includes(k)) out.push([k, v]);
  return out;
}

/** One transport for everything (ice-lite, one port): several sections must share a BUNDLE group. */
function bundleOf(sdp: SessionDescription, accepted: NegotiatedMedia[]): string[] {
  const groups = attributeValues(sdp.session, 'group')
    .map(parseGroup)
    .filter((g) => g.semantics === 'BUNDLE');
  const mids = accepted.map((m) => m.mid);
  const group = groups.find((g) => mids.every((mid) => mid !== undefined && g.mids.includes(mid)));
  if (!group) {
    if (accepted.length > 1) {
      throw new SdpError(
        'SDP_UNSUPPORTED',
        'audio and video must be in one a=group:BUNDLE (we use a single transport)',
      );
    }
    return [];
  }
  return group.mids.filter((mid) => mids.includes(mid));
}
