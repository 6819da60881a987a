import { type Fmtp, parseFmtp } from './fmtp.js';
import {
  DEFAULT_PROFILE_LEVEL_ID,
  type H264ProfileLevel,
  h264LevelRank,
  h264ProfileClass,
  h264ProfileDecodes,
  parseProfileLevelId,
} from './h264-profile-level-id.js';
import { parseRtcpFeedback, type RtcpFeedback } from './rtcp-fb.js';
import { parseRtpmap, type Rtpmap } from './rtpmap.js';
import { attributeValues } from './sdp-attributes.js';
import { SdpError } from './sdp-error.js';
import type { SdpMediaSection } from './session-description.js';

/** One payload type of a media section, with everything the section says about it. */
export interface OfferedCodec {
  rtpmap: Rtpmap;
  fmtp?: Fmtp;
  feedback: RtcpFeedback[];
}

/** How a chosen H.264 payload type relates to the source's profile. */
export type H264ProfileMatch = 'exact' | 'compatible' | 'none';

export interface H264Choice {
  codec: OfferedCodec;
  profileLevel: H264ProfileLevel;
  match: H264ProfileMatch;
}

/** The payload types of a section in m= line order, with their rtpmap/fmtp/rtcp-fb (RFC 8866 6.6, 6.15). */
export function offeredCodecs(media: SdpMediaSection): OfferedCodec[] {
  const byPt = new Map<number, OfferedCodec>();
  for (const value of attributeValues(media.lines, 'rtpmap')) {
    const rtpmap = parseRtpmap(value);
    byPt.set(rtpmap.payloadType, { rtpmap, feedback: [] });
  }
  for (const value of attributeValues(media.lines, 'fmtp')) {
    const fmtp = parseFmtp(value);
    const codec = byPt.get(fmtp.payloadType);
    if (codec) codec.fmtp = fmtp;
  }
  const wildcard: RtcpFeedback[] = [];
  for (const value of attributeValues(media.lines, 'rtcp-fb')) {
    const fb = parseRtcpFeedback(value);
    if (fb.payloadType === '*') wildcard.push(fb);
    else byPt.get(fb.payloadType)?.feedback.push(fb);
  }
  const out: OfferedCodec[] = [];
  for (const format of media.formats) {
    const codec = byPt.get(Number(format));
    if (!codec || !/^\d+$/.test(format)) continue;
    codec.feedback.push(...wildcard.map((fb) => ({ ...fb, payloadType: codec.rtpmap.payloadType })));
    out.push(codec);
  }
  return out;
}

const isEncoding = (c: OfferedCodec, name: string, clock: number) =>
  c.rtpmap.encoding.toLowerCase() === name && c.rtpmap.clockRate === clock;

/**
 * The H.264 payload type to use: packetization-mode=1 only (RFC 6184 8.1; mode 0 cannot carry FU-A or
 * STAP-A). With a source profile: the same profile first, then one whose decoders must decode it (the
 * smallest such), each preferring a level at or above the source's, nearest first; without a profile, or
 * when none fits, the first mode-1 payload type in the offer's order (the offerer's preference).
 */
export function selectH264(codecs: OfferedCodec[], source?: H264ProfileLevel): H264Choice | undefined {
  const candidates: H264Choice[] = [];
  for (const codec of codecs) {
    if (!isEncoding(codec, 'h264', 90_000)) continue;
    if (codec.fmtp?.parameters.get('packetization-mode') !== '1') continue;
    let profileLevel: H264ProfileLevel;
    try {
      profileLevel = parseProfileLevelId(codec.fmtp.parameters.get('profile-level-id') ?? DEFAULT_PROFILE_LEVEL_ID);
    } catch (error) {
      if (error instanceof SdpError) continue;
      throw error;
    }
    candidates.push({ codec, profileLevel, match: 'none' });
  }
  if (candidates.length === 0) return undefined;
  if (!source) return candidates[0];
  const sourceClass = h264ProfileClass(source);
  const sourceLevel = h264LevelRank(source);
  const scored = candidates.map((c, order) => {
    const cls = h264ProfileClass(c.profileLevel);
    const exact = cls === sourceClass && (cls !== 'other' || c.profileLevel.profileIdc === source.profileIdc);
    const match: H264ProfileMatch = exact ? 'exact' : h264ProfileDecodes(cls, sourceClass) ? 'compatible' : 'none';
    const level = h264LevelRank(c.profileLevel);
    return {
      choice: { ...c, match },
      rank: [
        match === 'exact' ? 0 : match === 'compatible' ? 1 : 2,
        match === 'compatible' ? DECODE_BREADTH[cls] : 0,
        level >= sourceLevel ? 0 : 1,
        Math.abs(level - sourceLevel),
        order,
      ],
    };
  });
  scored.sort((a, b) => compareRanks(a.rank, b.rank));
  return scored[0].choice;
}

/** Fewer decodable profiles = a closer superset of the source's. */
const DECODE_BREADTH: Record<string, number> = {
  'constrained-baseline': 1,
  baseline: 2,
  extended: 3,
  main: 2,
  'constrained-high': 2,
  high: 4,
  'high-10': 5,
  'high-422': 6,
  'high-444': 7,
  other: 99,
};

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** opus/48000/2 (RFC 7587 7), the first one offered. */
export function selectOpus(codecs: OfferedCodec[]): OfferedCodec | undefined {
  return codecs.find((c) => isEncoding(c, 'opus', 48_000) && c.rtpmap.channels === 2);
}
