/**
 * Handshake rejection reasons (draft-sharabayko-srt-01 section 4.3, Table 7). A rejecting handshake carries
 * Handshake Type = 1000 + reason. Reasons 1000..1999 are the access-control codes of Haivision's
 * access-control.md (HTTP-like: 1403 forbidden, 1404 not found...), 2000 and up are free for applications.
 */
export const REJECTION_BASE = 1000;

export const RejectReason = {
  UNKNOWN: 0,
  SYSTEM: 1,
  PEER: 2,
  RESOURCE: 3,
  ROGUE: 4,
  BACKLOG: 5,
  IPE: 6,
  CLOSE: 7,
  VERSION: 8,
  RDVCOOKIE: 9,
  BADSECRET: 10,
  UNSECURE: 11,
  MESSAGEAPI: 12,
  CONGESTION: 13,
  FILTER: 14,
  GROUP: 15,
  TIMEOUT: 16,
  CRYPTO: 17,
} as const;

/** Access-control codes (reason 1000 + HTTP-like status). */
export const AccessReason = {
  BAD_REQUEST: 1400,
  UNAUTHORIZED: 1401,
  OVERLOAD: 1402,
  FORBIDDEN: 1403,
  NOT_FOUND: 1404,
  BAD_MODE: 1405,
  UNACCEPTABLE: 1406,
  CONFLICT: 1409,
  NOTSUP_MEDIA: 1415,
  LOCKED: 1423,
  FAILED_DEPEND: 1424,
  INTERNAL: 1500,
  UNIMPLEMENTED: 1501,
  GATEWAY: 1502,
  DOWN: 1503,
  VERSION: 1505,
  NOROOM: 1507,
} as const;

/** First reason an application may define for itself. */
export const USER_REJECT_BASE = 2000;

export function rejectionHandshakeType(reason: number): number {
  return REJECTION_BASE + reason;
}

/** The reason a rejecting handshake carries, or undefined when the type is not a rejection. */
export function rejectionReason(handshakeType: number): number | undefined {
  return handshakeType >= REJECTION_BASE && handshakeType < 0xfffffff0 ? handshakeType - REJECTION_BASE : undefined;
}
