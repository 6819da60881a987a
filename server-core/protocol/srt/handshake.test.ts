import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { handshake } from './arbitraries.fixture.js';
import { CAPTURED_HANDSHAKES } from './captured-handshakes.fixture.js';
import { parseControlPacket } from './control-packet.js';
import {
  decodeHandshake,
  ExtensionType,
  encodeHandshake,
  findExtension,
  HandshakeType,
  HSV5_MAGIC,
  MAX_HANDSHAKE_EXTENSIONS,
} from './handshake.js';
import { decodeHsExtension, encodeHsExtension, formatSrtVersion, SrtFlag } from './hs-extension.js';
import { encodePacket, parsePacket } from './packet.js';
import { decodePeerIp, encodePeerIp } from './peer-ip.js';
import { SrtError } from './srt-error.js';
import { decodeStreamIdExtension, encodeStreamIdExtension, MAX_STREAM_ID_BYTES } from './stream-id-extension.js';

const hex = (s: string) => Buffer.from(s, 'hex');

function handshakeOf(line: string) {
  const p = parsePacket(hex(line));
  if (p.type !== 'handshake') throw new Error('not a handshake');
  return p;
}

describe('handshake codec (section 3.2.1) on captured packets', () => {
  for (const [name, c] of Object.entries(CAPTURED_HANDSHAKES)) {
    it(`${name}: every packet re-encodes byte for byte`, () => {
      for (const line of [c.induction, c.inductionResponse, c.conclusion, c.conclusionResponse]) {
        expect(encodePacket(parsePacket(hex(line))).toString('hex')).toBe(line);
      }
    });

    it(`${name}: induction is HSv4 UDT_DGRAM, conclusion HSv5 with HSREQ and SID`, () => {
      const ind = handshakeOf(c.induction).handshake;
      expect(ind).toMatchObject({ version: 4, extensionField: 2, handshakeType: HandshakeType.INDUCTION });
      expect(ind.synCookie).toBe(0);
      expect(decodePeerIp(ind.peerIp)).toBe('127.0.0.1');
      const resp = handshakeOf(c.inductionResponse).handshake;
      expect(resp.extensionField).toBe(HSV5_MAGIC);
      const conc = handshakeOf(c.conclusion);
      const hs = conc.handshake;
      expect(hs).toMatchObject({ version: 5, handshakeType: HandshakeType.CONCLUSION, synCookie: 0xc0ffee42 });
      expect(hs.socketId).toBe(ind.socketId);
      const req = decodeHsExtension(findExtension(hs, ExtensionType.HSREQ)!.body);
      expect(formatSrtVersion(req.srtVersion)).toBe('1.5.1');
      expect(req.flags & SrtFlag.PACKET_FILTER).toBe(SrtFlag.PACKET_FILTER);
      expect(decodeStreamIdExtension(findExtension(hs, ExtensionType.SID)!.body)).toMatch(/^#!::r=live\//);
    });
  }

  it('reads each caller latency and stream id', () => {
    const sid = (name: string) =>
      decodeStreamIdExtension(
        findExtension(handshakeOf(CAPTURED_HANDSHAKES[name].conclusion).handshake, ExtensionType.SID)!.body,
      );
    const latency = (name: string) =>
      decodeHsExtension(findExtension(handshakeOf(CAPTURED_HANDSHAKES[name].conclusion).handshake, 1)!.body);
    expect(sid('ffmpegPublish')).toBe('#!::r=live/livestream,m=publish');
    expect(sid('ffmpegPlay')).toBe('#!::r=live/livestream,m=request');
    expect(sid('ffmpegEncrypted')).toBe('#!::r=live/enc,m=publish');
    expect(sid('srtLiveTransmit')).toBe('#!::r=live/slt,m=publish');
    expect(sid('gstreamer')).toBe('#!::r=live/gst,m=publish');
    expect(latency('ffmpegPublish')).toMatchObject({ receiverDelayMs: 200, senderDelayMs: 200, flags: 0xbf });
    expect(latency('srtLiveTransmit')).toMatchObject({ receiverDelayMs: 300, senderDelayMs: 300 });
    expect(latency('gstreamer')).toMatchObject({ receiverDelayMs: 250, senderDelayMs: 250 });
    expect(latency('ffmpegEncrypted')).toMatchObject({ receiverDelayMs: 120, senderDelayMs: 0 });
  });

  it('round-trips any handshake', () => {
    fc.assert(
      fc.property(handshake, (hs) => {
        expect(decodeHandshake(encodeHandshake(hs))).toEqual(hs);
      }),
    );
  });

  it('refuses extensions that overrun the packet, and too many of them', () => {
    const base = encodeHandshake(decodeHandshake(hex(CAPTURED_HANDSHAKES.ffmpegPublish.conclusion).subarray(16)));
    expect(() => decodeHandshake(base.subarray(0, base.length - 4))).toThrow(SrtError);
    expect(() => decodeHandshake(Buffer.concat([base, hex('0005')]))).toThrow(SrtError);
    const many = Buffer.concat([base.subarray(0, 48), Buffer.alloc(4 * (MAX_HANDSHAKE_EXTENSIONS + 1))]);
    expect(() => decodeHandshake(many)).toThrow(/more than/);
    expect(() => parseControlPacket(hex(CAPTURED_HANDSHAKES.ffmpegPublish.conclusion).subarray(0, 60))).toThrow(
      SrtError,
    );
  });
});

describe('HSREQ/HSRSP (section 3.2.1.1)', () => {
  it('round-trips', () => {
    const ext = { srtVersion: 0x010501, flags: 0x3f, receiverDelayMs: 120, senderDelayMs: 80 };
    expect(decodeHsExtension(encodeHsExtension(ext))).toEqual(ext);
    expect(() => decodeHsExtension(Buffer.alloc(8))).toThrow(SrtError);
  });
});

describe('stream id extension (section 3.2.1.3)', () => {
  it('swaps bytes within words and pads with zeros', () => {
    expect(encodeStreamIdExtension('#!::r=live').toString('hex')).toBe('3a3a2123696c3d7200006576');
  });

  it('round-trips text up to 512 bytes', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 128 }), (s) => {
        fc.pre(!s.endsWith('\0') && Buffer.byteLength(s) <= MAX_STREAM_ID_BYTES);
        expect(decodeStreamIdExtension(encodeStreamIdExtension(s))).toBe(s);
      }),
    );
  });

  it('refuses over 512 bytes', () => {
    expect(() => encodeStreamIdExtension('x'.repeat(513))).toThrow(SrtError);
    expect(() => decodeStreamIdExtension(Buffer.alloc(516, 0x41))).toThrow(/limit 512/);
    expect(decodeStreamIdExtension(Buffer.alloc(512, 0x41))).toHaveLength(512);
  });
});

describe('peer IP field', () => {
  it('writes IPv4 in libsrt word order and reads it back', () => {
    expect(encodePeerIp('127.0.0.1').toString('hex')).toBe(`0100007f${'0'.repeat(24)}`);
    expect(decodePeerIp(encodePeerIp('10.1.2.3'))).toBe('10.1.2.3');
    expect(decodePeerIp(encodePeerIp('::ffff:192.168.1.9'))).toBe('192.168.1.9');
    expect(decodePeerIp(encodePeerIp('2001:db8::1'))).toBe('2001:db8:0:0:0:0:0:1');
  });
});
