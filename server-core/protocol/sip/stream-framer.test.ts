import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACK, INVITE, INVITE_OK, KEEPALIVE, REGISTER } from './fixtures.js';
import { MAX_SIP_BODY_BYTES, MAX_SIP_HEADER_BYTES } from './limits.js';
import { parseSipDatagram } from './parser.js';
import { type SipFramerOutput, SipStreamFramer } from './stream-framer.js';

const stream = Buffer.concat([REGISTER, KEEPALIVE, INVITE, Buffer.from('\r\n\r\n'), INVITE_OK, ACK]);
const expected = [REGISTER, KEEPALIVE, INVITE, INVITE_OK, ACK].map((b) => parseSipDatagram(b));

function feed(framer: SipStreamFramer, data: Buffer, cuts: number[]): SipFramerOutput[] {
  const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
  const out: SipFramerOutput[] = [];
  let at = 0;
  for (const p of [...points, data.length]) {
    out.push(...framer.push(data.subarray(at, p)));
    at = p;
  }
  return out;
}

describe('SipStreamFramer (RFC 3261 18.3)', () => {
  it('frames back-to-back messages by Content-Length at any split, with keep-alive pings', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 40 }), (cuts) => {
        const out = feed(new SipStreamFramer(), stream, cuts);
        expect(out.filter((o) => o.type === 'message').map((o) => o.type === 'message' && o.message)).toEqual(expected);
        expect(out.filter((o) => o.type === 'ping')).toHaveLength(1);
        expect(out.some((o) => o.type === 'error')).toBe(false);
      }),
    );
  });

  it('byte by byte', () => {
    const framer = new SipStreamFramer();
    const out: SipFramerOutput[] = [];
    for (let i = 0; i < stream.length; i++) out.push(...framer.push(stream.subarray(i, i + 1)));
    expect(out.filter((o) => o.type === 'message')).toHaveLength(5);
  });

  it('fails once on an oversized header block or body, then outputs nothing', () => {
    const framer = new SipStreamFramer();
    const out = framer.push(Buffer.from(`MESSAGE sip:a SIP/2.0\r\nX: ${'a'.repeat(MAX_SIP_HEADER_BYTES)}`));
    expect(out).toEqual([{ type: 'error', error: expect.objectContaining({ code: 'SIP_TOO_LARGE' }) }]);
    expect(framer.push(REGISTER)).toEqual([]);
    const body = new SipStreamFramer().push(
      Buffer.from(`MESSAGE sip:a SIP/2.0\r\nl: ${MAX_SIP_BODY_BYTES + 1}\r\n\r\n`),
    );
    expect(body).toEqual([{ type: 'error', error: expect.objectContaining({ code: 'SIP_TOO_LARGE' }) }]);
    const garbage = new SipStreamFramer().push(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    expect(garbage[0]).toMatchObject({ type: 'error', error: { code: 'SIP_BAD_START_LINE' } });
  });

  it('property: random bytes give messages or one error, never a throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.array(fc.nat(), { maxLength: 10 }), (junk, cuts) => {
        const out = feed(new SipStreamFramer(), Buffer.concat([REGISTER, Buffer.from(junk)]), cuts);
        expect(out[0]).toMatchObject({ type: 'message' });
        expect(out.filter((o) => o.type === 'error').length).toBeLessThanOrEqual(1);
      }),
    );
  });
});
