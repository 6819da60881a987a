import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_WHEP_OFFER, CHROMIUM_WHIP_OFFER } from './chromium-offers.fixture.js';
import { offeredCodecs, selectH264, selectOpus } from './codec-selection.js';
import { parseProfileLevelId } from './h264-profile-level-id.js';
import { negotiateOffer } from './offer-negotiation.js';
import { parseSdp } from './session-description.js';
import { editOffer, sdpErrorCode } from './test-support.js';

const HIGH = parseProfileLevelId('640028');
const CB = parseProfileLevelId('42c01f');
const MAIN = parseProfileLevelId('4d4028');

describe('codec selection on a Chromium offer', () => {
  const video = parseSdp(CHROMIUM_WHIP_OFFER).media[1];
  const codecs = offeredCodecs(video);

  it('lists payload types in m= order with their fmtp and rtcp-fb', () => {
    expect(codecs.map((c) => c.rtpmap.payloadType)).toEqual(video.formats.map(Number));
    const h264 = codecs.find((c) => c.rtpmap.payloadType === 102)!;
    expect(h264.fmtp?.parameters.get('profile-level-id')).toBe('42001f');
    expect(h264.feedback.map((f) => f.type)).toEqual(['goog-remb', 'transport-cc', 'ccm', 'nack', 'nack']);
  });

  it('picks packetization-mode=1 only, matching the source profile', () => {
    expect(selectH264(codecs)?.codec.rtpmap.payloadType).toBe(102);
    expect(selectH264(codecs, CB)).toMatchObject({ match: 'exact', codec: { rtpmap: { payloadType: 108 } } });
    expect(selectH264(codecs, MAIN)).toMatchObject({ match: 'exact', codec: { rtpmap: { payloadType: 116 } } });
    // No High in this offer and no profile decoding High: the first mode-1 type, flagged.
    expect(selectH264(codecs, HIGH)).toMatchObject({ match: 'none', codec: { rtpmap: { payloadType: 102 } } });
    const modes = codecs
      .filter((c) => c.rtpmap.encoding === 'H264')
      .map((c) => c.fmtp?.parameters.get('packetization-mode'));
    expect(modes).toContain('0');
    expect(selectOpus(offeredCodecs(parseSdp(CHROMIUM_WHIP_OFFER).media[0]))?.rtpmap.payloadType).toBe(111);
  });

  it('falls back to a profile whose decoders take the source (High 4:4:4 for High)', () => {
    const whep = offeredCodecs(parseSdp(CHROMIUM_WHEP_OFFER).media[1]);
    expect(selectH264(whep, HIGH)).toMatchObject({ match: 'compatible', codec: { rtpmap: { payloadType: 41 } } });
  });

  it('never picks a mode 0 payload type', () => {
    const onlyMode0 = parseSdp(editOffer(CHROMIUM_WHIP_OFFER, /packetization-mode=1/)).media[1];
    expect(selectH264(offeredCodecs(onlyMode0))).toBeUndefined();
  });
});

