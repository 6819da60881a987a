import { createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HMAC_PREFIX, HmacSha1Prefixed } from './hmac-sha1-prefixed.js';

describe('HmacSha1Prefixed', () => {
  it('equals createHmac for any key up to 64 bytes and any message', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 2000 }), (key, message) => {
        const buffer = Buffer.concat([randomBytes(HMAC_PREFIX), Buffer.from(message), randomBytes(7)]);
        const tag = new HmacSha1Prefixed(Buffer.from(key)).digest(buffer, HMAC_PREFIX + message.length);
        expect(tag.equals(createHmac('sha1', Buffer.from(key)).update(message).digest())).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the RFC 2202 test case 2 tag', () => {
    const buffer = Buffer.concat([Buffer.alloc(HMAC_PREFIX), Buffer.from('what do ya want for nothing?')]);
    expect(new HmacSha1Prefixed(Buffer.from('Jefe')).digest(buffer, buffer.length).toString('hex')).toBe(
      'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79',
    );
  });
});
