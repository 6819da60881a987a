import { describe, expect, it } from 'vitest';
import { RtmpError } from './message.js';
import { parseRtmpUrl } from './rtmp-url.js';
import { splitQuery } from './split-query.js';

describe('parseRtmpUrl', () => {
  it('reads rtmps:// as RTMP in TLS, on 443 unless a port is given', () => {
    expect(parseRtmpUrl('rtmps://live-api-s.facebook.com/rtmp/FB-key')).toMatchObject({
      host: 'live-api-s.facebook.com',
      port: 443,
      secure: true,
      app: 'rtmp',
      stream: 'FB-key',
      tcUrl: 'rtmps://live-api-s.facebook.com:443/rtmp',
    });
    expect(parseRtmpUrl('rtmps://127.0.0.1:1936/live/s')).toMatchObject({ port: 1936, secure: true });
  });

  it('splits host, port, app and stream like ffmpeg, keeping the query on the stream', () => {
    expect(parseRtmpUrl('rtmp://127.0.0.1/live/livestream?secret=x')).toEqual({
      host: '127.0.0.1',
      port: 1935,
      secure: false,
      app: 'live',
      stream: 'livestream?secret=x',
      tcUrl: 'rtmp://127.0.0.1:1935/live',
    });
    expect(parseRtmpUrl('rtmp://example.com:19350/a/b/cam')).toMatchObject({
      host: 'example.com',
      port: 19350,
      app: 'a/b',
      stream: 'cam',
      tcUrl: 'rtmp://example.com:19350/a/b',
    });
    expect(parseRtmpUrl('rtmp://[::1]:1936/live/s?a=b/c')).toEqual({
      host: '::1',
      port: 1936,
      secure: false,
      app: 'live',
      stream: 's?a=b/c',
      tcUrl: 'rtmp://[::1]:1936/live',
    });
  });

  it('refuses URLs without an app and a stream, or with a bad port', () => {
    for (const url of [
      'http://h/live/s',
      'rtmp://h/live',
      'rtmp://h/live/',
      'rtmp://h:0/live/s',
      'rtmp://h:70000/a/s',
    ]) {
      expect(() => parseRtmpUrl(url), url).toThrow(RtmpError);
    }
  });
});

describe('splitQuery', () => {
  it('splits at the first question mark', () => {
    expect(splitQuery('livestream?secret=x&y=1?z')).toEqual({ name: 'livestream', query: 'secret=x&y=1?z' });
    expect(splitQuery('livestream')).toEqual({ name: 'livestream', query: '' });
  });
});
