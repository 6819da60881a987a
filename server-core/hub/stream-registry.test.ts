import { describe, expect, it } from 'vitest';
import { HubError } from './hub-error.js';
import { StreamRegistry } from './stream-registry.js';
import { sourceOptions } from './test-support.js';

const publisher = (cid: string) => ({ cid, protocol: 'test', ip: '127.0.0.1', query: '', disconnect: () => {} });
const key = { vhost: 'v', app: 'live', stream: 's' };

describe('StreamRegistry', () => {
  it('refuses a second publisher of the same stream and keeps the first', () => {
    const registry = new StreamRegistry(sourceOptions({ now: 0 }));
    const first = registry.publish(key, publisher('a'));
    expect(() => registry.publish(key, publisher('b'))).toThrowError(
      expect.objectContaining({ code: 'STREAM_BUSY' }) as unknown as HubError,
    );
    expect(registry.find(key)).toBe(first);
  });

  it('frees the name on unpublish and tells listeners', () => {
    const registry = new StreamRegistry(sourceOptions({ now: 0 }));
    const events: string[] = [];
    registry.onStream((e) => events.push(`${e.type}:${e.source.publisher.cid}`));
    const first = registry.publish(key, publisher('a'));
    registry.unpublish(first, first.publisher.cid);
    registry.unpublish(first, first.publisher.cid);
    registry.publish(key, publisher('b'));
    expect(events).toEqual(['publish:a', 'unpublish:a', 'publish:b']);
  });

  it('rejects names that would escape a path', () => {
    const registry = new StreamRegistry(sourceOptions({ now: 0 }));
    for (const stream of ['', '..', 'a/../b', 'a b', 'x?y']) {
      expect(() => registry.publish({ ...key, stream }, publisher('a'))).toThrow(HubError);
    }
  });
});
