import { describe, expect, it } from 'vitest';
import { codecForPsStreamType, probeCodec, psStreamTypeForCodec } from './stream-type.js';

describe('PS stream types', () => {
  it('maps the GB/T 28181 stream types both ways', () => {
    for (const codec of ['h264', 'hevc', 'aac', 'g711a', 'g711u'] as const) {
      expect(codecForPsStreamType(psStreamTypeForCodec(codec))).toBe(codec);
    }
    expect(codecForPsStreamType(0x80)).toBeUndefined();
  });

  it('probes H.264 and H.265 from the first NAL header, AAC from the ADTS sync word', () => {
    const h = (hex: string) => Buffer.from(hex, 'hex');
    expect(probeCodec(0xe2, h('0000000109f0'))).toBe('h264');
    expect(probeCodec(0xe0, h('000001674d'))).toBe('h264');
    expect(probeCodec(0xe0, h('00000001650000'))).toBe('h264');
    expect(probeCodec(0xe0, h('0000000140010c'))).toBe('hevc');
    expect(probeCodec(0xe0, h('00000001460150'))).toBe('hevc');
    expect(probeCodec(0xe0, h('000000012601af'))).toBe('hevc');
    expect(probeCodec(0xe0, h('47400000'))).toBeUndefined();
    expect(probeCodec(0xc0, h('fff15080'))).toBe('aac');
    expect(probeCodec(0xc0, h('d5d5d5d5'))).toBeUndefined();
    expect(probeCodec(0xbd, h('00000001674d'))).toBeUndefined();
  });
});
