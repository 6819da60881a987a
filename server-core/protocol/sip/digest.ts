import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AuthHeader } from './auth-header.js';
import type { RandomBytes } from './builders.js';

/**
 * HTTP Digest authentication as SIP uses it (RFC 2617 3.2, RFC 3261 22.4), MD5 only:
 *   HA1 = MD5(username ":" realm ":" password)            (MD5-sess: MD5(HA1 ":" nonce ":" cnonce))
 *   HA2 = MD5(method ":" digest-uri)
 *   response = MD5(HA1 ":" nonce ":" nc ":" cnonce ":" qop ":" HA2)   with qop=auth
 *            = MD5(HA1 ":" nonce ":" HA2)                                without qop (RFC 2069 compatibility)
 *
 * Our nonces are stateless: hex of issue time (48-bit ms) | 8 random bytes | HMAC-SHA256(secret, both)[0..8],
 * so a server checks them without storing them; they expire after a TTL. Nonce-count replay is not tracked.
 */

/** How long a nonce we issued is accepted (RFC 2617 leaves it to the server). */
export const DEFAULT_NONCE_TTL_MS = 5 * 60_000;
/** Clock difference tolerated for a nonce that seems issued in the future (several server processes). */
const NONCE_FUTURE_SKEW_MS = 5_000;
const NONCE_TIME_BYTES = 6;
const NONCE_RANDOM_BYTES = 8;
const NONCE_MAC_BYTES = 8;
const NONCE_HEX_LENGTH = 2 * (NONCE_TIME_BYTES + NONCE_RANDOM_BYTES + NONCE_MAC_BYTES);

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

function nonceMac(secret: Buffer | string, body: Buffer): Buffer {
  return createHmac('sha256', secret).update(body).digest().subarray(0, NONCE_MAC_BYTES);
}

export function createNonce(nowMs: number, secret: Buffer | string, random: RandomBytes = randomBytes): string {
  const body = Buffer.alloc(NONCE_TIME_BYTES + NONCE_RANDOM_BYTES);
  body.writeUIntBE(Math.max(0, Math.floor(nowMs)) % 2 ** 48, 0, NONCE_TIME_BYTES);
  random(NONCE_RANDOM_BYTES).copy(body, NONCE_TIME_BYTES);
  return Buffer.concat([body, nonceMac(secret, body)]).toString('hex');
}

export type NonceState = 'valid' | 'stale' | 'invalid';

/** 'stale' is a nonce we issued that has expired: the client may retry with a new one (stale=true). */
export function checkNonce(
  nonce: string,
  nowMs: number,
  secret: Buffer | string,
  ttlMs = DEFAULT_NONCE_TTL_MS,
): NonceState {
  if (nonce.length !== NONCE_HEX_LENGTH || !/^[0-9a-f]+$/.test(nonce)) return 'invalid';
  const raw = Buffer.from(nonce, 'hex');
  const body = raw.subarray(0, NONCE_TIME_BYTES + NONCE_RANDOM_BYTES);
  if (!timingSafeEqual(raw.subarray(body.length), nonceMac(secret, body))) return 'invalid';
  const issued = body.readUIntBE(0, NONCE_TIME_BYTES);
  if (issued > nowMs + NONCE_FUTURE_SKEW_MS) return 'invalid';
  return nowMs - issued > ttlMs ? 'stale' : 'valid';
}

export interface DigestChallengeOptions {
  realm: string;
  secret: Buffer | string;
  nowMs: number;
  /** Offer qop="auth" (default true); without it clients answer in the RFC 2069 form. */
  qop?: boolean;
  /** The previous nonce was good but expired (RFC 2617 3.2.1). */
  stale?: boolean;
  random?: RandomBytes;
}

/** The WWW-Authenticate value of a 401 (RFC 3261 22.4): format it with formatAuthHeader(h, 'challenge'). */
export function digestChallenge(options: DigestChallengeOptions): AuthHeader {
  const params = new Map<string, string>([
    ['realm', options.realm],
    ['nonce', createNonce(options.nowMs, options.secret, options.random)],
    ['algorithm', 'MD5'],
  ]);
  if (options.qop ?? true) params.set('qop', 'auth');
  if (options.stale) params.set('stale', 'true');
  return { scheme: 'Digest', params };
}

export interface DigestInput {
  username: string;
  password: string;
  realm: string;
  nonce: string;
  method: string;
  uri: string;
  /** 'auth' or absent (RFC 2069 form). */
  qop?: string;
  /** 8 hex digits, with qop. */
  nc?: string;
  cnonce?: string;
  algorithm?: string;
}

