import { describe, expect, it } from 'vitest';
import { CHROMIUM_WHEP_OFFER, CHROMIUM_WHIP_OFFER } from './chromium-offers.fixture.js';
import { parseProfileLevelId } from './h264-profile-level-id.js';
import { buildIceLiteAnswer, type IceLiteAnswerOptions } from './ice-lite-answer.js';
import { negotiateOffer } from './offer-negotiation.js';
import { attributeValue, attributeValues } from './sdp-attributes.js';
import { parseSdp, serializeSdp } from './session-description.js';
import { editOffer, sdpErrorCode } from './test-support.js';
import { answerWebRtcOffer } from './webrtc-answer.js';

const options: IceLiteAnswerOptions = {
  iceUfrag: 'tAlY',
  icePwd: 'abcdefghijklmnopqrstuvwx',
  fingerprint: { algorithm: 'sha-256', value: new Array(32).fill('0F').join(':') },
  candidates: [
    {
      foundation: '1',
      component: 1,
      transport: 'udp',
      priority: 2130706431,
      address: '192.168.1.5',
      port: 8000,
      type: 'host',
      extensions: [],
    },
    {
      foundation: '2',
      component: 1,
      transport: 'tcp',
      priority: 1671430143,
      address: '192.168.1.5',
      port: 8000,
      type: 'host',
      tcpType: 'passive',
      extensions: [],
    },
  ],
  sessionId: '4611731400430051336',
};

describe('ICE-lite answer', () => {
  it('answers a Chromium WHIP offer', () => {
    const { answer, negotiated } = answerWebRtcOffer(CHROMIUM_WHIP_OFFER, { role: 'whip', ...options });
    const sdp = parseSdp(answer);
    expect(serializeSdp(sdp)).toBe(answer);
    expect(sdp.session.map((l) => `${l.type}=${l.value}`)).toEqual([
      'v=0',
      'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
      's=-',
      't=0 0',
      'a=ice-lite',
      'a=group:BUNDLE 0 1',
    ]);
    const [audio, video] = sdp.media;
    expect(audio.formats).toEqual(['111']);
    expect(video.formats).toEqual(['102']);
    expect(negotiated.video?.payloadType).toBe(102);
    for (const m of sdp.media) {
      expect(attributeValue(m.lines, 'ice-ufrag')).toBe('tAlY');
      expect(attributeValue(m.lines, 'setup')).toBe('passive');
      expect(attributeValue(m.lines, 'recvonly')).toBe('');
      expect(attributeValue(m.lines, 'rtcp-mux')).toBe('');
      expect(attributeValues(m.lines, 'candidate')).toEqual([
        '1 1 udp 2130706431 192.168.1.5 8000 typ host',
        '2 1 tcp 1671430143 192.168.1.5 8000 typ host tcptype passive',
      ]);
      expect(attributeValue(m.lines, 'end-of-candidates')).toBe('');
      expect(answer).not.toContain('transport-cc');
      expect(answer).not.toContain('transport-wide-cc');
      expect(attributeValues(m.lines, 'ssrc')).toEqual([]);
    }
    expect(attributeValues(video.lines, 'rtcp-fb')).toEqual(['102 nack', '102 nack pli']);
    expect(attributeValues(video.lines, 'fmtp')).toEqual([
      '102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f',
    ]);
    expect(attributeValues(video.lines, 'rtpmap')).toEqual(['102 H264/90000']);
    expect(answer).not.toMatch(/rtpmap:\d+ (VP8|VP9|AV1|rtx|red|ulpfec)\//);
  });

  it('answers a WHEP offer with our SSRCs and the source profile', () => {
    const { answer } = answerWebRtcOffer(CHROMIUM_WHEP_OFFER, {
      role: 'whep',
      sourceProfile: parseProfileLevelId('4d4028'),
      ...options,
      send: {
        audio: { ssrc: 11, cname: 'tally', streamId: 'live-livestream', trackId: 'audio' },
        video: { ssrc: 22, cname: 'tally', streamId: 'live-livestream', trackId: 'video' },
      },
    });
    const sdp = parseSdp(answer);
    const video = sdp.media[1];
    expect(attributeValue(video.lines, 'sendonly')).toBe('');
    expect(attributeValues(video.lines, 'fmtp')).toEqual([
      '116 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d4028',
    ]);
    expect(attributeValues(video.lines, 'ssrc')).toEqual(['22 cname:tally', '22 msid:live-livestream video']);
    expect(attributeValue(video.lines, 'msid')).toBe('live-livestream video');
    expect(attributeValue(sdp.session, 'msid-semantic')).toBe(' WMS *');
  });

  it('rejected sections come back with port 0 and out of the BUNDLE group', () => {
    const withData =
      `${CHROMIUM_WHIP_OFFER}m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:2\r\na=sctp-port:5000\r\n`.replace(
        'a=group:BUNDLE 0 1',
        'a=group:BUNDLE 0 1 2',
      );
    const noVideo = editOffer(withData, /packetization-mode=1/);
    const offer = parseSdp(noVideo);
    const answer = buildIceLiteAnswer(offer, negotiateOffer(offer, { role: 'whip' }), options);
    expect(answer.media.map((m) => [m.kind, m.port, m.formats.join(' ')])).toEqual([
      ['audio', 9, '111'],
      ['video', 0, '96'],
      ['application', 0, 'webrtc-datachannel'],
    ]);
    expect(attributeValue(answer.session, 'group')).toBe('BUNDLE 0');
    expect(attributeValue(answer.media[2].lines, 'mid')).toBe('2');
  });

  it('answers active to a passive offer', () => {
    const passive = editOffer(CHROMIUM_WHIP_OFFER, undefined, (l) => l.replace('a=setup:actpass', 'a=setup:passive'));
    const { answer } = answerWebRtcOffer(passive, { role: 'whip', ...options });
    expect(attributeValues(parseSdp(answer).media[0].lines, 'setup')).toEqual(['active']);
  });

  it('refuses options an answer cannot carry', () => {
    const offer = parseSdp(CHROMIUM_WHIP_OFFER);
    const n = negotiateOffer(offer, { role: 'whip' });
    expect(sdpErrorCode(() => buildIceLiteAnswer(offer, n, { ...options, iceUfrag: 'a b' }))).toBe('SDP_BAD_ARGUMENT');
    expect(sdpErrorCode(() => buildIceLiteAnswer(offer, n, { ...options, icePwd: 'short' }))).toBe('SDP_BAD_ARGUMENT');
    expect(sdpErrorCode(() => buildIceLiteAnswer(offer, n, { ...options, sessionId: 'x' }))).toBe('SDP_BAD_ARGUMENT');
    expect(
      sdpErrorCode(() =>
        buildIceLiteAnswer(offer, n, { ...options, fingerprint: { algorithm: 'sha-256', value: 'zz' } }),
      ),
    ).toBe('SDP_BAD_ARGUMENT');
  });
});
