import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { StreamRegistry } from '../../hub/stream-registry.js';
import { sourceOptions } from '../../hub/test-support.js';
import type { ForwardDestination } from './destination-target.js';
import { ForwardOutput } from './forward-output.js';

const settings = { connectTimeoutMs: 1000, retryInitialMs: 100, retryMaxMs: 1000 };
const publisher = (cid: string) => ({ cid, protocol: 'rtmp', ip: '127.0.0.1', query: '', disconnect: () => {} });
// srt:// destinations are listed but never dialled: the bookkeeping is tested without sockets.
const all: ForwardDestination = { name: 'all', url: 'srt://a.example:9000/x', key: '', streams: [], enabled: true };
const liveOnly: ForwardDestination = { ...all, name: 'live-only', streams: ['live/*'] };

describe('ForwardOutput', () => {
  const clock = { now: 1000 };
  let output: ForwardOutput | undefined;
  afterEach(() => output?.close());

  const start = (destinations: ForwardDestination[]) => {
    const registry = new StreamRegistry(sourceOptions(clock));
    output = new ForwardOutput({
      registry,
      destinations,
      ...settings,
      logger: pino({ level: 'silent' }),
      now: () => clock.now,
    });
    output.start();
    return { registry, output };
  };
  const pushesOf = (o: ForwardOutput, name: string) => o.views().find((v) => v.name === name)?.pushes ?? [];

  it('starts a push per published stream and destination that wants it, and ends it with the stream', () => {
    const { registry, output } = start([all, liveOnly]);
    const live = registry.publish({ vhost: 'v', app: 'live', stream: 'a' }, publisher('p1'));
    registry.publish({ vhost: 'v', app: 'other', stream: 'b' }, publisher('p2'));
    expect(
      pushesOf(output, 'all')
        .map((p) => `${p.app}/${p.stream}`)
        .sort(),
    ).toEqual(['live/a', 'other/b']);
    expect(pushesOf(output, 'live-only').map((p) => `${p.app}/${p.stream}`)).toEqual(['live/a']);
    expect(pushesOf(output, 'all')[0]).toMatchObject({ state: 'unsupported', error: expect.stringMatching(/SRT/) });
    registry.unpublish(live, 'p1');
    expect(pushesOf(output, 'live-only')).toEqual([]);
    expect(pushesOf(output, 'all').map((p) => p.stream)).toEqual(['b']);
  });

  it('a reload keeps pushes of unchanged destinations, restarts changed ones and stops removed ones', () => {
    const { registry, output } = start([all, liveOnly]);
    registry.publish({ vhost: 'v', app: 'live', stream: 'a' }, publisher('p1'));
    const before = pushesOf(output, 'all')[0];
    clock.now += 5000;
    output.configure([all, { ...liveOnly, enabled: false }], settings);
    expect(pushesOf(output, 'all')[0]).toMatchObject({ cid: before.cid, since: before.since });
    expect(pushesOf(output, 'live-only')).toEqual([]);
    output.configure([all, liveOnly], settings);
    expect(pushesOf(output, 'live-only')).toHaveLength(1);
    output.configure([liveOnly], settings);
    expect(output.views().map((v) => v.name)).toEqual(['live-only']);
  });

  it('starts pushes for streams already live when it starts', () => {
    const registry = new StreamRegistry(sourceOptions(clock));
    registry.publish({ vhost: 'v', app: 'live', stream: 'early' }, publisher('p0'));
    output = new ForwardOutput({
      registry,
      destinations: [all],
      ...settings,
      logger: pino({ level: 'silent' }),
      now: () => clock.now,
    });
    output.start();
    expect(pushesOf(output, 'all').map((p) => p.stream)).toEqual(['early']);
  });
});
