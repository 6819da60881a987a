import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RtcError } from './rtc-error.js';
import {
  ATTR_PRIORITY,
  ATTR_USERNAME,
  ATTR_XOR_MAPPED_ADDRESS,
  parseStunMessage,
  readXorMappedAddress,
  STUN_BINDING_REQUEST,
  serializeStunMessage,
  stunAttribute,
  verifyStunIntegrity,
  xorMappedAddress,
} from './stun-message.js';

/** RFC 5769 2.1: sample request, short-term credential "VOkJxbRl1RmTxUk/WvJxBt", USERNAME "evtj:h6vY". */
const RFC5769_REQUEST = Buffer.from(
  [
    '00010058 2112a442 b7e7a701 bc34d686 fa87dfae 80220010 5354554e 20746573 7420636c 69656e74',
    '00240004 6e0001ff 80290008 932ff9b1 51263b36 00060009 6576746a 3a683676 59202020',
    '00080014 9aeaa70c bfd8cb56 781ef2b5 b2d3f249 c1b571a2 80280004 e57a3bcf',
  ]
    .join('')
    .replace(/ /g, ''),
  'hex',
);

describe('STUN message (RFC 5389)', () => {
  it('parses the RFC 5769 sample request: FINGERPRINT and MESSAGE-INTEGRITY verify', () => {
    const m = parseStunMessage(RFC5769_REQUEST);
    expect(m.type).toBe(STUN_BINDING_REQUEST);
    expect(stunAttribute(m, ATTR_USERNAME)?.toString()).toBe('evtj:h6vY');
    expect(stunAttribute(m, ATTR_PRIORITY)?.readUInt32BE(0)).toBe(0x6e0001ff);
    expect(verifyStunIntegrity(m, 'VOkJxbRl1RmTxUk/WvJxBt')).toBe(true);
    expect(verifyStunIntegrity(m, 'wrong password 1234567')).toBe(false);
  });

  it('rejects a bad FINGERPRINT', () => {
    const bad = Buffer.from(RFC5769_REQUEST);
    bad[bad.length - 1] ^= 1;
    expect(() => parseStunMessage(bad)).toThrow(RtcError);
  });

  it('round-trips with integrity and fingerprint; XOR-MAPPED-ADDRESS v4 and v6', () => {
    const tid = Buffer.from('0123456789ab');
    const v4 = { address: '127.0.0.1', port: 54321, family: 'IPv4' as const };
    const v6 = { address: '2001:db8::1', port: 40000, family: 'IPv6' as const };
    const out = serializeStunMessage(
      0x0101,
      tid,
      [
        { type: ATTR_XOR_MAPPED_ADDRESS, value: xorMappedAddress(v4, tid) },
        { type: ATTR_USERNAME, value: Buffer.from('abc') },
      ],
      { integrityKey: 'secret', fingerprint: true },
    );
    const m = parseStunMessage(out);
    expect(verifyStunIntegrity(m, 'secret')).toBe(true);
    expect(readXorMappedAddress(stunAttribute(m, ATTR_XOR_MAPPED_ADDRESS) as Buffer, tid)).toEqual(v4);
    expect(readXorMappedAddress(xorMappedAddress(v6, tid), tid)).toEqual({ ...v6, address: '2001:db8:0:0:0:0:0:1' });
  });

  it('random and truncated input never crashes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, stunish) => {
        const buf = Buffer.from(bytes);
        if (stunish && buf.length >= 8) {
          buf[0] &= 0x3f;
          buf.writeUInt32BE(0x2112a442, 4);
          buf.writeUInt16BE((buf.length - 20) & ~3 & 0xffff, 2);
        }
        try {
          const m = parseStunMessage(buf);
          verifyStunIntegrity(m, 'key');
        } catch (e) {
          expect(e).toBeInstanceOf(RtcError);
        }
      }),
      { numRuns: 500 },
    );
    for (let n = 0; n < RFC5769_REQUEST.length; n++) {
      expect(() => parseStunMessage(RFC5769_REQUEST.subarray(0, n))).toThrow(RtcError);
    }
  });
});
