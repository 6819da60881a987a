/**
 * Duration of one Opus packet in 48 kHz samples, from its TOC byte (RFC 6716 3.1):
 *
 *   config u5 | s u1 | c u2        [c = 3: v u1 | p u1 | M u6 (frame count)]
 *
 * config 0..11 SILK 10/20/40/60 ms, 12..15 hybrid 10/20 ms, 16..31 CELT 2.5/5/10/20 ms; c: 0 one frame,
 * 1 and 2 two frames, 3 M frames. undefined for an empty packet or one longer than the 120 ms the RFC allows.
 * (Codec knowledge kept here until codec/opus has a packet parser.)
 */

/** RFC 6716 3.2.5: a packet holds at most 120 ms of audio. */
export const MAX_OPUS_PACKET_SAMPLES = 5760;

const SILK_SAMPLES = [480, 960, 1920, 2880];
const HYBRID_SAMPLES = [480, 960];
const CELT_SAMPLES = [120, 240, 480, 960];

export function opusPacketSamples(packet: Buffer): number | undefined {
  if (packet.length < 1) return undefined;
  const toc = packet[0];
  const config = toc >> 3;
  const frameSamples =
    config < 12 ? SILK_SAMPLES[config % 4] : config < 16 ? HYBRID_SAMPLES[config % 2] : CELT_SAMPLES[config % 4];
  const code = toc & 0x03;
  let frames = code === 0 ? 1 : 2;
  if (code === 3) {
    if (packet.length < 2) return undefined;
    frames = packet[1] & 0x3f;
    if (frames === 0) return undefined;
  }
  const samples = frames * frameSamples;
  return samples <= MAX_OPUS_PACKET_SAMPLES ? samples : undefined;
}
