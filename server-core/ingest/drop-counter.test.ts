import { describe, expect, it } from 'vitest';
import { DropCounter, emptyDropCounts, INGEST_DROP_REASONS } from './drop-counter.js';

describe('DropCounter', () => {
  it('counts by reason and in total; snapshots are copies', () => {
    const drops = new DropCounter();
    drops.count('malformed');
    drops.count('too-large', 3);
    const snapshot = drops.snapshot();
    drops.count('malformed');
    expect(snapshot).toEqual({ ...emptyDropCounts(), malformed: 1, 'too-large': 3 });
    expect(drops.get('malformed')).toBe(2);
    expect(drops.total).toBe(5);
    expect(Object.keys(emptyDropCounts())).toEqual([...INGEST_DROP_REASONS]);
  });
});
