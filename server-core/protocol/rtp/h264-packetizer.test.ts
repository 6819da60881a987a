import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAvcDecoderConfig } from '../../codec/h264/avcc.js';
import { joinLengthPrefixed } from '../../codec/nal/length-prefixed.js';
import { H264Packetizer, packetizeH264Nals } from './h264-packetizer.js';
import { H264_RTP_FU_A, H264_RTP_STAP_A } from './h264-payload-format.js';
import { accessUnitArb, makeNal } from './h264-test-support.js';
import { rtpErrorCode } from './test-support.js';

// Baseline 320x240 SPS and a PPS (from an x264 stream).
const SPS = Buffer.from('6742c00d8c8d40a0fd00f08846a0', 'hex');
const PPS = Buffer.from('68ce3c80', 'hex');

describe('H.264 RTP packetizer (RFC 6184)', () => {
  it('sends a NAL that fits alone as a single NAL unit packet, without copying', () => {
    const au = joinLengthPrefixed([makeNal(5, 1000, 1)]);
    const [unit, ...rest] = new H264Packetizer().packetize(au);
    expect(rest).toEqual([]);
    expect(unit.marker).toBe(true);
    expect(unit.payload.buffer).toBe(au.buffer);
    expect(unit.payload.equals(au.subarray(4))).toBe(true);
  });

  it('aggregates small NAL units into STAP-A with F = OR and NRI = max', () => {
    const sps = makeNal(7, 20, 1, 3);
    const pps = makeNal(8, 5, 2, 1);
    const sei = makeNal(6, 30, 3, 0);
    sei[0] |= 0x80;
    const units = packetizeH264Nals([sps, pps, sei, makeNal(5, 1150, 4)], 1200);
    expect(units.length).toBe(2);
    const stap = units[0].payload;
    expect(stap[0]).toBe(0x80 | 0x60 | H264_RTP_STAP_A);
    expect(stap.readUInt16BE(1)).toBe(20);
    expect(stap.length).toBe(1 + 2 + 20 + 2 + 5 + 2 + 30);
    expect(units.map((u) => u.marker)).toEqual([false, true]);
  });

  it('fragments a large NAL into even FU-A pieces with S and E bits', () => {
    const nal = makeNal(5, 5000, 9, 2);
    const units = packetizeH264Nals([nal], 1200);
    expect(units.length).toBe(5);
    const sizes = units.map((u) => u.payload.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    for (const [i, u] of units.entries()) {
      expect(u.payload[0]).toBe(0x40 | H264_RTP_FU_A);
      expect(u.payload[1] & 0x1f).toBe(5);
      expect(Boolean(u.payload[1] & 0x80)).toBe(i === 0);
      expect(Boolean(u.payload[1] & 0x40)).toBe(i === units.length - 1);
      expect(u.marker).toBe(i === units.length - 1);
    }
    expect(Buffer.concat([nal.subarray(0, 1), ...units.map((u) => u.payload.subarray(2))]).equals(nal)).toBe(true);
  });

  it('puts SPS/PPS from the decoder configuration before an IDR that lacks them', () => {
    const packetizer = new H264Packetizer({
      parameterSetsBeforeIdr: true,
      decoderConfig: buildAvcDecoderConfig([SPS], [PPS]),
    });
    const idr = makeNal(5, 3000, 5);
    const units = packetizer.packetize(joinLengthPrefixed([makeNal(9, 2, 1), idr]));
    // AUD + SPS + PPS aggregated, then the IDR in FU-A.
    expect(units[0].payload[0] & 0x1f).toBe(H264_RTP_STAP_A);
    expect(units[0].payload.includes(SPS)).toBe(true);
    expect(units[0].payload.includes(PPS)).toBe(true);
    // A non-IDR AU and an IDR AU that carries its own parameter sets are left alone.
    const p = packetizer.packetize(joinLengthPrefixed([makeNal(1, 100, 2)]));
    expect(p.length).toBe(1);
    const own = packetizer.packetize(joinLengthPrefixed([SPS, PPS, makeNal(5, 100, 2)]));
    expect(own.length).toBe(1);
    expect(own[0].payload.length).toBe(1 + 2 + SPS.length + 2 + PPS.length + 2 + 100);
  });

  it('keeps every payload within the budget, marker on the last only', () => {
    fc.assert(
      fc.property(accessUnitArb, fc.integer({ min: 16, max: 1500 }), (nals, max) => {
        const units = new H264Packetizer({ maxPayloadSize: max }).packetize(joinLengthPrefixed(nals));
        expect(units.length).toBeGreaterThan(0);
        for (const u of units) expect(u.payload.length).toBeLessThanOrEqual(max);
        expect(units.map((u) => u.marker)).toEqual(units.map((_, i) => i === units.length - 1));
      }),
      { numRuns: 60 },
    );
  });

  it('skips NAL types that are not video data; rejects bad options and broken access units', () => {
    expect(packetizeH264Nals([Buffer.from([24, 1, 2]), Buffer.from([0, 1])])).toEqual([]);
    expect(rtpErrorCode(() => new H264Packetizer({ maxPayloadSize: 15 }))).toBe('RTP_BAD_ARGUMENT');
    expect(rtpErrorCode(() => new H264Packetizer().packetize(Buffer.from([0, 0, 0, 9, 1])))).toBe('RTP_INVALID');
    expect(rtpErrorCode(() => new H264Packetizer().setDecoderConfig(Buffer.from([2])))).toBe('RTP_INVALID');
  });
});
