import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_OPUS_PACKET_SAMPLES, opusPacketSamples } from './opus-packet-duration.js';

describe('opusPacketSamples', () => {
  it('reads Opus packet durations from the TOC (RFC 6716 3.1)', () => {
    expect(opusPacketSamples(Buffer.from([0x00]))).toBe(480); // SILK NB 10 ms
    expect(opusPacketSamples(Buffer.from([0x19]))).toBe(5760); // SILK 60 ms, two frames
    expect(opusPacketSamples(Buffer.from([0x60]))).toBe(480); // hybrid SWB 10 ms
    expect(opusPacketSamples(Buffer.from([0x80]))).toBe(120); // CELT 2.5 ms
    expect(opusPacketSamples(Buffer.from([0x83, 0x30]))).toBe(120 * 48);
    expect(opusPacketSamples(Buffer.from([0x1b, 0x03]))).toBeUndefined(); // 180 ms
    expect(opusPacketSamples(Buffer.from([0x03]))).toBeUndefined();
    expect(opusPacketSamples(Buffer.alloc(0))).toBeUndefined();
  });

  it('is a whole number of 2.5 ms units up to 120 ms for any packet', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 4 }), (bytes) => {
        const samples = opusPacketSamples(Buffer.from(bytes));
        if (samples !== undefined) {
          expect(samples % 120).toBe(0);
          expect(samples).toBeGreaterThan(0);
          expect(samples).toBeLessThanOrEqual(MAX_OPUS_PACKET_SAMPLES);
        }
      }),
    );
  });
});