/** The request-digest (RFC 2617 3.2.2.1), lower-case hex. */
export function digestResponse(input: DigestInput): string {
  let ha1 = md5(`${input.username}:${input.realm}:${input.password}`);
  if ((input.algorithm ?? 'MD5').toUpperCase() === 'MD5-SESS') ha1 = md5(`${ha1}:${input.nonce}:${input.cnonce ?? ''}`);
  const ha2 = md5(`${input.method}:${input.uri}`);
  if (input.qop) return md5(`${ha1}:${input.nonce}:${input.nc ?? ''}:${input.cnonce ?? ''}:${input.qop}:${ha2}`);
  return md5(`${ha1}:${input.nonce}:${ha2}`);
}

export type DigestVerdict =
  | { ok: true; username: string }
  | {
      ok: false;
      reason:
        | 'not-digest'
        | 'missing-field'
        | 'wrong-realm'
        | 'unsupported-algorithm'
        | 'unsupported-qop'
        | 'bad-nonce'
        | 'stale-nonce'
        | 'wrong-response';
    };

export interface DigestVerifyOptions {
  authorization: AuthHeader;
  method: string;
  realm: string;
  /** The user's password, or a lookup by the username the client sent (undefined: unknown user). */
  password: string | ((username: string) => string | undefined);
  secret: Buffer | string;
  nowMs: number;
  nonceTtlMs?: number;
}

/** Checks an Authorization value against a nonce we issued (RFC 2617 3.2.2, with and without qop=auth). */
export function verifyDigest(options: DigestVerifyOptions): DigestVerdict {
  const { authorization: auth } = options;
  if (auth.scheme.toLowerCase() !== 'digest') return { ok: false, reason: 'not-digest' };
  const p = (name: string) => auth.params.get(name);
  const username = p('username');
  const nonce = p('nonce');
  const uri = p('uri');
  const response = p('response');
  if (username === undefined || nonce === undefined || uri === undefined || response === undefined) {
    return { ok: false, reason: 'missing-field' };
  }
  if (p('realm') !== options.realm) return { ok: false, reason: 'wrong-realm' };
  const algorithm = p('algorithm') ?? 'MD5';
  if (!['MD5', 'MD5-SESS'].includes(algorithm.toUpperCase())) return { ok: false, reason: 'unsupported-algorithm' };
  const qop = p('qop');
  if (qop !== undefined && qop.toLowerCase() !== 'auth') return { ok: false, reason: 'unsupported-qop' };
  if (qop !== undefined && (p('nc') === undefined || p('cnonce') === undefined))
    return { ok: false, reason: 'missing-field' };
  const state = checkNonce(nonce, options.nowMs, options.secret, options.nonceTtlMs);
  if (state === 'invalid') return { ok: false, reason: 'bad-nonce' };
  const password = typeof options.password === 'string' ? options.password : options.password(username);
  if (password === undefined) return { ok: false, reason: 'wrong-response' };
  const expected = digestResponse({
    username,
    password,
    realm: options.realm,
    nonce,
    method: options.method,
    uri,
    qop: qop?.toLowerCase(),
    nc: p('nc'),
    cnonce: p('cnonce'),
    algorithm,
  });
  const given = Buffer.from(response.toLowerCase());
  if (given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected))) {
    return { ok: false, reason: 'wrong-response' };
  }
  // A right answer to an expired nonce: the client knows the password, but must retry with a fresh one.
  if (state === 'stale') return { ok: false, reason: 'stale-nonce' };
  return { ok: true, username };
}

export interface DigestClientOptions {
  username: string;
  password: string;
  method: string;
  uri: string;
  /** Nonce count of this nonce, from 1. */
  nc?: number;
  /** New random one when omitted. */
  cnonce?: string;
  random?: RandomBytes;
}

/**
 * The Authorization value answering a challenge (client side, the test device): qop=auth when offered,
 * the RFC 2069 form otherwise. Format it with formatAuthHeader(h, 'credentials').
 */
export function digestCredentials(challenge: AuthHeader, options: DigestClientOptions): AuthHeader {
  const realm = challenge.params.get('realm') ?? '';
  const nonce = challenge.params.get('nonce') ?? '';
  const algorithm = challenge.params.get('algorithm');
  const offered = (challenge.params.get('qop') ?? '').split(',').map((q) => q.trim().toLowerCase());
  const qop = offered.includes('auth') ? 'auth' : undefined;
  const nc = qop ? (options.nc ?? 1).toString(16).padStart(8, '0') : undefined;
  const cnonce = qop ? (options.cnonce ?? (options.random ?? randomBytes)(8).toString('hex')) : undefined;
  const response = digestResponse({ ...options, realm, nonce, qop, nc, cnonce, algorithm });
  const params = new Map<string, string>([
    ['username', options.username],
    ['realm', realm],
    ['nonce', nonce],
    ['uri', options.uri],
    ['response', response],
  ]);
  if (algorithm !== undefined) params.set('algorithm', algorithm);
  if (qop) {
    params.set('qop', qop);
    params.set('nc', nc!);
    params.set('cnonce', cnonce!);
  }
  const opaque = challenge.params.get('opaque');
  if (opaque !== undefined) params.set('opaque', opaque);
  return { scheme: 'Digest', params };
}
