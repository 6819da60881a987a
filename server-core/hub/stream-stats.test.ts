import { describe, expect, it } from 'vitest';
import { StreamStats } from './stream-stats.js';
import { audio, header, video } from './test-support.js';

/** 30 fps video with a keyframe every `gop` frames, audio every 21 ms, `seconds` long. */
function feed(stats: StreamStats, seconds: number, options: { gop: number; bFrames?: boolean; audioLagMs?: number }) {
  stats.onPacket(header('video'), 0);
  const frames = seconds * 30;
  let nextAudio = 0;
  for (let i = 0; i < frames; i++) {
    const dts = Math.round((i * 1000) / 30);
    const packet = video(dts, i % options.gop === 0);
    if (options.bFrames && i % 3 !== 0) packet.pts = dts + 66;
    stats.onPacket(packet, dts);
    while (nextAudio <= dts) {
      stats.onPacket(audio(nextAudio - (options.audioLagMs ?? 0)), dts);
      nextAudio += 21;
    }
  }
}

describe('StreamStats health', () => {
  it('measures fps, the GOP in ms and frames, and sees no B-frames in an all-I/P stream', () => {
    const stats = new StreamStats(0);
    feed(stats, 6, { gop: 60 });
    expect(stats.fps).toBeCloseTo(30, 0);
    expect(stats.gopMs).toBe(2000);
    expect(stats.gopFrames).toBe(60);
    expect(stats.bFrames).toBe(false);
    expect(Math.abs(stats.avDriftMs!)).toBeLessThan(40);
  });

  it('reports a 5 s keyframe interval, B-frames (pts ≠ dts) and audio lagging video', () => {
    const stats = new StreamStats(0);
    feed(stats, 11, { gop: 150, bFrames: true, audioLagMs: 800 });
    expect(stats.gopMs).toBe(5000);
    expect(stats.gopFrames).toBe(150);
    expect(stats.bFrames).toBe(true);
    expect(stats.avDriftMs).toBeLessThan(-700);
  });

  it('knows nothing before it has seen enough', () => {
    const stats = new StreamStats(0);
    expect(stats.fps).toBeNull();
    expect(stats.avDriftMs).toBeNull();
    stats.onPacket(video(0, true), 0);
    expect(stats.gopMs).toBeNull();
    expect(stats.avDriftMs).toBeNull();
  });

  it("forgets the old encoder's settings when a new publisher continues the stream", () => {
    const stats = new StreamStats(0);
    feed(stats, 11, { gop: 150, bFrames: true });
    stats.newPublisher();
    expect(stats.bFrames).toBe(false);
    expect(stats.gopMs).toBeNull();
    expect(stats.fps).toBeNull();
    expect(stats.avDriftMs).toBeNull();
    expect(stats.videoFrames).toBe(330);
  });
});
