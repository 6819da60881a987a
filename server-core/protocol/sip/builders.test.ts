import { describe, expect, it } from 'vitest';
import { callId, cseqHeader, fromHeader, toHeader, topVia, viaHeaders } from './accessors.js';
import { buildAckFor2xx, buildRequest, buildResponse, newBranch, stampReceived } from './builders.js';
import { INVITE, INVITE_OK, REGISTER } from './fixtures.js';
import type { SipMessage, SipRequest, SipResponse } from './message.js';
import { parseSipDatagram } from './parser.js';
import { serializeSipMessage } from './serializer.js';

/** Serialized and parsed back, without the Content-Length the serializer adds. */
const roundTrip = (m: SipMessage) => {
  const parsed = parseSipDatagram(serializeSipMessage(m));
  return { ...parsed, headers: parsed.headers.filter((h) => h.name !== 'Content-Length') };
};

let counter = 0;
const random = (n: number) => Buffer.alloc(n, ++counter);

describe('builders', () => {
  it('build a 200 OK to REGISTER copying Via/From/To/Call-ID/CSeq and adding a To tag', () => {
    const register = parseSipDatagram(REGISTER) as SipRequest;
    const ok = buildResponse(register, 200, {
      toTag: 'srv1',
      headers: [
        { name: 'Expires', value: '3600' },
        { name: 'Date', value: '2026-12-02T04:50:00.000' },
      ],
    });
    expect(ok.reason).toBe('OK');
    expect(ok.headers.map((h) => h.name)).toEqual(['Via', 'From', 'To', 'Call-ID', 'CSeq', 'Expires', 'Date']);
    expect(toHeader(ok).params.get('tag')).toBe('srv1');
    expect(fromHeader(ok).params.get('tag')).toBe('2043466181');
    const trying = buildResponse(register, 100, { toTag: 'srv1' });
    expect(toHeader(trying).params.has('tag')).toBe(false);
    expect(roundTrip(ok)).toEqual(ok);
  });

  it('stamp received and rport on the top Via (RFC 3581)', () => {
    const register = parseSipDatagram(REGISTER) as SipRequest;
    const stamped = stampReceived(register, { address: '10.1.1.5', port: 41234 });
    expect(topVia(stamped)).toMatchObject({ host: '192.168.1.64', received: '10.1.1.5', rport: 41234 });
    expect(topVia(register).rport).toBe(true);
  });

  it('build an INVITE-like request with new branch, From tag and Call-ID', () => {
    const req = buildRequest({
      method: 'invite',
      uri: 'sip:34020000001320000001@3402000000',
      from: { uri: 'sip:34020000002000000001@3402000000' },
      to: { uri: 'sip:34020000001320000001@3402000000' },
      via: { transport: 'TCP', host: '192.168.1.10', port: 5060, rport: true },
      cseq: 20,
      contact: 'sip:34020000002000000001@192.168.1.10:5060',
      contentType: 'APPLICATION/SDP',
      body: Buffer.from('v=0\r\n'),
      random,
    });
    expect(req.method).toBe('INVITE');
    expect(topVia(req).branch).toMatch(/^z9hG4bK[0-9a-f]{16}$/);
    expect(topVia(req).rport).toBe(true);
    expect(fromHeader(req).params.get('tag')).toMatch(/^[0-9a-f]{12}$/);
    expect(toHeader(req).params.has('tag')).toBe(false);
    expect(cseqHeader(req)).toEqual({ seq: 20, method: 'INVITE' });
    expect(callId(req)).toMatch(/^[0-9a-f]{24}$/);
    expect(roundTrip(req)).toEqual(req);
    expect(newBranch()).not.toBe(newBranch());
  });

  it('build the ACK of a 2xx: new branch, the response tag, Contact as Request-URI', () => {
    const invite = parseSipDatagram(INVITE) as SipRequest;
    const ok = parseSipDatagram(INVITE_OK) as SipResponse;
    const ack = buildAckFor2xx(invite, ok, random);
    expect(ack.uri).toBe('sip:34020000001320000001@192.168.1.64:5060');
    expect(cseqHeader(ack)).toEqual({ seq: 20, method: 'ACK' });
    expect(toHeader(ack).params.get('tag')).toBe('1837154563');
    expect(viaHeaders(ack)).toHaveLength(1);
    expect(topVia(ack).branch).not.toBe(topVia(invite).branch);
    expect(callId(ack)).toBe('200008805');
  });
});
