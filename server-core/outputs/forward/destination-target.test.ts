import { describe, expect, it } from 'vitest';
import { destinationWants, type ForwardDestination, forwardTarget } from './destination-target.js';
import { retryDelayMs } from './retry-delay.js';

const youtube: ForwardDestination = {
  name: 'YouTube',
  url: 'rtmp://a.rtmp.youtube.com/live2',
  key: 'abcd-efgh',
  streams: [],
  enabled: true,
};

describe('forward destinations', () => {
  it('appends the stream key and masks it for display', () => {
    expect(forwardTarget(youtube, 'live', 'cam')).toEqual({
      url: 'rtmp://a.rtmp.youtube.com/live2/abcd-efgh',
      shownUrl: 'rtmp://a.rtmp.youtube.com/live2/••••',
      supported: true,
    });
    expect(forwardTarget({ ...youtube, url: 'rtmps://x.example/app/', key: 'k' }, 'a', 's').url).toBe(
      'rtmps://x.example/app/k',
    );
  });

  it('names the forwarded stream where the URL asks for it', () => {
    const tally = { ...youtube, url: 'rtmp://10.0.0.2:1935/{app}/{stream}', key: '' };
    expect(forwardTarget(tally, 'live', 'cam')).toMatchObject({
      url: 'rtmp://10.0.0.2:1935/live/cam',
      shownUrl: 'rtmp://10.0.0.2:1935/live/cam',
    });
  });

  it('marks srt:// as not supported yet', () => {
    expect(forwardTarget({ ...youtube, url: 'srt://host:9000/x', key: '' }, 'a', 's').supported).toBe(false);
  });

  it('filters streams by app/stream or stream patterns', () => {
    const some = { ...youtube, streams: ['live/main', 'show*'] };
    expect(destinationWants(some, 'live', 'main')).toBe(true);
    expect(destinationWants(some, 'other', 'main')).toBe(false);
    expect(destinationWants(some, 'any', 'show-2')).toBe(true);
    expect(destinationWants(some, 'live', 'backup')).toBe(false);
    expect(destinationWants(youtube, 'x', 'y')).toBe(true);
    expect(destinationWants({ ...youtube, enabled: false }, 'x', 'y')).toBe(false);
    expect(destinationWants({ ...youtube, streams: ['a.b'] }, 'x', 'aXb')).toBe(false);
  });

  it('backs off exponentially up to the cap', () => {
    expect([0, 1, 2, 3, 4, 5, 40].map((n) => retryDelayMs(n, 1000, 10_000))).toEqual([
      1000, 2000, 4000, 8000, 10_000, 10_000, 10_000,
    ]);
  });
});