describe('WHIP/WHEP offer negotiation', () => {
  it('WHIP: Opus 111 and H.264 102, nack and PLI kept, TWCC feedback and extmap dropped', () => {
    const n = negotiateOffer(CHROMIUM_WHIP_OFFER, { role: 'whip' });
    expect(n.audio).toMatchObject({
      index: 0,
      mid: '0',
      payloadType: 111,
      direction: 'recvonly',
      fmtp: 'minptime=10;useinbandfec=1',
    });
    expect(n.video).toMatchObject({
      index: 1,
      mid: '1',
      payloadType: 102,
      direction: 'recvonly',
      rtcpReducedSize: true,
    });
    expect(n.video?.fmtp).toBe('level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f');
    expect(n.video?.feedback).toEqual(['nack', 'nack pli']);
    expect(n.audio?.feedback).toEqual([]);
    expect(n.video?.extensions.some((e) => e.uri.includes('transport-wide-cc'))).toBe(false);
    expect(n.video?.extensions.length).toBe(10);
    expect(n.video?.remoteSsrcs).toEqual([1806314889, 3922261330]);
    expect(n.video?.remoteCname).toBe('xV6NH81LPgkvIG7d');
    expect(n.bundle).toEqual(['0', '1']);
    expect(n).toMatchObject({
      remoteIceUfrag: 'wtbc',
      remoteIcePwd: 'BUQcVcTgZ5WWZpUAwZimFp6z',
      remoteSetup: 'actpass',
    });
    expect(n.remoteFingerprint.algorithm).toBe('sha-256');
  });

  it('WHEP: the answer profile-level-id comes from the source SPS', () => {
    const main = negotiateOffer(CHROMIUM_WHEP_OFFER, { role: 'whep', sourceProfile: MAIN });
    expect(main.video).toMatchObject({
      payloadType: 116,
      direction: 'sendonly',
      h264: { profileLevelId: '4d4028', match: 'exact' },
    });
    expect(main.video?.fmtp).toBe('level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d4028');
    const high = negotiateOffer(CHROMIUM_WHEP_OFFER, { role: 'whep', sourceProfile: HIGH });
    expect(high.video).toMatchObject({ payloadType: 41, h264: { profileLevelId: '640028', match: 'compatible' } });
    expect(negotiateOffer(CHROMIUM_WHEP_OFFER, { role: 'whep' }).video?.h264).toEqual({
      profileLevelId: '42001f',
      match: 'no-source',
    });
  });

  it('rejects a section it cannot use and keeps the other', () => {
    const noH264 = editOffer(CHROMIUM_WHIP_OFFER, /packetization-mode=1/);
    const n = negotiateOffer(noH264, { role: 'whip' });
    expect(n.video).toBeUndefined();
    expect(n.sections[1]).toEqual({ rejected: 'the video section offers no H.264 with packetization-mode=1' });
    expect(n.bundle).toEqual(['0']);
    // The wrong direction for the role.
    expect(negotiateOffer(CHROMIUM_WHEP_OFFER, { role: 'whep' }).sections.every((s) => 'accepted' in s)).toBe(true);
  });

  it('bad offers give a typed error with a plain reason', () => {
    const reason = (offer: string, role: 'whip' | 'whep' = 'whip') => {
      try {
        negotiateOffer(offer, { role });
        return 'accepted';
      } catch (error) {
        return `${(error as { code: string }).code}: ${(error as Error).message}`;
      }
    };
    expect(reason(CHROMIUM_WHEP_OFFER)).toMatch(/^SDP_NO_USABLE_MEDIA: .*recvonly: a WHIP client must send/);
    expect(reason(CHROMIUM_WHIP_OFFER, 'whep')).toMatch(/^SDP_NO_USABLE_MEDIA/);
    expect(reason(editOffer(CHROMIUM_WHIP_OFFER, /^a=ice-ufrag/))).toBe(
      'SDP_MISSING_ICE: the offer has no a=ice-ufrag',
    );
    expect(reason(editOffer(CHROMIUM_WHIP_OFFER, /^a=ice-pwd/))).toBe('SDP_MISSING_ICE: the offer has no a=ice-pwd');
    expect(reason(editOffer(CHROMIUM_WHIP_OFFER, /^a=fingerprint/))).toMatch(/^SDP_MISSING_FINGERPRINT/);
    expect(reason(editOffer(CHROMIUM_WHIP_OFFER, /^a=rtcp-mux/))).toMatch(/^SDP_UNSUPPORTED: .*rtcp-mux/);
    expect(reason(editOffer(CHROMIUM_WHIP_OFFER, /^a=group/))).toMatch(/^SDP_UNSUPPORTED: .*BUNDLE/);
    const vp8Only = editOffer(CHROMIUM_WHIP_OFFER, /H264|opus/);
    expect(reason(vp8Only)).toMatch(/^SDP_NO_USABLE_MEDIA: .*no opus.*no H.264/);
    expect(reason('garbage')).toMatch(/^SDP_SYNTAX/);
    expect(reason('v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n')).toMatch(/^SDP_NO_USABLE_MEDIA/);
    expect(reason(editOffer(CHROMIUM_WHIP_OFFER, undefined, (l) => l.replace('UDP/TLS/RTP/SAVPF', 'RTP/AVP')))).toMatch(
      /RTP\/AVP, not UDP\/TLS\/RTP\/SAVPF/,
    );
  });

  it('mangled offers never throw anything but SdpError', () => {
    const lines = CHROMIUM_WHIP_OFFER.split('\r\n');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.nat(), fc.string({ maxLength: 8 })), { maxLength: 6 }), (edits) => {
        const copy = [...lines];
        for (const [i, at, text] of edits) {
          const k = i % (copy.length - 1);
          const line = copy[k];
          const p = at % (line.length + 1);
          copy[k] = line.slice(0, p) + text + line.slice(p + 1);
        }
        sdpErrorCode(() => negotiateOffer(copy.join('\r\n'), { role: 'whip' }));
      }),
      { numRuns: 300 },
    );
  });
});
