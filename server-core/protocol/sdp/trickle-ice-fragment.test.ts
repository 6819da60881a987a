import { describe, expect, it } from 'vitest';
import { SdpError } from './sdp-error.js';
import { formatIceRestartFragment, parseTrickleIceFragment } from './trickle-ice-fragment.js';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof SdpError ? error.code : 'not an SdpError';
  }
  return undefined;
}

describe('trickle ICE fragment (RFC 8840, RFC 9725 4.3)', () => {
  it('reads candidates, end-of-candidates and the credentials of a restart', () => {
    const fragment = parseTrickleIceFragment(
      [
        'a=ice-options:trickle ice2',
        'a=ice-ufrag:EsAw',
        'a=ice-pwd:P2uYro0UCOQ4zxjKXaWCBui1',
        'm=audio 9 UDP/TLS/RTP/SAVPF 111',
        'a=mid:0',
        'a=candidate:1387637174 1 udp 2122260223 192.0.2.1 61764 typ host generation 0 ufrag EsAw network-id 1',
        'a=candidate:3471623853 1 udp 2122194687 198.51.100.2 61765 typ host generation 0 ufrag EsAw network-id 2',
        'a=end-of-candidates',
        '',
      ].join('\r\n'),
    );
    expect(fragment).toEqual({ ufrag: 'EsAw', pwd: 'P2uYro0UCOQ4zxjKXaWCBui1', candidates: 2, endOfCandidates: true });
  });

  it('takes a candidate-only fragment with LF line ends', () => {
    const fragment = parseTrickleIceFragment(
      'm=video 9 UDP/TLS/RTP/SAVPF 96\na=mid:1\na=candidate:1 1 tcp 1518280447 192.0.2.1 9 typ host tcptype active\n',
    );
    expect(fragment).toEqual({ candidates: 1, endOfCandidates: false });
  });

  it('refuses other lines, bad grammar, half credentials and oversize bodies with a reason', () => {
    expect(codeOf(() => parseTrickleIceFragment('v=0\r\n'))).toBe('SDP_SYNTAX');
    expect(codeOf(() => parseTrickleIceFragment('a=fingerprint:sha-256 00\r\n'))).toBe('SDP_UNSUPPORTED');
    expect(codeOf(() => parseTrickleIceFragment('a=ice-ufrag:a b\r\na=ice-pwd:P2uYro0UCOQ4zxjKXaWCBui1\r\n'))).toBe(
      'SDP_BAD_ATTRIBUTE',
    );
    expect(codeOf(() => parseTrickleIceFragment('a=ice-ufrag:EsAw\r\na=ice-pwd:short\r\n'))).toBe('SDP_BAD_ATTRIBUTE');
    expect(codeOf(() => parseTrickleIceFragment('a=ice-ufrag:EsAw\r\n'))).toBe('SDP_MISSING_ICE');
    expect(codeOf(() => parseTrickleIceFragment('a=candidate:1 1 udp x 192.0.2.1 9 typ host\r\n'))).toBe(
      'SDP_BAD_ATTRIBUTE',
    );
    expect(codeOf(() => parseTrickleIceFragment(`a=end-of-candidates\r\n${'a=mid:0\r\n'.repeat(3000)}`))).toBe(
      'SDP_TOO_LARGE',
    );
  });

  it('never throws anything but an SdpError on random text', () => {
    const alphabet = 'a=m:ice-ufrgpwdcnt \r\n0123456789+/';
    for (let i = 0; i < 2000; i++) {
      let text = '';
      const length = Math.floor(Math.random() * 120);
      for (let j = 0; j < length; j++) text += alphabet[Math.floor(Math.random() * alphabet.length)];
      const code = codeOf(() => parseTrickleIceFragment(text));
      expect(code === undefined || code.startsWith('SDP_')).toBe(true);
    }
  });

  it('answers a restart with ice-lite and the new credentials', () => {
    const text = formatIceRestartFragment('abcd1234', 'abcdefghijklmnopqrstuvwx');
    const [first, ...credentials] = text.split('\r\n');
    expect(first).toBe('a=ice-lite');
    expect(parseTrickleIceFragment(credentials.join('\r\n'))).toMatchObject({
      ufrag: 'abcd1234',
      pwd: 'abcdefghijklmnopqrstuvwx',
    });
  });
});
