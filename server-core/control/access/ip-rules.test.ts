import { describe, expect, it } from 'vitest';
import { IpRules, parseCidr } from './ip-rules.js';

describe('IpRules', () => {
  it('lets the first matching rule decide, nginx-style', () => {
    const rules = new IpRules([
      { action: 'publish', policy: 'allow', cidr: '127.0.0.1' },
      { action: 'publish', policy: 'allow', cidr: '10.0.0.0/8' },
      { action: 'publish', policy: 'deny', cidr: '0.0.0.0/0' },
      { action: 'play', policy: 'deny', cidr: '192.168.7.0/24', protocol: 'http-flv' },
    ]);
    expect(rules.denied('publish', 'rtmp', '127.0.0.1')).toBeUndefined();
    expect(rules.denied('publish', 'rtmp', '::ffff:10.1.2.3')).toBeUndefined();
    expect(rules.denied('publish', 'rtmp', '8.8.8.8')).toContain('8.8.8.8');
    expect(rules.denied('play', 'rtmp', '192.168.7.9')).toBeUndefined();
    expect(rules.denied('play', 'http-flv', '192.168.7.9')).toContain('denied play');
    expect(rules.denied('play', 'http-flv', '192.168.8.9')).toBeUndefined();
  });

  it('handles IPv6', () => {
    const rules = new IpRules([{ action: 'play', policy: 'deny', cidr: 'fd00::/8' }]);
    expect(rules.denied('play', 'rtmp', 'fd12::1')).toBeDefined();
    expect(rules.denied('play', 'rtmp', '::1')).toBeUndefined();
  });

  it('rejects malformed CIDRs', () => {
    for (const bad of ['10.0.0.0/33', 'abc', '1.2.3.4/x', '::1/129']) expect(parseCidr(bad)).toBeUndefined();
    expect(parseCidr('10.0.0.0/8')).toEqual({ address: '10.0.0.0', prefix: 8, family: 'ipv4' });
  });
});
