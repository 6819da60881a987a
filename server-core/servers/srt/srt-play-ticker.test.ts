import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SrtPlayTicker } from './srt-play-ticker.js';

describe('SrtPlayTicker', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('ticks every member each period, lets one leave during its tick, and stops with the last', () => {
    const ticker = new SrtPlayTicker(10);
    const ticks = { a: 0, b: 0 };
    const a = { tick: () => ticks.a++ };
    const b = {
      tick: () => {
        ticks.b++;
        if (ticks.b === 3) ticker.delete(b);
      },
    };
    ticker.add(a);
    ticker.add(b);
    vi.advanceTimersByTime(50);
    expect(ticks).toEqual({ a: 5, b: 3 });
    expect(vi.getTimerCount()).toBe(1);
    ticker.delete(a);
    expect(ticker.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(50);
    expect(ticks.a).toBe(5);
  });
});
