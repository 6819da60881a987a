import { describe, expect, it } from 'vitest';
import { depacketizeOpus, OPUS_MAX_PACKET_SIZE, OPUS_RTP_CLOCK_RATE, packetizeOpus } from './opus-payload-format.js';
import { msToRtpTicks, rtpTicksToMs, rtpTimestampFromMs } from './rtp-clock.js';
import { rtpErrorCode } from './test-support.js';

describe('Opus RTP (RFC 7587)', () => {
  it('maps one Opus packet to one payload, unchanged', () => {
    const opus = Buffer.from([0xfc, 0xff, 0xfe]);
    const unit = packetizeOpus(opus);
    expect(unit.payload).toBe(opus);
    expect(unit.marker).toBe(false);
    expect(packetizeOpus(opus, true).marker).toBe(true);
    expect(depacketizeOpus(opus)).toBe(opus);
    expect(rtpErrorCode(() => depacketizeOpus(Buffer.alloc(0)))).toBe('RTP_INVALID');
    expect(rtpErrorCode(() => packetizeOpus(Buffer.alloc(OPUS_MAX_PACKET_SIZE + 1)))).toBe('RTP_TOO_LARGE');
  });

  it('runs a 48 kHz clock: 20 ms is 960 ticks', () => {
    expect(msToRtpTicks(20, OPUS_RTP_CLOCK_RATE)).toBe(960);
    expect(rtpTicksToMs(960, OPUS_RTP_CLOCK_RATE)).toBe(20);
    expect(rtpTimestampFromMs(1000, 90_000, 0xffff_ffff)).toBe(89_999);
  });
});
