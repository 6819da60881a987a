import { describe, expect, it } from 'vitest';
import { datagramKind } from './datagram-kind.js';
import { answerBinding, type IceCredentials } from './ice-lite-responder.js';
import {
  ATTR_USE_CANDIDATE,
  ATTR_USERNAME,
  ATTR_XOR_MAPPED_ADDRESS,
  parseStunMessage,
  readXorMappedAddress,
  STUN_BINDING_REQUEST,
  STUN_BINDING_SUCCESS,
  serializeStunMessage,
  stunAttribute,
  verifyStunIntegrity,
} from './stun-message.js';

const owner: IceCredentials = { localUfrag: 'srv1', localPwd: 'serverpassword1234567890', remoteUfrag: 'peer' };
const remote = { address: '127.0.0.1', port: 50000, family: 'IPv4' as const };
const tid = Buffer.from('abcdefghijkl');

function check(username: string, key: string, useCandidate = true): Buffer {
  const attributes = [{ type: ATTR_USERNAME, value: Buffer.from(username) }];
  if (useCandidate) attributes.push({ type: ATTR_USE_CANDIDATE, value: Buffer.alloc(0) });
  return serializeStunMessage(STUN_BINDING_REQUEST, tid, attributes, { integrityKey: key, fingerprint: true });
}

describe('ICE-lite responder (RFC 8445 7.3)', () => {
  const lookup = (ufrag: string) => (ufrag === owner.localUfrag ? owner : undefined);

  it('answers a valid check with XOR-MAPPED-ADDRESS, integrity and fingerprint', () => {
    const verdict = answerBinding(check('srv1:peer', owner.localPwd), remote, lookup);
    expect(verdict.kind).toBe('answer');
    if (verdict.kind !== 'answer') return;
    expect(verdict.useCandidate).toBe(true);
    expect(datagramKind(verdict.response)).toBe('stun');
    const response = parseStunMessage(verdict.response);
    expect(response.type).toBe(STUN_BINDING_SUCCESS);
    expect(response.transactionId.equals(tid)).toBe(true);
    expect(verifyStunIntegrity(response, owner.localPwd)).toBe(true);
    expect(readXorMappedAddress(stunAttribute(response, ATTR_XOR_MAPPED_ADDRESS) as Buffer, tid)).toEqual(remote);
  });

  it('rejects a wrong password, an unknown ufrag and a wrong remote ufrag', () => {
    expect(answerBinding(check('srv1:peer', 'wrongpassword1234567890'), remote, lookup)).toMatchObject({
      kind: 'reject',
      reason: 'MESSAGE-INTEGRITY mismatch',
    });
    expect(answerBinding(check('nope:peer', owner.localPwd), remote, lookup)).toMatchObject({ kind: 'reject' });
    expect(answerBinding(check('srv1:other', owner.localPwd), remote, lookup)).toMatchObject({
      kind: 'reject',
      reason: 'remote ufrag mismatch',
    });
    expect(answerBinding(Buffer.from([0, 1, 0]), remote, lookup)).toMatchObject({ kind: 'reject' });
  });
});

describe('datagramKind (RFC 7983)', () => {
  it('tells STUN, DTLS, RTP and RTCP apart by the first bytes', () => {
    expect(datagramKind(Buffer.from([0x00, 0x01]))).toBe('stun');
    expect(datagramKind(Buffer.from([22, 0xfe]))).toBe('dtls');
    expect(datagramKind(Buffer.from([0x80, 96]))).toBe('rtp');
    expect(datagramKind(Buffer.from([0x80, 200]))).toBe('rtcp');
    expect(datagramKind(Buffer.from([0x81, 206]))).toBe('rtcp');
    expect(datagramKind(Buffer.from([64, 0]))).toBe('unknown');
    expect(datagramKind(Buffer.alloc(0))).toBe('unknown');
  });
});
