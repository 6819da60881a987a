import { describe, expect, it } from 'vitest';
import { parseConfig } from '../control/config/load-config.js';
import { streamUrls } from './stream-urls.js';

const target = { app: 'live', stream: 's', host: () => 'h', ports: {} };
const protocols = (config: Record<string, unknown>, direction: 'play' | 'publish' = 'play') =>
  streamUrls(parseConfig(config), target)
    .filter((u) => u.direction === direction)
    .map((u) => u.protocol);

describe('stream URLs from the module table', () => {
  it('lists every enabled listener and output, default ports left out where the protocol has one', () => {
    const urls = streamUrls(parseConfig({}), target);
    const play = Object.fromEntries(urls.filter((u) => u.direction === 'play').map((u) => [u.protocol, u.url]));
    expect(play).toEqual({
      hls: 'http://h:8080/live/s.m3u8',
      'll-hls': 'http://h:8080/live/s/index.m3u8',
      dash: 'http://h:8080/live/s.mpd',
      rtmp: 'rtmp://h/live/s',
      srt: 'srt://h:10080?streamid=%23!::r=live/s,m=request',
      'http-flv': 'http://h:8080/live/s.flv',
      'http-ts': 'http://h:8080/live/s.ts',
      'ws-flv': 'ws://h:8080/live/s.flv',
      whep: 'http://h:8080/rtc/v1/whep/?app=live&stream=s',
    });
    expect(protocols({}, 'publish')).toEqual(['rtmp', 'srt', 'whip']);
  });

  it('lists the RTMPS publish URL when RTMPS is on, with its bound port', () => {
    expect(protocols({}, 'publish')).not.toContain('rtmps');
    const urls = streamUrls(parseConfig({ rtmp: { tlsEnabled: true } }), { ...target, ports: { rtmps: 4443 } });
    expect(urls.find((u) => u.protocol === 'rtmps')).toEqual({
      protocol: 'rtmps',
      label: 'RTMPS',
      url: 'rtmps://h:4443/live/s',
      direction: 'publish',
    });
  });

  it('lists nothing for a disabled module, nor HLS/DASH without the media listener that serves them', () => {
    expect(protocols({ hls: { enabled: false } })).not.toContain('hls');
    expect(protocols({ hls: { enabled: false } })).not.toContain('ll-hls');
    expect(protocols({ hls: { fmp4: false } })).toEqual(expect.not.arrayContaining(['ll-hls', 'hls-fmp4']));
    expect(protocols({ hls: { lowLatency: false } })).toContain('hls-fmp4');
    expect(protocols({ srt: { enabled: false }, rtc: { enabled: false } }, 'publish')).toEqual(['rtmp']);
    expect(protocols({ http: { enabled: false }, rtc: { enabled: false } })).toEqual(['rtmp', 'srt']);
  });

  it('carries the publish secret and the SRT passphrase, and prefers the bound ports', () => {
    const config = parseConfig({ security: { publishSecret: 'k3y' }, srt: { passphrase: 'passphrase-1' } });
    const urls = streamUrls(config, { ...target, ports: { rtmp: 1936, srt: 5000, http: 80 } });
    const url = (protocol: string, direction: string) =>
      urls.find((u) => u.protocol === protocol && u.direction === direction)?.url;
    expect(url('rtmp', 'publish')).toBe('rtmp://h:1936/live/s?secret=k3y');
    expect(url('rtmp', 'play')).toBe('rtmp://h:1936/live/s');
    expect(url('srt', 'publish')).toBe(
      'srt://h:5000?streamid=#!::r=live/s,secret=k3y,m=publish&passphrase=passphrase-1&pbkeylen=16',
    );
    expect(url('hls', 'play')).toBe('http://h/live/s.m3u8');
    expect(url('whip', 'publish')).toBe('http://h/rtc/v1/whip/?app=live&stream=s&secret=k3y');
  });
});
