import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INVITE_SDP, OK_SDP } from './fixtures.js';
import { buildGbSdp, type GbSdp, gbSsrc, isTcpMedia, parseGbMediaFormat, parseGbSdp, ssrcNumber } from './gb-sdp.js';
import { SipError } from './sip-error.js';

describe('GB/T 28181 SDP', () => {
  it('reads the platform INVITE offer (TCP passive, PS/90000, y=)', () => {
    const sdp = parseGbSdp(INVITE_SDP);
    expect(sdp).toMatchObject({
      origin: { username: '34020000002000000001', address: '192.168.1.10' },
      sessionName: 'Play',
      address: '192.168.1.10',
      time: { start: '0', stop: '0' },
      ssrc: '0200000001',
    });
    expect(sdp.media).toEqual([
      {
        type: 'video',
        port: 9000,
        protocol: 'TCP/RTP/AVP',
        formats: [96],
        rtpmaps: [{ payloadType: 96, encoding: 'PS', clockRate: 90000 }],
        direction: 'recvonly',
        setup: 'passive',
        connection: 'new',
        attributes: [],
      },
    ]);
    expect(isTcpMedia(sdp.media[0])).toBe(true);
    expect(ssrcNumber(sdp.ssrc!)).toBe(200000001);
  });

  it('reads the camera answer (setup:active, sendonly, empty f=) and rebuilds both byte for byte', () => {
    const answer = parseGbSdp(OK_SDP);
    expect(answer.media[0]).toMatchObject({ direction: 'sendonly', setup: 'active', port: 15060 });
    expect(answer.format).toBe('');
    expect(buildGbSdp(answer)).toBe(OK_SDP);
    expect(buildGbSdp(parseGbSdp(INVITE_SDP))).toBe(INVITE_SDP);
  });

  it('reads a UDP playback offer with u=, several payload types and other attributes', () => {
    const text = [
      'v=0',
      'o=34020000002000000001 0 0 IN IP4 10.0.0.2',
      's=Playback',
      'u=34020000001320000001:0',
      'c=IN IP4 10.0.0.2',
      't=1764640000 1764643600',
      'm=video 30000 RTP/AVP 96 98 97',
      'a=recvonly',
      'a=rtpmap:96 PS/90000',
      'a=rtpmap:98 H264/90000',
      'a=rtpmap:97 MPEG4/90000',
      'a=downloadspeed:4',
      'y=1100000002',
      'f=v/2/5/25/1/4096a/1/8/1',
      '',
    ].join('\n');
    const sdp = parseGbSdp(text);
    expect(sdp.uri).toBe('34020000001320000001:0');
    expect(sdp.time).toEqual({ start: '1764640000', stop: '1764643600' });
    expect(sdp.media[0].formats).toEqual([96, 98, 97]);
    expect(sdp.media[0].rtpmaps.map((r) => r.encoding)).toEqual(['PS', 'H264', 'MPEG4']);
    expect(sdp.media[0].attributes).toEqual([{ name: 'downloadspeed', value: '4' }]);
    expect(isTcpMedia(sdp.media[0])).toBe(false);
    expect(parseGbMediaFormat(sdp.format!)).toEqual({
      video: { codec: '2', resolution: '5', frameRate: '25', rateType: '1', bitrate: '4096' },
      audio: { codec: '1', bitrate: '8', sampleRate: '1' },
    });
    expect(parseGbMediaFormat('')).toEqual({});
  });

  it('rejects SDP it cannot use with SipError', () => {
    for (const text of [
      '',
      'v=1\r\n',
      'v=0\r\no=a\r\n',
      'v=0\r\no=a 0 0 IN IP4 h\r\ns=Play\r\n',
      INVITE_SDP.replace('y=0200000001', 'y=abc'),
      'hello',
    ]) {
      expect(() => parseGbSdp(text)).toThrow(SipError);
    }
  });

  it('makes realtime and history SSRCs from the domain id', () => {
    expect(gbSsrc(false, '3402000000', 1)).toBe('0200000001');
    expect(gbSsrc(true, '34020000002000000001', 12345)).toBe('1200002345');
  });

  it('property: build then parse is the identity, random text throws only SipError', () => {
    const token = fc.stringMatching(/^[A-Za-z0-9.]{1,12}$/);
    const media = fc.record({
      type: fc.constantFrom('video', 'audio'),
      port: fc.integer({ min: 0, max: 65535 }),
      protocol: fc.constantFrom('RTP/AVP', 'TCP/RTP/AVP', 'RTP/AVP/TCP'),
      formats: fc.array(fc.integer({ min: 0, max: 127 }), { minLength: 1, maxLength: 3 }),
      rtpmaps: fc.array(
        fc.record({
          payloadType: fc.integer({ min: 0, max: 127 }),
          encoding: fc.constantFrom('PS', 'H264', 'PCMA'),
          clockRate: fc.constantFrom(8000, 90000),
        }),
        { maxLength: 3 },
      ),
      direction: fc.option(fc.constantFrom('recvonly' as const, 'sendonly' as const), { nil: undefined }),
      setup: fc.option(fc.constantFrom('active' as const, 'passive' as const), { nil: undefined }),
      connection: fc.option(fc.constantFrom('new' as const, 'existing' as const), { nil: undefined }),
      attributes: fc.constant([]),
    });
    fc.assert(
      fc.property(
        token,
        fc.array(media, { minLength: 1, maxLength: 2 }),
        fc.option(fc.stringMatching(/^\d{10}$/), { nil: undefined }),
        fc.string(),
        (user, mediaList, ssrc, junk) => {
          const sdp: GbSdp = {
            origin: { username: user, sessionId: '0', sessionVersion: '0', address: '10.0.0.1' },
            sessionName: 'Play',
            address: '10.0.0.1',
            time: { start: '0', stop: '0' },
            media: mediaList.map((m) => JSON.parse(JSON.stringify(m))),
            ssrc,
          };
          for (const m of sdp.media)
            for (const k of ['direction', 'setup', 'connection'] as const) if (m[k] === undefined) delete m[k];
          if (ssrc === undefined) delete sdp.ssrc;
          expect(parseGbSdp(buildGbSdp(sdp))).toEqual(sdp);
          try {
            parseGbSdp(junk);
          } catch (err) {
            expect(err).toBeInstanceOf(SipError);
          }
        },
      ),
    );
  });
});
