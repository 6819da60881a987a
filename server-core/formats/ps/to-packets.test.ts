import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PsMuxer } from '../../codec/ps/muxer.js';
import { h264AccessUnit } from '../../codec/ps/test-support.js';
import type { MediaPacket } from '../../hub/media-packet.js';
import { fixture, ingest, isMonotonic, pesOf, splitAt } from '../../ingest/test-support.js';
import { type PsG711Chunk, PsIngest } from './to-packets.js';

/** h264-aac.m2ts as a GB camera would send it: one pack per access unit / ADTS payload, in time order. */
function cameraPs(): Buffer {
  const video = pesOf('h264-aac.m2ts', 'h264');
  const audio = pesOf('h264-aac.m2ts', 'aac');
  // TS audio PES carry several ADTS frames: big enough PES for them, video still split in many.
  const muxer = new PsMuxer({ video: 'h264', audio: 'aac', maxPesPayload: 4096 });
  const packs: { time: number; bytes: Buffer }[] = [
    ...video.map((p) => ({
      time: p.dts ?? p.pts!,
      bytes: muxer.writeVideo({ pts: p.pts!, dts: p.dts, data: p.data }),
    })),
    ...audio.map((p) => ({ time: p.pts!, bytes: muxer.writeAudio({ pts: p.pts!, data: p.data }) })),
  ];
  // Muxer state (maps on the first pack) depends on write order; writing video first keeps them up front.
  return Buffer.concat(packs.sort((a, b) => a.time - b.time).map((p) => p.bytes));
}

function run(chunks: readonly Buffer[]): MediaPacket[] {
  const ps = new PsIngest();
  return chunks.flatMap((c) => ps.push(c));
}

const frames = (packets: readonly MediaPacket[], kind: 'video' | 'audio') =>
  packets.filter((p) => p.kind === kind && !p.sequenceHeader);

describe('PsIngest', () => {
  it('gives the same H.264 and AAC frames as the MPEG-TS ingest of the same elementary streams', () => {
    const fromTs = ingest(fixture('h264-aac.m2ts')).packets;
    const fromPs = run([cameraPs()]);
    const tsVideo = frames(fromTs, 'video');
    const psVideo = frames(fromPs, 'video');
    // The last PES waits for the start code after it and the last access unit for the next PTS (a live stream
    // has both); every other one comes out.
    expect(psVideo.length).toBe(tsVideo.length - 2);
    psVideo.forEach((p, i) => {
      expect(p.payload.equals(tsVideo[i].payload)).toBe(true);
      expect(p.keyframe).toBe(tsVideo[i].keyframe);
    });
    expect(psVideo.filter((p) => p.keyframe).length).toBe(2);
    const tsAudio = frames(fromTs, 'audio');
    const psAudio = frames(fromPs, 'audio');
    expect(psAudio.length).toBeGreaterThanOrEqual(tsAudio.length - 2);
    psAudio.forEach((p, i) => {
      expect(p.payload.equals(tsAudio[i].payload)).toBe(true);
    });
    expect(fromPs.find((p) => p.kind === 'video' && p.sequenceHeader)?.codec).toBe('h264');
    expect(fromPs.find((p) => p.kind === 'audio' && p.sequenceHeader)?.codec).toBe('aac');
  });

  it('hands G.711 samples to the transcoder with their time, and makes no packets of them', () => {
    const muxer = new PsMuxer({ video: 'h264', audio: 'g711a' });
    const chunks: PsG711Chunk[] = [];
    const ps = new PsIngest((c) => chunks.push(c));
    const out: MediaPacket[] = [];
    for (let i = 0; i < 10; i++) {
      out.push(...ps.push(muxer.writeVideo({ pts: i * 3600, data: h264AccessUnit(i === 0, [300]) })));
      out.push(...ps.push(muxer.writeAudio({ pts: i * 3600, data: Buffer.alloc(320, 0xd5) })));
    }
    expect(out.some((p) => p.kind === 'audio')).toBe(false);
    // The last pack waits for the start code after it (the next pack of a live stream).
    expect(chunks.length).toBe(9);
    expect(chunks.every((c) => c.codec === 'g711a' && c.samples.length === 320)).toBe(true);
    expect(chunks.map((c) => c.pts)).toEqual(chunks.map((_, i) => i * 40));
    expect(ps.codecs).toEqual({ video: 'h264', audio: 'g711a' });
  });

  it('never throws on cut, truncated or noisy input, and keeps each track monotonic', () => {
    const stream = cameraPs();
    fc.assert(
      fc.property(
        fc.array(fc.nat(stream.length), { maxLength: 30 }),
        fc.array(fc.record({ at: fc.nat(stream.length), noise: fc.uint8Array({ minLength: 1, maxLength: 64 }) }), {
          maxLength: 5,
        }),
        fc.nat(stream.length),
        (cuts, noises, end) => {
          let bytes = stream.subarray(0, Math.max(end, 1));
          for (const n of noises) {
            const at = Math.min(n.at, bytes.length);
            bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(n.noise), bytes.subarray(at)]);
          }
          const ps = new PsIngest();
          const packets: MediaPacket[] = [];
          splitAt(bytes, cuts).forEach((chunk, i) => {
            if (i % 7 === 6) packets.push(...ps.discontinuity());
            packets.push(...ps.push(chunk));
          });
          for (const kind of ['video', 'audio'] as const) {
            expect(isMonotonic(packets.filter((p) => p.kind === kind).map((p) => p.dts))).toBe(true);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
