import type { SdpLine } from './session-description.js';

/** RFC 8866 6.7: a=sendrecv (the default), a=sendonly, a=recvonly, a=inactive. */
export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

const DIRECTIONS: readonly MediaDirection[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];

/** The section's direction, else the session's, else sendrecv. */
export function mediaDirection(media: SdpLine[], session: SdpLine[] = []): MediaDirection {
  for (const lines of [media, session]) {
    for (const line of lines) {
      if (line.type === 'a' && (DIRECTIONS as readonly string[]).includes(line.value))
        return line.value as MediaDirection;
    }
  }
  return 'sendrecv';
}

/** What the answerer says for an offered direction when it takes the other end of it (RFC 3264 6.1). */
export function reverseDirection(d: MediaDirection): MediaDirection {
  if (d === 'sendonly') return 'recvonly';
  if (d === 'recvonly') return 'sendonly';
  return d;
}
