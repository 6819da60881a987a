import { SdpError } from './sdp-error.js';

/**
 * profile-level-id (RFC 6184 8.1): three bytes in hex, `profile_idc | profile-iop | level_idc`, where
 * profile-iop holds constraint_set0..5 flags as the SPS writes them (ITU-T H.264 7.4.2.1.1). Default 42000A.
 */
export interface H264ProfileLevel {
  profileIdc: number;
  /** constraint_set flags byte (profile-iop). */
  constraintFlags: number;
  levelIdc: number;
}

/** Profiles as RFC 6184 Table 5 and H.264 A.2 tell them apart (Constrained High: A.2.4.2, RFC 7742). */
export type H264ProfileClass =
  | 'constrained-baseline'
  | 'baseline'
  | 'main'
  | 'extended'
  | 'high'
  | 'constrained-high'
  | 'high-10'
  | 'high-422'
  | 'high-444'
  | 'other';

export const DEFAULT_PROFILE_LEVEL_ID = '42000a';
const CS0 = 0x80;
const CS1 = 0x40;
const CS3 = 0x10;
const CS4 = 0x08;
const CS5 = 0x04;

export function parseProfileLevelId(text: string): H264ProfileLevel {
  if (!/^[0-9a-fA-F]{6}$/.test(text)) throw new SdpError('SDP_BAD_ATTRIBUTE', `bad profile-level-id ${text}`);
  const n = Number.parseInt(text, 16);
  return { profileIdc: n >> 16, constraintFlags: (n >> 8) & 0xff, levelIdc: n & 0xff };
}

/** Six lowercase hex digits, as Chromium writes them. */
export function formatProfileLevelId(p: H264ProfileLevel): string {
  return ((p.profileIdc << 16) | (p.constraintFlags << 8) | p.levelIdc).toString(16).padStart(6, '0');
}

export function h264ProfileClass(p: Pick<H264ProfileLevel, 'profileIdc' | 'constraintFlags'>): H264ProfileClass {
  const cs = p.constraintFlags;
  switch (p.profileIdc) {
    case 0x42:
      return cs & CS1 ? 'constrained-baseline' : 'baseline';
    case 0x4d:
      return cs & CS0 ? 'constrained-baseline' : 'main';
    case 0x58:
      if ((cs & (CS0 | CS1)) === (CS0 | CS1)) return 'constrained-baseline';
      return cs & CS0 ? 'baseline' : 'extended';
    case 0x64:
      return (cs & (CS4 | CS5)) === (CS4 | CS5) ? 'constrained-high' : 'high';
    case 0x6e:
      return 'high-10';
    case 0x7a:
      return 'high-422';
    case 0xf4:
      return 'high-444';
    default:
      return 'other';
  }
}

/** Decoders of each profile and what else they must decode (H.264 A.2: each profile's conformance list). */
const DECODES: Record<H264ProfileClass, readonly H264ProfileClass[]> = {
  'constrained-baseline': ['constrained-baseline'],
  baseline: ['baseline', 'constrained-baseline'],
  extended: ['extended', 'baseline', 'constrained-baseline'],
  main: ['main', 'constrained-baseline'],
  'constrained-high': ['constrained-high', 'constrained-baseline'],
  high: ['high', 'constrained-high', 'main', 'constrained-baseline'],
  'high-10': ['high-10', 'high', 'constrained-high', 'main', 'constrained-baseline'],
  'high-422': ['high-422', 'high-10', 'high', 'constrained-high', 'main', 'constrained-baseline'],
  'high-444': ['high-444', 'high-422', 'high-10', 'high', 'constrained-high', 'main', 'constrained-baseline'],
  other: [],
};

/** A decoder of profile `decoder` must decode a stream of profile `stream`. */
export function h264ProfileDecodes(decoder: H264ProfileClass, stream: H264ProfileClass): boolean {
  return DECODES[decoder].includes(stream);
}

/** Level 1b is level_idc 11 with constraint_set3 in Baseline/Main/Extended (A.3.1); as a number, 1b < 1.1. */
export function h264LevelRank(p: H264ProfileLevel): number {
  if (p.levelIdc === 11 && p.constraintFlags & CS3 && [0x42, 0x4d, 0x58].includes(p.profileIdc)) return 10.5;
  if (p.levelIdc === 9) return 10.5;
  return p.levelIdc;
}
