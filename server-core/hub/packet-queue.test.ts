import { describe, expect, it } from 'vitest';
import { PacketQueue } from './packet-queue.js';

describe('PacketQueue', () => {
  it('queues in order up to its bound and reports the bytes waiting', () => {
    const q = new PacketQueue(10);
    expect(q.push([Buffer.alloc(4), Buffer.alloc(4)])).toBe(true);
    expect(q.bytes).toBe(8);
    // Past the bound: refused whole, nothing queued.
    expect(q.push([Buffer.alloc(1), Buffer.alloc(2)])).toBe(false);
    expect(q.length).toBe(2);
    expect(q.shift()?.length).toBe(4);
    expect(q.bytes).toBe(4);
    expect(q.push([Buffer.from([7])])).toBe(true);
    expect(q.shift()?.length).toBe(4);
    expect(q.shift()?.[0]).toBe(7);
    expect(q.shift()).toBeUndefined();
    expect(q.bytes).toBe(0);
  });

  it('stays correct across many pushes and shifts (compaction)', () => {
    const q = new PacketQueue(1e9);
    let next = 0;
    let expected = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 100; i++) q.push([Buffer.from([next++ & 0xff])]);
      for (let i = 0; i < 90; i++) expect(q.shift()?.[0]).toBe(expected++ & 0xff);
    }
    expect(q.length).toBe(next - expected);
  });
});
