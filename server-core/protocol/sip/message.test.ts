import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  authorization,
  callId,
  contactHeaders,
  contentType,
  cseqHeader,
  expiresHeader,
  fromHeader,
  maxForwards,
  toHeader,
  topVia,
  viaHeaders,
  wwwAuthenticate,
} from './accessors.js';
import { formatAuthHeader } from './auth-header.js';
import {
  ACK,
  BYE_COMPACT,
  INVITE,
  INVITE_OK,
  INVITE_SDP,
  KEEPALIVE,
  KEEPALIVE_BODY,
  REGISTER,
  REGISTER_AUTH,
  UNAUTHORIZED,
} from './fixtures.js';
import { getHeader, getHeaders, type SipMessage, setHeader } from './message.js';
import { nameAddrUser } from './name-addr.js';
import { parseSipDatagram } from './parser.js';
import { serializeSipMessage } from './serializer.js';
import { SipError } from './sip-error.js';
import { formatSipUri, parseSipUri } from './sip-uri.js';
import { formatVia, parseVia } from './via.js';

const ALL = { REGISTER, UNAUTHORIZED, REGISTER_AUTH, KEEPALIVE, INVITE, INVITE_OK, ACK, BYE_COMPACT };

describe('SIP message parsing (RFC 3261 7)', () => {
  it('reads a camera REGISTER with its typed headers', () => {
    const m = parseSipDatagram(REGISTER);
    expect(m).toMatchObject({ kind: 'request', method: 'REGISTER', uri: 'sip:34020000002000000001@3402000000' });
    expect(topVia(m)).toMatchObject({
      transport: 'UDP',
      host: '192.168.1.64',
      port: 5060,
      branch: 'z9hG4bK1371463273',
      rport: true,
    });
    expect(fromHeader(m).params.get('tag')).toBe('2043466181');
    expect(nameAddrUser(fromHeader(m))).toBe('34020000001320000001');
    expect(toHeader(m).params.has('tag')).toBe(false);
    expect(callId(m)).toBe('1011047669');
    expect(cseqHeader(m)).toEqual({ seq: 1, method: 'REGISTER' });
    const contacts = contactHeaders(m);
    expect(contacts !== '*' && contacts[0].uri).toBe('sip:34020000001320000001@192.168.1.64:5060');
    expect(expiresHeader(m)).toBe(3600);
    expect(maxForwards(m)).toBe(70);
    expect(m.body.length).toBe(0);
  });

  it('reads the 401 challenge and the REGISTER with Authorization', () => {
    const challenge = parseSipDatagram(UNAUTHORIZED);
    expect(challenge).toMatchObject({ kind: 'response', status: 401, reason: 'Unauthorized' });
    expect(topVia(challenge)).toMatchObject({ rport: 5060, received: '192.168.1.64' });
    const www = wwwAuthenticate(challenge)!;
    expect(www.scheme).toBe('Digest');
    expect(Object.fromEntries(www.params)).toEqual({
      realm: '3402000000',
      nonce: '6fe9ba44a76be22a',
      algorithm: 'MD5',
    });
    const auth = authorization(parseSipDatagram(REGISTER_AUTH))!;
    expect(auth.params.get('username')).toBe('34020000001320000001');
    expect(auth.params.get('uri')).toBe('sip:34020000002000000001@3402000000');
    expect(formatAuthHeader(www, 'challenge')).toBe(
      'Digest realm="3402000000", nonce="6fe9ba44a76be22a", algorithm=MD5',
    );
  });

  it('reads a keepalive MESSAGE body by Content-Length, and the INVITE / 200 OK with SDP', () => {
    const keepalive = parseSipDatagram(KEEPALIVE);
    expect(keepalive.body.toString()).toBe(KEEPALIVE_BODY);
    expect(contentType(keepalive)).toBe('application/manscdp+xml');
    const invite = parseSipDatagram(INVITE);
    expect(invite.body.toString()).toBe(INVITE_SDP);
    expect(getHeader(invite, 'subject')).toBe('34020000001320000001:0200000001,34020000002000000001:0');
    const ok = parseSipDatagram(INVITE_OK);
    expect(ok).toMatchObject({ kind: 'response', status: 200 });
    expect(toHeader(ok).params.get('tag')).toBe('1837154563');
  });

  it('expands compact header forms', () => {
    const bye = parseSipDatagram(BYE_COMPACT);
    expect(bye.headers.map((h) => h.name)).toEqual([
      'Via',
      'From',
      'To',
      'Call-ID',
      'CSeq',
      'Max-Forwards',
      'Content-Length',
    ]);
    expect(callId(bye)).toBe('200008805');
    expect(getHeader(bye, 'i')).toBe('200008805');
  });

  it('splits multi-value headers, across lines and commas, and unfolds continuation lines', () => {
    const m = parseSipDatagram(
      Buffer.from(
        'OPTIONS sip:x@y SIP/2.0\r\nVia: SIP/2.0/UDP a:1;branch=z9hG4bK1, SIP/2.0/TCP b;branch=z9hG4bK2\r\n' +
          'Via: SIP/2.0/UDP c:3\r\n ;branch=z9hG4bK3\r\nContact: "A, B" <sip:a@b>, <sip:c@d>;expires=5\r\nSubject: a, b\r\n\r\n',
      ),
    );
    expect(viaHeaders(m).map((v) => [v.host, v.branch])).toEqual([
      ['a', 'z9hG4bK1'],
      ['b', 'z9hG4bK2'],
      ['c', 'z9hG4bK3'],
    ]);
    const contacts = contactHeaders(m);
    expect(contacts !== '*' && contacts.map((c) => [c.displayName, c.uri, c.params.get('expires')])).toEqual([
      ['A, B', 'sip:a@b', undefined],
      [undefined, 'sip:c@d', '5'],
    ]);
    expect(getHeaders(m, 'Subject')).toEqual(['a, b']);
    expect(contactHeaders(parseSipDatagram(Buffer.from('REGISTER sip:a SIP/2.0\r\nContact: *\r\n\r\n')))).toBe('*');
  });

  it('takes the rest of a datagram without Content-Length, drops bytes past it, refuses a short one', () => {
    const noLength = parseSipDatagram(Buffer.from('MESSAGE sip:a@b SIP/2.0\r\nCall-ID: 1\r\n\r\nhello'));
    expect(noLength.body.toString()).toBe('hello');
    const extra = parseSipDatagram(Buffer.from('MESSAGE sip:a@b SIP/2.0\r\nContent-Length: 2\r\n\r\nhello'));
    expect(extra.body.toString()).toBe('he');
    expect(() => parseSipDatagram(Buffer.from('MESSAGE sip:a@b SIP/2.0\r\nl: 9\r\n\r\nhello'))).toThrow(
      expect.objectContaining({ code: 'SIP_TRUNCATED' }),
    );
    const bareLf = parseSipDatagram(Buffer.from('\r\nSIP/2.0 200 OK\nCSeq: 3 MESSAGE\nContent-Length: 1\n\nx'));
    expect(bareLf).toMatchObject({ kind: 'response', status: 200, body: Buffer.from('x') });
  });

  it('rejects bad start lines, header lines and sizes with SipError', () => {
    const bad = [
      'HELLO\r\n\r\n',
      'INVITE sip:a SIP/3.0\r\n\r\n',
      'SIP/2.0 99 Low\r\n\r\n',
      'INVITE sip:a SIP/2.0\r\nno colon here\r\n\r\n',
      'INVITE sip:a SIP/2.0\r\nContent-Length: -1\r\n\r\n',
      `INVITE sip:a SIP/2.0\r\nContent-Length: ${10 ** 7}\r\n\r\n`,
      `INVITE sip:a SIP/2.0\r\n${'X-A: 1\r\n'.repeat(200)}\r\n`,
    ];
    for (const text of bad) expect(() => parseSipDatagram(Buffer.from(text)), text.slice(0, 30)).toThrow(SipError);
  });

  it('round-trips every fixture through serialize and parse', () => {
    for (const [name, bytes] of Object.entries(ALL)) {
      const m = parseSipDatagram(bytes);
      const again = serializeSipMessage(m);
      expect(parseSipDatagram(again), name).toEqual(m);
      expect(again.equals(bytes), name).toBe(!name.includes('COMPACT'));
    }
  });

  it('serializes with a Content-Length that matches the body', () => {
    const m = parseSipDatagram(KEEPALIVE);
    m.body = Buffer.from('<Notify/>');
    setHeader(m, 'Content-Length', '999');
    const text = serializeSipMessage(m).toString();
    expect(text).toContain('Content-Length: 9\r\n\r\n<Notify/>');
  });

  it('property: random and truncated input throws only SipError', () => {
    const fixtures = Object.values(ALL);
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 400 }),
        fc.nat(fixtures.length - 1),
        fc.nat(),
        fc.nat(255),
        (junk, which, cut, flip) => {
          const attempt = (buf: Buffer) => {
            try {
              parseSipDatagram(buf);
            } catch (err) {
              expect(err).toBeInstanceOf(SipError);
            }
          };
          attempt(Buffer.from(junk));
          const f = fixtures[which];
          attempt(f.subarray(0, cut % f.length));
          const bent = Buffer.from(f);
          bent[cut % bent.length] ^= flip;
          attempt(bent);
          attempt(Buffer.concat([f.subarray(0, cut % f.length), Buffer.from(junk)]));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('property: built messages round-trip', () => {
    const token = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,10}$/);
    const value = fc.stringMatching(/^[ -~]{0,30}$/).map((s) => s.trim());
    fc.assert(
      fc.property(
        token,
        fc.array(fc.tuple(token, value), { maxLength: 10 }),
        fc.uint8Array({ maxLength: 100 }),
        (method, headers, body) => {
          const m: SipMessage = {
            kind: 'request',
            method: method.toUpperCase(),
            uri: 'sip:a@b',
            headers: headers
              .filter(([n]) => n.toLowerCase() !== 'content-length' && n.toLowerCase() !== 'l')
              .map(([name, v]) => ({
                name: parseSipDatagram(Buffer.from(`X sip:a SIP/2.0\r\n${name}: 1\r\n\r\n`)).headers[0].name,
                value: v,
              })),
            body: Buffer.from(body),
          };
          const parsed = parseSipDatagram(serializeSipMessage(m));
          expect(parsed.kind === 'request' && parsed.method).toBe(m.method);
          expect(parsed.headers.slice(0, -1)).toEqual(m.headers);
          expect(parsed.body).toEqual(m.body);
        },
      ),
    );
  });
});

