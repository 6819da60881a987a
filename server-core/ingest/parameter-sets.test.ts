import { describe, expect, it } from 'vitest';
import { parseAvcDecoderConfig } from '../codec/h264/avcc.js';
import { parseHevcDecoderConfig } from '../codec/hevc/hvcc.js';
import { ParameterSets } from './parameter-sets.js';
import { accessUnitsByAud, fixture } from './test-support.js';

const h264 = accessUnitsByAud(fixture('size-change.h264'), 'h264');
const hevc = accessUnitsByAud(fixture('size-change.hevc'), 'hevc');
const h264Of = (type: number, au = h264[0]) => au.find((n) => (n[0] & 0x1f) === type)!;
const hevcOf = (type: number, au = hevc[0]) => au.find((n) => ((n[0] >> 1) & 0x3f) === type)!;

describe('ParameterSets', () => {
  it('builds an avcC once SPS and PPS are in, and keeps the same Buffer while nothing changes', () => {
    const sets = new ParameterSets('h264');
    expect(sets.put('sps', h264Of(7))).toBe(true);
    expect(sets.complete).toBe(false);
    expect(sets.record()).toBeUndefined();
    expect(sets.put('pps', h264Of(8))).toBe(true);
    const record = sets.record()!;
    expect(parseAvcDecoderConfig(record)).toMatchObject({ sps: [h264Of(7)], pps: [h264Of(8)] });
    expect(sets.put('sps', Buffer.from(h264Of(7)))).toBe(true);
    expect(sets.record()).toBe(record);
  });

  it('replaces a set with the same id', () => {
    const sets = new ParameterSets('h264');
    sets.put('sps', h264Of(7));
    sets.put('pps', h264Of(8));
    const first = sets.record()!;
    sets.put('sps', h264Of(7, h264[10])); // 160x120, id 0 again
    const second = sets.record()!;
    expect(second.equals(first)).toBe(false);
    expect(parseAvcDecoderConfig(second).sps).toEqual([h264Of(7, h264[10])]);
  });

  it('keeps copies, not views of the PES they came in', () => {
    const sets = new ParameterSets('h264');
    const sps = Buffer.from(h264Of(7));
    sets.put('sps', sps);
    sets.put('pps', h264Of(8));
    sps.fill(0);
    expect(parseAvcDecoderConfig(sets.record()!).sps[0]).toEqual(h264Of(7));
  });

  it('needs a VPS for HEVC and writes all three arrays', () => {
    const sets = new ParameterSets('hevc');
    sets.put('sps', hevcOf(33));
    sets.put('pps', hevcOf(34));
    expect(sets.complete).toBe(false);
    sets.put('vps', hevcOf(32));
    const config = parseHevcDecoderConfig(sets.record()!);
    expect([config.vps, config.sps, config.pps]).toEqual([[hevcOf(32)], [hevcOf(33)], [hevcOf(34)]]);
  });

  it('refuses sets that do not parse', () => {
    const sets = new ParameterSets('h264');
    expect(sets.put('sps', Buffer.from([0x67, 0x64]))).toBe(false);
    expect(sets.put('pps', Buffer.from([0x68]))).toBe(false);
    expect(sets.put('vps', h264Of(7))).toBe(false);
    expect(sets.put('sps', Buffer.alloc(0x10000, 0x67))).toBe(false);
    const hevcSets = new ParameterSets('hevc');
    expect(hevcSets.put('vps', Buffer.from([0x40, 0x01]))).toBe(false);
    expect(hevcSets.put('sps', Buffer.from([0x42, 0x01, 0x01]))).toBe(false);
  });
});
