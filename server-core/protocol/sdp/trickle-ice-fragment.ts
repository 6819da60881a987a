import { parseCandidate } from './candidate.js';
import { ICE_PWD, ICE_UFRAG } from './ice-chars.js';
import { SdpError } from './sdp-error.js';

/** Media type of a WHIP/WHEP PATCH body (RFC 8840 9.1). */
export const TRICKLE_ICE_SDPFRAG = 'application/trickle-ice-sdpfrag';
/** Larger fragments are refused: a few candidates take a few hundred bytes. */
export const MAX_FRAGMENT_BYTES = 16 * 1024;

/** What a trickle-ice-sdpfrag says (RFC 8840 4.4, RFC 9725 4.3). */
export interface TrickleIceFragment {
  /** The peer's ICE credentials, when it sent them (new ones mean an ICE restart). */
  ufrag?: string;
  pwd?: string;
  /** a=candidate lines (each checked against the candidate grammar). */
  candidates: number;
  endOfCandidates: boolean;
}

const ALLOWED_ATTRIBUTES = new Set(['ice-ufrag', 'ice-pwd', 'ice-options', 'candidate', 'end-of-candidates', 'mid']);

/**
 * Reads a trickle-ice-sdpfrag: a=ice-ufrag/ice-pwd (session level or under an m= line), a=candidate,
 * a=end-of-candidates, a=mid and a=ice-options; the fragment's m= lines only group them. Anything else, or a
 * credential that breaks its grammar, is an SdpError whose message a 400 can carry.
 */
export function parseTrickleIceFragment(text: string): TrickleIceFragment {
  if (Buffer.byteLength(text) > MAX_FRAGMENT_BYTES) {
    throw new SdpError('SDP_TOO_LARGE', `the fragment is larger than ${MAX_FRAGMENT_BYTES} bytes`);
  }
  const fragment: TrickleIceFragment = { candidates: 0, endOfCandidates: false };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('m=')) continue;
    if (!line.startsWith('a='))
      throw new SdpError('SDP_SYNTAX', `a fragment holds a= and m= lines only: "${clip(line)}"`);
    const colon = line.indexOf(':');
    const name = colon < 0 ? line.slice(2) : line.slice(2, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1);
    if (!ALLOWED_ATTRIBUTES.has(name)) {
      throw new SdpError('SDP_UNSUPPORTED', `a=${clip(name)} does not belong in a trickle ICE fragment`);
    }
    if (name === 'ice-ufrag') fragment.ufrag = checked(value, ICE_UFRAG, 'a=ice-ufrag must be 4..256 ice-chars');
    else if (name === 'ice-pwd') fragment.pwd = checked(value, ICE_PWD, 'a=ice-pwd must be 22..256 ice-chars');
    else if (name === 'end-of-candidates') fragment.endOfCandidates = true;
    else if (name === 'candidate') {
      parseCandidate(value);
      fragment.candidates++;
    }
  }
  if ((fragment.ufrag === undefined) !== (fragment.pwd === undefined)) {
    throw new SdpError('SDP_MISSING_ICE', 'a=ice-ufrag and a=ice-pwd come together');
  }
  return fragment;
}

/** The answer to an ICE restart (RFC 9725 4.4.1): our new credentials, and that we are ICE-lite. */
export function formatIceRestartFragment(ufrag: string, pwd: string): string {
  return `a=ice-lite\r\na=ice-ufrag:${ufrag}\r\na=ice-pwd:${pwd}\r\n`;
}

function checked(value: string, grammar: RegExp, reason: string): string {
  if (!grammar.test(value)) throw new SdpError('SDP_BAD_ATTRIBUTE', reason);
  return value;
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