describe('header values', () => {
  it('parse and format SIP URIs', () => {
    const uri = parseSipUri('sip:34020000001320000001@192.168.1.64:5060;transport=tcp');
    expect(uri).toMatchObject({ scheme: 'sip', user: '34020000001320000001', host: '192.168.1.64', port: 5060 });
    expect(uri.params.get('transport')).toBe('tcp');
    expect(formatSipUri(uri)).toBe('sip:34020000001320000001@192.168.1.64:5060;transport=tcp');
    expect(parseSipUri('sips:[::1]:5061').host).toBe('[::1]');
    expect(() => parseSipUri('http://x')).toThrow(SipError);
    expect(() => parseSipUri('sip:a@b:99999')).toThrow(SipError);
  });

  it('parse and format Via with branch, received and rport', () => {
    const via = parseVia('SIP/2.0/UDP 192.168.1.64:5060;rport=5061;branch=z9hG4bK1;received=10.0.0.1');
    expect(via).toMatchObject({
      transport: 'UDP',
      host: '192.168.1.64',
      port: 5060,
      rport: 5061,
      branch: 'z9hG4bK1',
      received: '10.0.0.1',
    });
    expect(parseVia(formatVia(via))).toEqual(via);
    expect(() => parseVia('SIP/2.0 host')).toThrow(SipError);
    expect(() => parseVia('SIP/2.0/UDP h;rport=x')).toThrow(SipError);
  });
});
