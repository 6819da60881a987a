import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TIMESTAMP_WRAP } from './constants.js';
import { PES_STREAM_ID, parsePes, parsePesHeader, writePesHeader } from './pes.js';
import { readPesTimestamp, wrapTimestamp, writePesTimestamp } from './timestamp.js';
import { TsError } from './ts-error.js';

describe('PES timestamps', () => {
  it('encode in the 5-byte layout with marker bits', () => {
    const out = Buffer.alloc(5);
    writePesTimestamp(out, 0, 0x2, 0x1_ffff_ffff);
    expect(out.toString('hex')).toBe('2fffffffff');
    writePesTimestamp(out, 0, 0x3, 0);
    expect(out.toString('hex')).toBe('3100010001');
  });

  it('wrap to 33 bits and round-trip', () => {
    expect(wrapTimestamp(-1)).toBe(TIMESTAMP_WRAP - 1);
    expect(wrapTimestamp(TIMESTAMP_WRAP + 5)).toBe(5);
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), (ticks) => {
        const out = Buffer.alloc(5);
        writePesTimestamp(out, 0, 0x2, ticks);
        expect(readPesTimestamp(out, 0)).toBe(wrapTimestamp(ticks));
      }),
    );
  });
});

describe('PES header', () => {
  it('reads the header ffmpeg writes, and writes the same one plus data_alignment_indicator', () => {
    // ffmpeg 5.1 -f mpegts, first H.264 frame: unbounded, PTS only (126000).
    const ffmpeg = Buffer.from('000001e00000808005210007d861', 'hex');
    expect(parsePesHeader(ffmpeg)).toEqual({ streamId: 0xe0, packetLength: 0, pts: 126_000, headerLength: 14 });
    const ours = writePesHeader({ streamId: PES_STREAM_ID.VIDEO, payloadLength: 100, pts: 126_000, unbounded: true });
    expect(ours.toString('hex')).toBe('000001e00000848005210007d861');
  });

  it('writes PTS then DTS when they differ', () => {
    const header = writePesHeader({ streamId: PES_STREAM_ID.VIDEO, payloadLength: 100, pts: 129_600, dts: 126_000 });
    expect(header.toString('hex')).toBe('000001e0007184c00a' + '310007f481' + '110007d861');
    expect(parsePesHeader(header)).toEqual({
      streamId: 0xe0,
      packetLength: 113,
      pts: 129_600,
      dts: 126_000,
      headerLength: 19,
    });
  });

  it('bounds audio, omits DTS equal to PTS, and refuses audio too long for PES_packet_length', () => {
    const header = writePesHeader({ streamId: PES_STREAM_ID.AUDIO, payloadLength: 10, pts: 5, dts: 5 });
    expect(header.length).toBe(14);
    expect(header.readUInt16BE(4)).toBe(8 + 10);
    const pes = parsePes(Buffer.concat([header, Buffer.alloc(10, 7), Buffer.from('extra')]));
    expect(pes.payload).toEqual(Buffer.alloc(10, 7));
    expect(pes.dts).toBeUndefined();
    expect(() => writePesHeader({ streamId: PES_STREAM_ID.AUDIO, payloadLength: 70_000, pts: 0 })).toThrowError(
      expect.objectContaining({ code: 'TS_TOO_LARGE' }),
    );
    expect(writePesHeader({ streamId: PES_STREAM_ID.VIDEO, payloadLength: 70_000, pts: 0 }).readUInt16BE(4)).toBe(0);
  });

  it('reports a bounded PES cut short', () => {
    const header = writePesHeader({ streamId: PES_STREAM_ID.AUDIO, payloadLength: 10, pts: 5 });
    expect(() => parsePes(Buffer.concat([header, Buffer.alloc(4)]))).toThrowError(
      expect.objectContaining({ code: 'TS_TRUNCATED' }),
    );
  });

  it('round-trips, and random bytes throw only TsError', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0xbd, 0xc0, 0xe0),
        fc.uint8Array({ maxLength: 500 }),
        fc.integer({ min: 0, max: TIMESTAMP_WRAP - 1 }),
        fc.integer({ min: 0, max: TIMESTAMP_WRAP - 1 }),
        (streamId, payload, pts, dts) => {
          const header = writePesHeader({ streamId, payloadLength: payload.length, pts, dts });
          const pes = parsePes(Buffer.concat([header, payload]));
          expect(pes.payload).toEqual(Buffer.from(payload));
          expect(pes.pts).toBe(pts);
          expect(pes.dts ?? pes.pts).toBe(dts);
        },
      ),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.boolean(), (bytes, prefix) => {
        const buf = Buffer.from(bytes);
        if (prefix && buf.length >= 3) buf.set([0, 0, 1]);
        try {
          parsePes(buf);
        } catch (err) {
          expect(err).toBeInstanceOf(TsError);
        }
      }),
    );
  });
});
