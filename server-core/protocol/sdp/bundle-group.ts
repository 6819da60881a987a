import { SdpError } from './sdp-error.js';

/** a=group (RFC 5888 5): `<semantics> <mid> ...`; BUNDLE (RFC 8843) puts the media on one transport. */
export interface MediaGroup {
  semantics: string;
  mids: string[];
}

export function parseGroup(text: string): MediaGroup {
  const [semantics, ...mids] = text.split(' ').filter((p) => p !== '');
  if (!semantics) throw new SdpError('SDP_BAD_ATTRIBUTE', `bad a=group:${text}`);
  return { semantics, mids };
}

export function formatGroup(g: MediaGroup): string {
  return [g.semantics, ...g.mids].join(' ');
}
