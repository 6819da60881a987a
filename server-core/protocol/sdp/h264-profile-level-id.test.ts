import { describe, expect, it } from 'vitest';
import { parseH264Sps } from '../../codec/h264/sps.js';
import {
  formatProfileLevelId,
  h264LevelRank,
  h264ProfileClass,
  h264ProfileDecodes,
  parseProfileLevelId,
} from './h264-profile-level-id.js';
import { sdpErrorCode } from './test-support.js';

const cls = (hex: string) => h264ProfileClass(parseProfileLevelId(hex));

describe('H.264 profile-level-id (RFC 6184 8.1)', () => {
  it('tells the profiles apart as RFC 6184 Table 5 does', () => {
    expect(cls('42e01f')).toBe('constrained-baseline');
    expect(cls('42c01f')).toBe('constrained-baseline');
    expect(cls('42001f')).toBe('baseline');
    expect(cls('4d801f')).toBe('constrained-baseline');
    expect(cls('4d001f')).toBe('main');
    expect(cls('58c01f')).toBe('constrained-baseline');
    expect(cls('58801f')).toBe('baseline');
    expect(cls('58001f')).toBe('extended');
    expect(cls('640c1f')).toBe('constrained-high');
    expect(cls('640034')).toBe('high');
    expect(cls('f4001f')).toBe('high-444');
    expect(cls('530000')).toBe('other');
  });

  it('formats back, and from an SPS', () => {
    expect(formatProfileLevelId(parseProfileLevelId('42E01F'))).toBe('42e01f');
    const sps = parseH264Sps(Buffer.from('6742c00d8c8d40a0fd00f08846a0', 'hex'));
    expect(formatProfileLevelId(sps)).toBe('42c00d');
    expect(sdpErrorCode(() => parseProfileLevelId('42e0'))).toBe('SDP_BAD_ATTRIBUTE');
  });

  it('knows which decoders take which streams, and level 1b', () => {
    expect(h264ProfileDecodes('high-444', 'high')).toBe(true);
    expect(h264ProfileDecodes('high', 'main')).toBe(true);
    expect(h264ProfileDecodes('main', 'high')).toBe(false);
    expect(h264ProfileDecodes('baseline', 'constrained-baseline')).toBe(true);
    expect(h264ProfileDecodes('constrained-baseline', 'baseline')).toBe(false);
    expect(h264LevelRank(parseProfileLevelId('42f00b'))).toBeLessThan(11);
    expect(h264LevelRank(parseProfileLevelId('64000b'))).toBe(11);
  });
});
