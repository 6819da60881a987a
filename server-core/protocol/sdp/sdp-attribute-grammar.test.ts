import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatGroup, parseGroup } from './bundle-group.js';
import { formatCandidate, parseCandidate } from './candidate.js';
import { CHROMIUM_WHEP_OFFER, CHROMIUM_WHIP_OFFER } from './chromium-offers.fixture.js';
import { formatExtmap, parseExtmap } from './extmap.js';
import { formatFingerprint, parseFingerprint } from './fingerprint.js';
import { parseFmtp } from './fmtp.js';
import { mediaDirection, reverseDirection } from './media-direction.js';
import { formatRtcpFeedback, parseRtcpFeedback } from './rtcp-fb.js';
import { formatRtpmap, parseRtpmap } from './rtpmap.js';
import { attributeValues } from './sdp-attributes.js';
import { parseSdp } from './session-description.js';
import { formatSsrcAttribute, formatSsrcGroup, parseSsrcAttribute, parseSsrcGroup } from './ssrc.js';
import { sdpErrorCode } from './test-support.js';

const grammars: [string, (v: string) => unknown, (x: never) => string][] = [
  ['rtpmap', parseRtpmap, formatRtpmap],
  ['rtcp-fb', parseRtcpFeedback, formatRtcpFeedback],
  ['extmap', parseExtmap, formatExtmap],
  ['ssrc', parseSsrcAttribute, formatSsrcAttribute],
  ['ssrc-group', parseSsrcGroup, formatSsrcGroup],
  ['candidate', parseCandidate, formatCandidate],
  ['fingerprint', parseFingerprint, formatFingerprint],
  ['group', parseGroup, formatGroup],
];

describe('SDP attribute grammars', () => {
  it('format(parse(x)) === x for every such line Chromium writes', () => {
    let checked = 0;
    for (const offer of [CHROMIUM_WHIP_OFFER, CHROMIUM_WHEP_OFFER]) {
      const sdp = parseSdp(offer);
      for (const lines of [sdp.session, ...sdp.media.map((m) => m.lines)]) {
        for (const [name, parse, format] of grammars) {
          for (const value of attributeValues(lines, name)) {
            expect(format(parse(value) as never)).toBe(value);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(200);
  });

  it('reads fmtp parameters, case-insensitive keys', () => {
    const f = parseFmtp('102 level-asymmetry-allowed=1;Packetization-Mode=1; profile-level-id=42001f');
    expect(f.payloadType).toBe(102);
    expect(f.parameters.get('packetization-mode')).toBe('1');
    expect(f.parameters.get('profile-level-id')).toBe('42001f');
    expect(parseFmtp('63 111/111').parameters.size).toBe(0);
  });

  it('reads candidates with related address and tcptype', () => {
    const text = '1 1 tcp 1518280447 192.168.1.2 9 typ srflx raddr 10.0.0.1 rport 9 tcptype passive generation 0';
    const c = parseCandidate(text);
    expect(c).toMatchObject({
      transport: 'tcp',
      type: 'srflx',
      relatedAddress: '10.0.0.1',
      relatedPort: 9,
      tcpType: 'passive',
    });
    expect(c.extensions).toEqual([['generation', '0']]);
    expect(formatCandidate(c)).toBe(text);
  });

  it('reads directions', () => {
    expect(mediaDirection([{ type: 'a', value: 'recvonly' }])).toBe('recvonly');
    expect(mediaDirection([], [{ type: 'a', value: 'inactive' }])).toBe('inactive');
    expect(mediaDirection([])).toBe('sendrecv');
    expect(reverseDirection('sendonly')).toBe('recvonly');
  });

  it('bad values are SDP_BAD_ATTRIBUTE, random ones never throw anything else', () => {
    expect(sdpErrorCode(() => parseRtpmap('200 opus/48000'))).toBe('SDP_BAD_ATTRIBUTE');
    expect(sdpErrorCode(() => parseExtmap('0 urn:x'))).toBe('SDP_BAD_ATTRIBUTE');
    expect(sdpErrorCode(() => parseCandidate('1 1 udp 1 host'))).toBe('SDP_BAD_ATTRIBUTE');
    expect(sdpErrorCode(() => parseFingerprint('sha-256 zz'))).toBe('SDP_BAD_ATTRIBUTE');
    expect(sdpErrorCode(() => parseSsrcAttribute('99999999999 cname:x'))).toBe('SDP_BAD_ATTRIBUTE');
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        for (const [, parse] of grammars) sdpErrorCode(() => parse(text));
        sdpErrorCode(() => parseFmtp(text));
      }),
    );
  });
});
