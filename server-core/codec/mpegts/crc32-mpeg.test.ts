import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32Mpeg } from './crc32-mpeg.js';

describe('CRC-32/MPEG-2', () => {
  it('matches the catalogue check value', () => {
    expect(crc32Mpeg(Buffer.from('123456789', 'latin1'))).toBe(0x0376e6e7);
    expect(crc32Mpeg(Buffer.alloc(0))).toBe(0xffffffff);
  });

  it('checks the PAT ffmpeg writes (program 1 on PMT PID 0x1000)', () => {
    const pat = Buffer.from('00b00d0001c100000001f0002ab104b2', 'hex');
    expect(crc32Mpeg(pat.subarray(0, pat.length - 4))).toBe(pat.readUInt32BE(pat.length - 4));
    expect(crc32Mpeg(pat)).toBe(0);
  });

  it('leaves a residue of 0 over data followed by its CRC', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const crc = Buffer.alloc(4);
        crc.writeUInt32BE(crc32Mpeg(bytes));
        expect(crc32Mpeg(Buffer.concat([bytes, crc]))).toBe(0);
      }),
    );
  });
});
