import { AccessReason } from '../../protocol/srt/index.js';
import type { RefusalCode } from '../session/session-path.js';

/**
 * The SRT rejection reason for a refused publish or play (Haivision access-control.md codes, 1000 + an HTTP-like
 * status): a caller sees why, as `srt-live-transmit` prints it (`REJ_X_FORBIDDEN`...).
 */
export function srtRefusalReason(code: RefusalCode): number {
  switch (code) {
    case 'refused':
      return AccessReason.FORBIDDEN;
    case 'busy':
      return AccessReason.CONFLICT;
    case 'invalid-name':
      return AccessReason.BAD_REQUEST;
    case 'not-found':
      return AccessReason.NOT_FOUND;
    case 'closed':
    case 'gone':
      return AccessReason.DOWN;
  }
}
