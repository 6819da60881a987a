import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxPesPayload, parsePsPes, writePsPes } from './pes-packet.js';
import { PsError } from './ps-error.js';

describe('PS PES packet', () => {
  it('writes PTS only, PTS+DTS, or no timestamps', () => {
    const payload = Buffer.from([0, 0, 0, 1, 0x09, 0xf0]);
    const a = writePsPes({ streamId: 0xe0, pts: 3600, payload, dataAlignment: true });
    expect(a.subarray(0, 14).toString('hex')).toBe('000001e0000e8480052100011c21');
    expect(parsePsPes(a, 0, a.length)).toEqual({ streamId: 0xe0, pts: 3600, dts: 3600, dataAlignment: true, payload });
    const b = writePsPes({ streamId: 0xe0, pts: 7200, dts: 3600, payload });
    expect(parsePsPes(b, 0, b.length)).toMatchObject({ pts: 7200, dts: 3600 });
    const c = writePsPes({ streamId: 0xe0, payload });
    expect(c.subarray(0, 9).toString('hex')).toBe('000001e0000980' + '0000');
    const parsed = parsePsPes(c, 0, c.length);
    expect(parsed.pts).toBeUndefined();
    expect(parsed.payload).toEqual(payload);
  });

  it('reads an MPEG-1 PES with stuffing, STD buffer and PTS', () => {
    const pes = Buffer.from('000001c0000cffff40202100011c21aabbcc', 'hex');
    expect(parsePsPes(pes, 0, pes.length)).toMatchObject({
      streamId: 0xc0,
      pts: 3600,
      payload: Buffer.from('aabbcc', 'hex'),
    });
  });

  it('refuses a payload over PES_packet_length', () => {
    const payload = Buffer.alloc(maxPesPayload(5) + 1);
    expect(() => writePsPes({ streamId: 0xe0, pts: 0, payload })).toThrow(
      expect.objectContaining({ code: 'PS_TOO_LARGE' }),
    );
    expect(writePsPes({ streamId: 0xe0, pts: 0, payload: payload.subarray(1) }).readUInt16BE(4)).toBe(0xffff);
  });

  it('round-trips, and corrupt headers throw only PsError', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0xc0, max: 0xef }),
        fc.option(fc.integer({ min: 0, max: 2 ** 33 - 1 }), { nil: undefined }),
        fc.integer({ min: 0, max: 2 ** 33 - 1 }),
        fc.uint8Array({ maxLength: 100 }),
        fc.nat(),
        fc.nat(255),
        (streamId, pts, dts, bytes, at, flip) => {
          const payload = Buffer.from(bytes);
          const pes = writePsPes({ streamId, pts, dts: pts === undefined ? undefined : dts, payload });
          const parsed = parsePsPes(pes, 0, pes.length);
          expect(parsed.payload).toEqual(payload);
          expect(parsed.pts).toBe(pts);
          const bent = Buffer.from(pes);
          bent[at % bent.length] ^= flip;
          try {
            parsePsPes(bent, 0, bent.length);
          } catch (err) {
            expect(err).toBeInstanceOf(PsError);
          }
        },
      ),
    );
  });
});
