import { describe, expect, it } from 'vitest';
import { parseOpusHead } from '../../codec/opus/index.js';
import type { MediaPacket } from '../../hub/media-packet.js';
import { makeNal } from '../../protocol/rtp/h264-test-support.js';
import type { RtpPacket } from '../../protocol/rtp/index.js';
import { WhipPublishFeed } from './whip-publish-feed.js';

const SPS = Buffer.from('6742c01ed900a02ff97011000003000100000300320f162e48', 'hex');
const PPS = Buffer.from('68cb83cb20', 'hex');

function rtp(sequenceNumber: number, timestamp: number, marker: boolean, payload: Buffer, ssrc = 0x1234): RtpPacket {
  return {
    version: 2,
    padding: false,
    marker,
    payloadType: 103,
    sequenceNumber,
    timestamp,
    ssrc,
    csrcs: [],
    payload,
  } as unknown as RtpPacket;
}

describe('WhipPublishFeed', () => {
  it('H.264 RTP from a random timestamp becomes a sequence header and frames in ms, keyframe first', () => {
    const out: MediaPacket[] = [];
    const feed = new WhipPublishFeed((p) => out.push(p), 0);
    const base = 0xfffff000; // wraps during the test
    feed.push(rtp(65535, base, false, SPS), 'video', 100);
    feed.push(rtp(0, base, false, PPS), 'video', 100);
    feed.push(rtp(1, base, true, makeNal(5, 500, 1)), 'video', 100);
    feed.push(rtp(2, (base + 3000) >>> 0, true, makeNal(1, 200, 2)), 'video', 133);
    feed.push(rtp(3, (base + 6000) >>> 0, true, makeNal(1, 200, 3)), 'video', 166);
    expect(out.map((p) => [p.sequenceHeader, p.keyframe, p.dts])).toEqual([
      [true, true, 100],
      [false, true, 100],
      [false, false, 133],
      [false, false, 167],
    ]);
    expect(out.every((p) => p.codec === 'h264' && p.track === 1)).toBe(true);
    expect(feed.videoSsrc).toBe(0x1234);
  });

  it('Opus RTP: an OpusHead first, then each packet at 48 kHz', () => {
    const out: MediaPacket[] = [];
    const feed = new WhipPublishFeed((p) => out.push(p), 1000);
    const toc = Buffer.from([0x78, 1, 2, 3]); // SILK 20 ms
    feed.push(rtp(10, 5000, true, toc), 'audio', 1050);
    feed.push(rtp(11, 5960, false, toc), 'audio', 1070);
    expect(out[0].sequenceHeader).toBe(true);
    expect(parseOpusHead(out[0].payload).channels).toBe(2);
    expect(out.slice(1).map((p) => [p.codec, p.pts])).toEqual([
      ['opus', 50],
      ['opus', 70],
    ]);
  });
});
