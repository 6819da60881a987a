import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32Mpeg } from '../mpegts/crc32-mpeg.js';
import { parseProgramStreamMap, writeProgramStreamMap } from './program-stream-map.js';
import { PsError } from './ps-error.js';

describe('program stream map', () => {
  it('writes H.264 + G.711A as a GB camera does, CRC over the whole map', () => {
    const psm = writeProgramStreamMap({
      streams: [
        { streamType: 0x1b, streamId: 0xe0 },
        { streamType: 0x90, streamId: 0xc0 },
      ],
    });
    expect(psm.subarray(0, 20).toString('hex')).toBe('000001bc0012a0ff000000081be0000090c00000');
    expect(crc32Mpeg(psm)).toBe(0); // a section followed by its CRC checks to 0
    const parsed = parseProgramStreamMap(psm);
    expect(parsed.streams.map((s) => [s.streamType, s.streamId])).toEqual([
      [0x1b, 0xe0],
      [0x90, 0xc0],
    ]);
    expect(parsed.size).toBe(psm.length);
    expect(parsed.currentNext).toBe(true);
  });

  it('reads a Hikvision-style map with descriptors', () => {
    const info = Buffer.from('400e4b4800010000000000000000000000', 'hex').subarray(0, 16);
    const esInfo = Buffer.from('2a0aff0a0000000000000000', 'hex').subarray(0, 12);
    const psm = writeProgramStreamMap({
      version: 3,
      info,
      streams: [{ streamType: 0x24, streamId: 0xe0, info: esInfo }],
    });
    const parsed = parseProgramStreamMap(psm);
    expect(parsed.version).toBe(3);
    expect(parsed.info).toEqual(info);
    expect(parsed.streams).toEqual([{ streamType: 0x24, streamId: 0xe0, info: esInfo }]);
  });

  it('finds a bad CRC, and can be told to ignore it', () => {
    const psm = writeProgramStreamMap({ streams: [{ streamType: 0x1b, streamId: 0xe0 }] });
    psm.writeUInt32BE(0, psm.length - 4);
    expect(() => parseProgramStreamMap(psm)).toThrow(expect.objectContaining({ code: 'PS_CRC' }));
    expect(parseProgramStreamMap(psm, 0, { checkCrc: false }).streams).toHaveLength(1);
  });

  it('round-trips, and any truncation or corruption throws only PsError', () => {
    const entry = fc.record({
      streamType: fc.integer({ min: 0, max: 255 }),
      streamId: fc.integer({ min: 0, max: 255 }),
      info: fc.uint8Array({ maxLength: 20 }).map((b) => Buffer.from(b)),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 10 }), fc.nat(), fc.nat(255), (streams, cut, flip) => {
        const psm = writeProgramStreamMap({ streams });
        expect(parseProgramStreamMap(psm).streams).toEqual(streams);
        const n = cut % psm.length;
        expect(() => parseProgramStreamMap(psm.subarray(0, n))).toThrow(PsError);
        const bent = Buffer.from(psm);
        bent[n] ^= flip;
        try {
          parseProgramStreamMap(bent, 0, { checkCrc: false });
        } catch (err) {
          expect(err).toBeInstanceOf(PsError);
        }
      }),
    );
  });
});
