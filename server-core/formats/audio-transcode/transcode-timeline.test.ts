import { describe, expect, it } from 'vitest';
import { TranscodeTimeline } from './transcode-timeline.js';

describe('TranscodeTimeline', () => {
  it('maps output frames of another duration onto the input times', () => {
    const t = new TranscodeTimeline();
    // AAC at 48 kHz: 21.333 ms frames from 1000 ms.
    for (let i = 0; i < 30; i++) t.input(1000 + Math.round((i * 1024) / 48), 1024 / 48);
    const out = Array.from({ length: 30 }, () => t.output(20));
    expect(out.slice(0, 3)).toEqual([1000, 1020, 1040]);
    expect(out[29]).toBe(1580);
  });

  it('keeps a gap in the input as a gap in the output', () => {
    const t = new TranscodeTimeline();
    for (let i = 0; i < 5; i++) t.input(i * 20, 20);
    // The publisher was away for two seconds.
    for (let i = 0; i < 5; i++) t.input(2100 + i * 20, 20);
    const out = Array.from({ length: 10 }, () => t.output(20));
    expect(out).toEqual([0, 20, 40, 60, 80, 2100, 2120, 2140, 2160, 2180]);
  });

  it('tolerates jitter of the input times without re-anchoring', () => {
    const t = new TranscodeTimeline();
    for (let i = 0; i < 50; i++) t.input(i * 20 + (i % 2 ? 3 : -3), 20);
    const out = Array.from({ length: 50 }, () => t.output(20));
    expect(out.every((pts, i) => pts === i * 20 - 3)).toBe(true);
  });

  it('has nothing to say before any input, and forgets everything on reset', () => {
    const t = new TranscodeTimeline();
    expect(t.output(20)).toBeUndefined();
    t.input(500, 20);
    t.reset();
    t.input(900, 20);
    expect(t.output(20)).toBe(900);
  });
});
