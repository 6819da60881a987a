import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAuthHeader, parseAuthHeader } from './auth-header.js';
import { checkNonce, createNonce, digestChallenge, digestCredentials, digestResponse, verifyDigest } from './digest.js';

const SECRET = 'server secret';
const T0 = 1_764_650_000_000;

describe('digest authentication', () => {
  it("matches RFC 2617's worked example (3.5)", () => {
    expect(
      digestResponse({
        username: 'Mufasa',
        password: 'Circle Of Life',
        realm: 'testrealm@host.com',
        nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
        method: 'GET',
        uri: '/dir/index.html',
        qop: 'auth',
        nc: '00000001',
        cnonce: '0a4f113b',
      }),
    ).toBe('6629fae49393a05397450978507c4ef1');
  });

  it('computes the RFC 2069 form without qop', () => {
    // md5sum of "u:r:p" = 44add22b..., of "REGISTER:sip:r", then of "HA1:n:HA2"
    expect(
      digestResponse({ username: 'u', password: 'p', realm: 'r', nonce: 'n', method: 'REGISTER', uri: 'sip:r' }),
    ).toBe('5790559ba44538767b07fb5adb649909');
  });

  it('issues nonces that verify, expire into stale, and refuse forgery', () => {
    const nonce = createNonce(T0, SECRET);
    expect(checkNonce(nonce, T0 + 1000, SECRET)).toBe('valid');
    expect(checkNonce(nonce, T0 + 301_000, SECRET)).toBe('stale');
    expect(checkNonce(nonce, T0, 'other secret')).toBe('invalid');
    expect(checkNonce(nonce, T0 - 60_000, SECRET)).toBe('invalid');
    expect(checkNonce('6fe9ba44a76be22a', T0, SECRET)).toBe('invalid');
    const forged = `${(T0 + 1).toString(16).padStart(12, '0')}${nonce.slice(12)}`;
    expect(checkNonce(forged, T0 + 1000, SECRET)).toBe('invalid');
  });

  for (const qop of [true, false]) {
    it(`round-trips challenge -> device credentials -> verify (${qop ? 'qop=auth' : 'no qop'})`, () => {
      const challenge = digestChallenge({ realm: '3402000000', secret: SECRET, nowMs: T0, qop });
      const wire = formatAuthHeader(challenge, 'challenge');
      expect(wire).toMatch(qop ? /qop="auth"/ : /^Digest realm="3402000000", nonce="[0-9a-f]{44}", algorithm=MD5$/);
      const creds = digestCredentials(parseAuthHeader(wire), {
        username: '34020000001320000001',
        password: '12345678',
        method: 'REGISTER',
        uri: 'sip:34020000002000000001@3402000000',
      });
      const authorization = parseAuthHeader(formatAuthHeader(creds, 'credentials'));
      expect(authorization.params.has('cnonce')).toBe(qop);
      const verify = (password: string, nowMs = T0 + 10) =>
        verifyDigest({ authorization, method: 'REGISTER', realm: '3402000000', password, secret: SECRET, nowMs });
      expect(verify('12345678')).toEqual({ ok: true, username: '34020000001320000001' });
      expect(verify('wrong')).toEqual({ ok: false, reason: 'wrong-response' });
      expect(verify('12345678', T0 + 3_600_000)).toEqual({ ok: false, reason: 'stale-nonce' });
      expect(
        verifyDigest({
          authorization,
          method: 'INVITE',
          realm: '3402000000',
          password: '12345678',
          secret: SECRET,
          nowMs: T0,
        }),
      ).toEqual({ ok: false, reason: 'wrong-response' });
      expect(
        verifyDigest({
          authorization,
          method: 'REGISTER',
          realm: 'other',
          password: () => '12345678',
          secret: SECRET,
          nowMs: T0,
        }),
      ).toEqual({ ok: false, reason: 'wrong-realm' });
    });
  }

  it('refuses foreign nonces, missing fields and other schemes', () => {
    const base = { method: 'REGISTER', realm: 'r', password: 'p', secret: SECRET, nowMs: T0 };
    const foreign = parseAuthHeader('Digest username="u", realm="r", nonce="abc", uri="sip:r", response="00"');
    expect(verifyDigest({ ...base, authorization: foreign })).toEqual({ ok: false, reason: 'bad-nonce' });
    expect(verifyDigest({ ...base, authorization: parseAuthHeader('Digest username="u", realm="r"') })).toEqual({
      ok: false,
      reason: 'missing-field',
    });
    expect(verifyDigest({ ...base, authorization: parseAuthHeader('Basic dXNlcjpwYXNz=') })).toEqual({
      ok: false,
      reason: 'not-digest',
    });
  });

  it('property: a right password verifies, any other does not', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 20 }),
        fc.string({ maxLength: 20 }),
        fc.string({ maxLength: 20 }),
        (user, password, other) => {
          const challenge = digestChallenge({ realm: 'r', secret: SECRET, nowMs: T0 });
          const authorization = parseAuthHeader(
            formatAuthHeader(
              digestCredentials(challenge, { username: user, password, method: 'MESSAGE', uri: 'sip:x@r' }),
              'credentials',
            ),
          );
          const v = (pw: string) =>
            verifyDigest({ authorization, method: 'MESSAGE', realm: 'r', password: pw, secret: SECRET, nowMs: T0 });
          expect(v(password)).toEqual({ ok: true, username: user });
          if (other !== password) expect(v(other).ok).toBe(false);
        },
      ),
    );
  });
});
