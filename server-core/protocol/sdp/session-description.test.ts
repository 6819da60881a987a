import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_WHEP_OFFER, CHROMIUM_WHIP_OFFER } from './chromium-offers.fixture.js';
import { attributeValue, attributeValues, mediaOrSessionAttribute } from './sdp-attributes.js';
import { parseSdp, SDP_MAX_SIZE, serializeSdp } from './session-description.js';
import { sdpErrorCode } from './test-support.js';

describe('SDP (RFC 8866)', () => {
  it('round-trips Chromium offers byte for byte', () => {
    for (const offer of [CHROMIUM_WHIP_OFFER, CHROMIUM_WHEP_OFFER]) {
      const sdp = parseSdp(offer);
      expect(serializeSdp(sdp)).toBe(offer);
    }
  });

  it('splits session and media sections', () => {
    const sdp = parseSdp(CHROMIUM_WHIP_OFFER);
    expect(sdp.media.map((m) => [m.kind, m.port, m.proto])).toEqual([
      ['audio', 9, 'UDP/TLS/RTP/SAVPF'],
      ['video', 9, 'UDP/TLS/RTP/SAVPF'],
    ]);
    expect(sdp.media[1].formats.slice(0, 4)).toEqual(['96', '97', '102', '103']);
    expect(attributeValue(sdp.session, 'group')).toBe('BUNDLE 0 1');
    expect(attributeValue(sdp.session, 'extmap-allow-mixed')).toBe('');
    expect(attributeValue(sdp.media[0].lines, 'mid')).toBe('0');
    expect(mediaOrSessionAttribute(sdp, sdp.media[1], 'ice-ufrag')).toBe('wtbc');
    expect(attributeValues(sdp.media[1].lines, 'rtpmap').length).toBe(23);
  });

  it('accepts bare LF and writes CRLF; keeps a port count', () => {
    const sdp = parseSdp('v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=audio 5004/2 RTP/AVP 0\na=rtpmap:0 PCMU/8000\n');
    expect(sdp.media[0].portCount).toBe(2);
    expect(serializeSdp(sdp)).toBe(
      'v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 5004/2 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n',
    );
  });

  it('refuses garbage with a reason', () => {
    expect(sdpErrorCode(() => parseSdp(''))).toBe('SDP_SYNTAX');
    expect(sdpErrorCode(() => parseSdp('hello'))).toBe('SDP_SYNTAX');
    expect(sdpErrorCode(() => parseSdp('v=1\r\n'))).toBe('SDP_SYNTAX');
    expect(sdpErrorCode(() => parseSdp('{"type":"offer"}'))).toBe('SDP_SYNTAX');
    expect(sdpErrorCode(() => parseSdp('v=0\r\nm=video\r\n'))).toBe('SDP_SYNTAX');
    expect(sdpErrorCode(() => parseSdp('v=0\r\nm=video 70000 RTP/AVP 96\r\n'))).toBe('SDP_SYNTAX');
    expect(sdpErrorCode(() => parseSdp('v=0\r\n a=x\r\n'))).toBe('SDP_SYNTAX');
    expect(sdpErrorCode(() => parseSdp(`v=0\r\n${'a=x\r\n'.repeat(SDP_MAX_SIZE / 5)}`))).toBe('SDP_TOO_LARGE');
  });

  it('random and truncated text never throws anything but SdpError, and what parses round-trips', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        sdpErrorCode(() => parseSdp(text));
        sdpErrorCode(() => parseSdp(`v=0\r\n${text}`));
      }),
    );
    fc.assert(
      fc.property(fc.nat(), (cut) => {
        const text = CHROMIUM_WHIP_OFFER.slice(0, cut % (CHROMIUM_WHIP_OFFER.length + 1));
        if (sdpErrorCode(() => parseSdp(text)) === undefined && text.endsWith('\r\n')) {
          expect(serializeSdp(parseSdp(text))).toBe(text);
        }
      }),
    );
  });
});
