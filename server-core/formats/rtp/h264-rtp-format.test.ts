import { describe, expect, it } from 'vitest';
import { buildAvcDecoderConfig } from '../../codec/h264/avcc.js';
import { joinLengthPrefixed } from '../../codec/nal/length-prefixed.js';
import type { MediaPacket } from '../../hub/media-packet.js';
import { SharedPacket } from '../../hub/wire-format.js';
import { makeNal } from '../../protocol/rtp/h264-test-support.js';
import { H264Depacketizer } from '../../protocol/rtp/index.js';
import { H264RtpFormat, readSharedRtpPacket, SHARED_RTP_HEADER_SIZE } from './h264-rtp-format.js';

const SPS = Buffer.from('6742c01ed900a02ff97011000003000100000300320f162e48', 'hex');
const PPS = Buffer.from('68cb83cb20', 'hex');

function packet(p: Partial<MediaPacket> & Pick<MediaPacket, 'kind' | 'codec' | 'payload'>): SharedPacket {
  return new SharedPacket({ track: 1, dts: 0, pts: 0, keyframe: false, sequenceHeader: false, ...p });
}

describe('H264RtpFormat', () => {
  it('puts SPS/PPS before every IDR, cuts payloads to 1200 bytes, marks the last, numbers the stream', () => {
    const format = new H264RtpFormat();
    const header = packet({
      kind: 'video',
      codec: 'h264',
      sequenceHeader: true,
      payload: buildAvcDecoderConfig([SPS], [PPS]),
    });
    expect(header.packetsFor(format)).toEqual([]);
    const idr = makeNal(5, 5000, 1);
    const frame = packet({
      kind: 'video',
      codec: 'h264',
      keyframe: true,
      pts: 1000,
      dts: 1000,
      payload: joinLengthPrefixed([idr]),
    });
    const out = frame.packetsFor(format);
    expect(frame.packetsFor(format)).toBe(out); // encoded once, shared
    const shared = out.map(readSharedRtpPacket);
    expect(shared.every((p) => p.payload.length <= 1200 && p.kind === 'video' && p.timestamp === 90_000)).toBe(true);
    expect(shared.map((p) => p.marker)).toEqual(shared.map((_, i) => i === shared.length - 1));
    expect(shared.map((p) => p.sequenceNumber)).toEqual(shared.map((_, i) => i));
    const depacketizer = new H264Depacketizer();
    const units = shared.flatMap((p) => depacketizer.push(p));
    expect(units).toHaveLength(1);
    expect(units[0].nals.map((n) => n[0] & 0x1f)).toEqual([7, 8, 5]);
    expect(units[0].nals[2].equals(idr)).toBe(true);
    const next = packet({
      kind: 'video',
      codec: 'h264',
      pts: 1033,
      dts: 1033,
      payload: joinLengthPrefixed([makeNal(1, 300, 2)]),
    });
    const p = next.packetsFor(format).map(readSharedRtpPacket);
    expect(p).toHaveLength(1);
    expect(p[0].sequenceNumber).toBe(shared.length);
    expect(p[0].timestamp).toBe(1033 * 90);
  });

  it('Opus packets are one payload each at 48 kHz; AAC and sequence headers yield nothing', () => {
    const format = new H264RtpFormat();
    const opus = Buffer.from([0xfc, 1, 2, 3]);
    const out = packet({ kind: 'audio', codec: 'opus', pts: 20, dts: 20, payload: opus }).packetsFor(format);
    expect(out).toHaveLength(1);
    expect(out[0].length).toBe(SHARED_RTP_HEADER_SIZE + opus.length);
    expect(readSharedRtpPacket(out[0])).toMatchObject({ kind: 'audio', timestamp: 960, sequenceNumber: 0 });
    expect(packet({ kind: 'audio', codec: 'aac', payload: Buffer.from([1, 2]) }).packetsFor(format)).toEqual([]);
    expect(packet({ kind: 'audio', codec: 'opus', sequenceHeader: true, payload: opus }).packetsFor(format)).toEqual(
      [],
    );
  });

  it('a broken access unit is dropped and counted, not thrown', () => {
    const format = new H264RtpFormat();
    const bad = packet({ kind: 'video', codec: 'h264', payload: Buffer.from([0, 0, 0, 99, 5]) });
    expect(bad.packetsFor(format)).toEqual([]);
    expect(format.dropped).toBe(1);
  });
});
