import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_AUDIO_PID, DEFAULT_PMT_PID, DEFAULT_VIDEO_PID, STREAM_TYPE } from './constants.js';
import { parsePat, writePat } from './pat.js';
import { type Pmt, parsePmt, writePmt } from './pmt.js';
import { parsePsiSection, psiSectionSize, writePsiSection } from './psi-section.js';
import { TsError } from './ts-error.js';

const hex = (s: string) => Buffer.from(s, 'hex');
// Sections ffmpeg 5.1 writes for H.264 + AAC (-f mpegts, default PIDs).
const FFMPEG_PAT = hex('00b00d0001c100000001f0002ab104b2');
const FFMPEG_PMT = hex('02b0170001c10000e100f0001be100f0000fe101f0002f44b99b');

const descriptor = fc.record({
  tag: fc.integer({ min: 0, max: 255 }),
  data: fc.uint8Array({ maxLength: 12 }).map((a) => Buffer.from(a)),
});
const pid = fc.integer({ min: 0x10, max: 0x1ffe });
const pmt: fc.Arbitrary<Pmt> = fc.record({
  programNumber: fc.integer({ min: 1, max: 0xffff }),
  version: fc.integer({ min: 0, max: 31 }),
  pcrPid: pid,
  programDescriptors: fc.array(descriptor, { maxLength: 3 }),
  streams: fc.array(
    fc.record({
      streamType: fc.integer({ min: 0, max: 255 }),
      pid,
      descriptors: fc.array(descriptor, { maxLength: 3 }),
    }),
    { maxLength: 8 },
  ),
});

function expectTsErrorOrValue(run: () => unknown): void {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(TsError);
  }
}

describe('PSI section', () => {
  it('reads the header fields and checks the CRC', () => {
    const section = parsePsiSection(FFMPEG_PAT);
    expect(section).toMatchObject({
      tableId: 0,
      tableIdExtension: 1,
      version: 0,
      currentNext: true,
      sectionNumber: 0,
      lastSectionNumber: 0,
    });
    expect(section.body).toEqual(hex('0001f000'));
    expect(psiSectionSize(FFMPEG_PAT)).toBe(FFMPEG_PAT.length);
    const corrupt = Buffer.from(FFMPEG_PAT);
    corrupt[9] ^= 1;
    expect(() => parsePsiSection(corrupt)).toThrowError(expect.objectContaining({ code: 'TS_CRC' }));
    expect(() => parsePsiSection(FFMPEG_PAT.subarray(0, 10))).toThrowError(
      expect.objectContaining({ code: 'TS_TRUNCATED' }),
    );
  });

  it('ignores stuffing after the section and refuses oversized ones', () => {
    expect(parsePsiSection(Buffer.concat([FFMPEG_PAT, Buffer.alloc(20, 0xff)])).body).toEqual(hex('0001f000'));
    expect(() => writePsiSection({ tableId: 2, tableIdExtension: 1, body: Buffer.alloc(1100) })).toThrowError(
      expect.objectContaining({ code: 'TS_TOO_LARGE' }),
    );
  });

  it('round-trips and never throws anything but TsError on random bytes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 254 }),
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 0, max: 31 }),
        fc.uint8Array({ maxLength: 200 }),
        (tableId, tableIdExtension, version, body) => {
          const bytes = writePsiSection({ tableId, tableIdExtension, version, body: Buffer.from(body) });
          expect(parsePsiSection(bytes)).toMatchObject({ tableId, tableIdExtension, version, body: Buffer.from(body) });
        },
      ),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expectTsErrorOrValue(() => parsePsiSection(Buffer.from(bytes)));
      }),
    );
  });
});

describe('PAT', () => {
  it('writes the bytes ffmpeg writes and reads them back', () => {
    const pat = { transportStreamId: 1, version: 0, programs: [{ programNumber: 1, pid: DEFAULT_PMT_PID }] };
    expect(writePat(pat)).toEqual(FFMPEG_PAT);
    expect(parsePat(FFMPEG_PAT)).toEqual(pat);
  });

  it('refuses other tables', () => {
    expect(() => parsePat(FFMPEG_PMT)).toThrowError(expect.objectContaining({ code: 'TS_INVALID' }));
  });

  it('round-trips random programs; random bytes throw only TsError', () => {
    const program = fc.record({ programNumber: fc.integer({ min: 0, max: 0xffff }), pid });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 0, max: 31 }),
        fc.array(program, { maxLength: 20 }),
        (transportStreamId, version, programs) => {
          const pat = { transportStreamId, version, programs };
          expect(parsePat(writePat(pat))).toEqual(pat);
        },
      ),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => expectTsErrorOrValue(() => parsePat(Buffer.from(b)))),
    );
  });
});

describe('PMT', () => {
  it('writes the bytes ffmpeg writes for H.264 + AAC and reads them back', () => {
    const value: Pmt = {
      programNumber: 1,
      version: 0,
      pcrPid: DEFAULT_VIDEO_PID,
      programDescriptors: [],
      streams: [
        { streamType: STREAM_TYPE.H264, pid: DEFAULT_VIDEO_PID, descriptors: [] },
        { streamType: STREAM_TYPE.AAC_ADTS, pid: DEFAULT_AUDIO_PID, descriptors: [] },
      ],
    };
    expect(writePmt(value)).toEqual(FFMPEG_PMT);
    expect(parsePmt(FFMPEG_PMT)).toEqual(value);
  });

  it('round-trips random programs; random bytes throw only TsError', () => {
    fc.assert(
      fc.property(pmt, (value) => {
        expect(parsePmt(writePmt(value))).toEqual(value);
      }),
    );
    fc.assert(
      fc.property(pmt, fc.nat(), fc.integer({ min: 0, max: 255 }), (value, at, xor) => {
        const bytes = Buffer.from(writePmt(value));
        bytes[at % bytes.length] ^= xor;
        expectTsErrorOrValue(() => parsePmt(bytes));
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => expectTsErrorOrValue(() => parsePmt(Buffer.from(b)))),
    );
  });
});
