import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RtpHeader, SrtcpSession, SrtpSession } from 'werift-rtp';
import { serializeRtcpCompound } from '../../protocol/rtp/index.js';
import { RtcError } from './rtc-error.js';
import {
  SRTP_AEAD_AES_128_GCM,
  SRTP_AES128_CM_HMAC_SHA1_80,
  SrtpContext,
  type SrtpProfileId,
  srtpKeySizes,
} from './srtp-context.js';

function keys(profile: SrtpProfileId) {
  const { keyLength, saltLength } = srtpKeySizes(profile);
  return {
    localMasterKey: randomBytes(keyLength),
    localMasterSalt: randomBytes(saltLength),
    remoteMasterKey: randomBytes(keyLength),
    remoteMasterSalt: randomBytes(saltLength),
  };
}

function header(seq: number, ssrc = 0x11223344, pt = 96): Buffer {
  const h = Buffer.alloc(12);
  h[0] = 0x80;
  h[1] = pt;
  h.writeUInt16BE(seq, 2);
  h.writeUInt32BE(seq * 3000, 4);
  h.writeUInt32BE(ssrc, 8);
  return h;
}

describe.each([
  ['AES128_CM_HMAC_SHA1_80', SRTP_AES128_CM_HMAC_SHA1_80],
  ['AEAD_AES_128_GCM', SRTP_AEAD_AES_128_GCM],
] as const)('SrtpContext %s', (_name, profile) => {
  it('werift-rtp decrypts what we protect, across a sequence wrap', () => {
    const k = keys(profile);
    const ours = new SrtpContext(profile, k.localMasterKey, k.localMasterSalt);
    const theirs = new SrtpSession({
      profile,
      keys: {
        localMasterKey: k.remoteMasterKey,
        localMasterSalt: k.remoteMasterSalt,
        remoteMasterKey: k.localMasterKey,
        remoteMasterSalt: k.localMasterSalt,
      },
    });
    for (let i = 0; i < 40; i++) {
      const seq = (65520 + i) & 0xffff;
      const payload = randomBytes(100 + i);
      const protectedPacket = ours.protectRtp(header(seq), payload);
      expect(protectedPacket.length).toBe(12 + payload.length + ours.rtpOverhead);
      const plain = theirs.decrypt(protectedPacket);
      expect(plain.subarray(12).equals(payload)).toBe(true);
    }
  });

  it('unprotects what werift-rtp encrypts; rejects a flipped bit', () => {
    const k = keys(profile);
    const ours = new SrtpContext(profile, k.localMasterKey, k.localMasterSalt);
    const theirs = new SrtpSession({ profile, keys: k });
    for (let i = 0; i < 40; i++) {
      const seq = (65530 + i) & 0xffff;
      const payload = randomBytes(200);
      const enc = theirs.encrypt(
        payload,
        new RtpHeader({ sequenceNumber: seq, timestamp: 1000, ssrc: 0xabcdef01, payloadType: 111, marker: true }),
      );
      const plain = ours.unprotectRtp(enc);
      expect(plain.subarray(12).equals(payload)).toBe(true);
      if (i === 5) {
        const bad = Buffer.from(enc);
        bad[20] ^= 1;
        expect(() => ours.unprotectRtp(bad)).toThrow(RtcError);
      }
    }
  });

  it('SRTCP both ways with werift-rtp', () => {
    const k = keys(profile);
    const ours = new SrtpContext(profile, k.localMasterKey, k.localMasterSalt);
    const oursIn = new SrtpContext(profile, k.remoteMasterKey, k.remoteMasterSalt);
    const theirs = new SrtcpSession({
      profile,
      keys: {
        localMasterKey: k.remoteMasterKey,
        localMasterSalt: k.remoteMasterSalt,
        remoteMasterKey: k.localMasterKey,
        remoteMasterSalt: k.localMasterSalt,
      },
    });
    const pli = serializeRtcpCompound([{ type: 'pli', senderSsrc: 1, mediaSsrc: 0x11223344 }]);
    for (let i = 0; i < 5; i++) {
      expect(theirs.decrypt(ours.protectRtcp(pli)).equals(pli)).toBe(true);
      expect(oursIn.unprotectRtcp(theirs.encrypt(pli)).equals(pli)).toBe(true);
    }
  });

  it('round-trips and never crashes on random input', () => {
    const k = keys(profile);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1500 }), fc.integer({ min: 0, max: 0xffff }), (bytes, seq) => {
        const tx = new SrtpContext(profile, k.localMasterKey, k.localMasterSalt);
        const rx = new SrtpContext(profile, k.localMasterKey, k.localMasterSalt);
        const payload = Buffer.from(bytes);
        expect(
          rx
            .unprotectRtp(tx.protectRtp(header(seq), payload))
            .subarray(12)
            .equals(payload),
        ).toBe(true);
        try {
          rx.unprotectRtp(Buffer.from(bytes));
        } catch (e) {
          expect(e).toBeInstanceOf(RtcError);
        }
        try {
          rx.unprotectRtcp(Buffer.from(bytes));
        } catch (e) {
          expect(e).toBeInstanceOf(RtcError);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('SrtpContext replay window', () => {
  it('accepts a late packet once and rejects its replay and packets older than the window', () => {
    const key = randomBytes(16);
    const salt = randomBytes(14);
    const tx = new SrtpContext(SRTP_AES128_CM_HMAC_SHA1_80, key, salt);
    const rx = new SrtpContext(SRTP_AES128_CM_HMAC_SHA1_80, key, salt);
    const packets = Array.from({ length: 1100 }, (_, i) => tx.protectRtp(header(i), Buffer.from([i & 0xff])));
    rx.unprotectRtp(packets[0]);
    rx.unprotectRtp(packets[2]);
    rx.unprotectRtp(packets[1]);
    expect(() => rx.unprotectRtp(packets[1])).toThrow(expect.objectContaining({ code: 'SRTP_REPLAY' }));
    for (let i = 3; i < 1100; i++) if (i !== 500) rx.unprotectRtp(packets[i]);
    expect(() => rx.unprotectRtp(packets[5])).toThrow(expect.objectContaining({ code: 'SRTP_REPLAY' }));
    expect(rx.unprotectRtp(packets[500]).readUInt16BE(2)).toBe(500);
  });
});

describe('SrtpContext.protectRtpMany', () => {
  it('gives the same packets as protectRtp one by one, across a sequence wrap', () => {
    const key = randomBytes(16);
    const salt = randomBytes(14);
    const one = new SrtpContext(SRTP_AES128_CM_HMAC_SHA1_80, key, salt);
    const many = new SrtpContext(SRTP_AES128_CM_HMAC_SHA1_80, key, salt);
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 1300 }), { minLength: 1, maxLength: 10 }), (bodies) => {
        const start = 65530;
        const headers = bodies.map((_, i) => header((start + i) & 0xffff));
        const payloads = bodies.map((b) => Buffer.from(b));
        const expected = headers.map((h, i) => one.protectRtp(h, payloads[i]));
        const got = many.protectRtpMany(headers, payloads);
        expect(got.map((b) => b.toString('hex'))).toEqual(expected.map((b) => b.toString('hex')));
      }),
      { numRuns: 100 },
    );
  });
});
