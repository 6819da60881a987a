import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StreamEvent } from './stream-registry.js';
import { StreamRegistry } from './stream-registry.js';
import { audio, header, labelFormat, MemorySink, sourceOptions, video } from './test-support.js';

const key = { vhost: '__defaultVhost__', app: 'live', stream: 'cam' };
const publisher = (cid: string) => ({ cid, protocol: 'test', ip: '127.0.0.1', query: '', disconnect: () => {} });
const info = (cid: string) => ({ cid, protocol: 'test', ip: '127.0.0.1' });

describe('StreamRegistry: streams outlive a publisher blip', () => {
  const clock = { now: 0 };
  let registry: StreamRegistry;
  let events: StreamEvent['type'][];

  beforeEach(() => {
    vi.useFakeTimers();
    clock.now = 0;
    registry = new StreamRegistry(sourceOptions(clock, { publisherGraceMs: 10_000 }));
    events = [];
    registry.onStream((e) => events.push(e.type));
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  function publishSome(cid: string, from: number) {
    const source = registry.publish(key, publisher(cid));
    source.push(header('video'));
    source.push(header('audio'));
    source.push(video(from, true));
    source.push(audio(from + 10));
    source.push(video(from + 33));
    return source;
  }

  it('keeps readers connected through the gap and continues the same stream for the next publisher', async () => {
    const first = publishSome('pub1', 0);
    const sink = new MemorySink();
    first.addReader(labelFormat, info('r'), sink);
    await vi.advanceTimersByTimeAsync(1);
    expect(sink.text()).toBe('vhk0;ah0;vk0;a10;v33;');

    clock.now = 1000;
    registry.unpublish(first, 'pub1');
    expect(events).toEqual(['publish', 'idle']);
    expect(registry.list()).toEqual([first]);
    expect(first.isPublishing).toBe(false);
    expect(sink.ended).toBe(false);

    // 2 s later the publisher is back, with its own clock starting at 0.
    clock.now = 3000;
    const second = publishSome('pub2', 0);
    expect(second).toBe(first);
    expect(events).toEqual(['publish', 'idle', 'resume']);
    expect(second.publisher.cid).toBe('pub2');
    await vi.advanceTimersByTimeAsync(1);
    // New sequence headers, then the new GOP, with timestamps after the old ones by the real gap.
    expect(sink.text()).toBe('vhk0;ah0;vk0;a10;v33;vhk2033;ah2033;vk2033;a2043;v2066;');
    expect(sink.ended).toBe(false);
  });

  it('ends the stream when nobody continues it within the grace window', async () => {
    const source = publishSome('pub1', 0);
    const sink = new MemorySink();
    source.addReader(labelFormat, info('r'), sink);
    registry.unpublish(source, 'pub1');
    await vi.advanceTimersByTimeAsync(9_999);
    expect(sink.ended).toBe(false);
    await vi.advanceTimersByTimeAsync(2);
    expect(sink.ended).toBe(true);
    expect(registry.list()).toEqual([]);
    expect(events).toEqual(['publish', 'idle', 'unpublish']);
    // A publish now starts a new stream.
    const next = registry.publish(key, publisher('pub2'));
    expect(next).not.toBe(source);
    expect(events.at(-1)).toBe('publish');
  });

  it('ignores a late departure of a publisher that was already replaced', () => {
    const first = publishSome('pub1', 0);
    registry.unpublish(first, 'pub1');
    publishSome('pub2', 0);
    registry.unpublish(first, 'pub1');
    expect(first.isPublishing).toBe(true);
    expect(first.publisher.cid).toBe('pub2');
  });

  it('refuses a second publisher while the stream has one, and ends at once when the grace is 0', () => {
    publishSome('pub1', 0);
    expect(() => registry.publish(key, publisher('pub2'))).toThrow(/already published/);
    const instant = new StreamRegistry(sourceOptions(clock, { publisherGraceMs: 0 }));
    const source = instant.publish(key, publisher('a'));
    instant.unpublish(source, 'a');
    expect(instant.list()).toEqual([]);
  });

  it('lets a reader that joins during the gap start at the new publisher’s keyframe', async () => {
    const first = publishSome('pub1', 0);
    registry.unpublish(first, 'pub1');
    const sink = new MemorySink();
    first.addReader(labelFormat, info('late'), sink);
    await vi.advanceTimersByTimeAsync(1);
    expect(sink.text()).toBe('');
    clock.now = 500;
    publishSome('pub2', 0);
    await vi.advanceTimersByTimeAsync(1);
    expect(sink.text()).toMatch(/^vh/);
    expect(sink.text()).toContain('vk');
  });

  it('tells subscribers when the publisher leaves and when a new one continues', () => {
    const source = publishSome('pub1', 0);
    const changes: boolean[] = [];
    let ended = false;
    source.subscribe({
      onPacket: () => {},
      onPublisherChange: (p) => changes.push(p),
      onEnd: () => {
        ended = true;
      },
    });
    registry.unpublish(source, 'pub1');
    publishSome('pub2', 0);
    expect(changes).toEqual([false, true]);
    expect(ended).toBe(false);
    registry.end(source);
    expect(ended).toBe(true);
  });
});

describe('StreamRegistry: a silent publisher gives its stream up to a new one', () => {
  const clock = { now: 0 };

  function setup(publisherTakeoverMs: number) {
    const registry = new StreamRegistry(sourceOptions(clock, { publisherGraceMs: 10_000, publisherTakeoverMs }));
    const disconnected: string[] = [];
    const publisherOf = (cid: string) => ({
      ...publisher(cid),
      disconnect: (reason: string) => {
        disconnected.push(`${cid}: ${reason}`);
        // The old session ends as a real one does, reporting its departure with its own cid.
        registry.unpublish(registry.list()[0], cid);
      },
    });
    return { registry, disconnected, publisherOf };
  }

  beforeEach(() => {
    vi.useFakeTimers();
    clock.now = 0;
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('refuses a second publisher while the first sends, takes over once it has been silent long enough', async () => {
    const { registry, disconnected, publisherOf } = setup(3000);
    const first = registry.publish(key, publisherOf('pub1'));
    first.push(header('video'));
    first.push(video(0, true));
    const sink = new MemorySink();
    first.addReader(labelFormat, info('r'), sink);
    clock.now = 2500;
    first.push(video(2500, false));
    clock.now = 5000;
    expect(() => registry.publish(key, publisherOf('pub2'))).toThrow(/already published by pub1/);
    clock.now = 5600;
    const taken = registry.publish(key, publisherOf('pub2'));
    expect(taken).toBe(first);
    expect(taken.publisher.cid).toBe('pub2');
    expect(taken.isPublishing).toBe(true);
    expect(disconnected).toEqual(['pub1: replaced by pub2: no media for 3100 ms']);
    // The reader stayed and gets the new publisher's media; the old one's departure did not end the stream.
    taken.push(header('video'));
    taken.push(video(0, true));
    await vi.advanceTimersByTimeAsync(1);
    expect(sink.ended).toBe(false);
    expect(sink.text()).toMatch(/^vhk0;vk0;v2500;vhk\d+;vk\d+;$/);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(registry.list()).toEqual([taken]);
  });

  it('never takes over with publisherTakeoverMs 0', () => {
    const { registry, publisherOf } = setup(0);
    registry.publish(key, publisherOf('pub1'));
    clock.now = 600_000;
    expect(() => registry.publish(key, publisherOf('pub2'))).toThrow(/already published/);
  });
});
