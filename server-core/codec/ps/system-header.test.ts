import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PsError } from './ps-error.js';
import { parseSystemHeader, type SystemHeader, writeSystemHeader } from './system-header.js';

describe('system header', () => {
  it('writes a camera-like header for one video and one audio stream', () => {
    const header: SystemHeader = {
      rateBound: 6106,
      audioBound: 1,
      videoBound: 1,
      fixed: false,
      csps: false,
      audioLock: true,
      videoLock: true,
      streams: [
        { streamId: 0xe0, bufferBoundScale: 1, bufferSizeBound: 1024 },
        { streamId: 0xc0, bufferBoundScale: 0, bufferSizeBound: 32 },
      ],
    };
    const bytes = writeSystemHeader(header);
    expect(bytes.toString('hex')).toBe('000001bb000c802fb504e17fe0e400c0c020');
    expect(parseSystemHeader(bytes)).toEqual({ ...header, size: bytes.length });
  });

  it('round-trips', () => {
    const stream = fc.record({
      streamId: fc.integer({ min: 0xbc, max: 0xff }),
      bufferBoundScale: fc.constantFrom(0 as const, 1 as const),
      bufferSizeBound: fc.integer({ min: 0, max: 0x1fff }),
    });
    fc.assert(
      fc.property(
        fc.record({
          rateBound: fc.integer({ min: 0, max: 2 ** 22 - 1 }),
          audioBound: fc.integer({ min: 0, max: 32 }),
          videoBound: fc.integer({ min: 0, max: 16 }),
          fixed: fc.boolean(),
          csps: fc.boolean(),
          audioLock: fc.boolean(),
          videoLock: fc.boolean(),
          streams: fc.array(stream, { maxLength: 8 }),
        }),
        (header) => {
          const bytes = writeSystemHeader(header);
          expect(parseSystemHeader(bytes)).toEqual({ ...header, size: bytes.length });
        },
      ),
    );
  });

  it('rejects truncated input with PsError', () => {
    const bytes = writeSystemHeader({
      rateBound: 1,
      audioBound: 0,
      videoBound: 1,
      fixed: false,
      csps: false,
      audioLock: false,
      videoLock: false,
      streams: [],
    });
    for (let n = 0; n < bytes.length; n++) expect(() => parseSystemHeader(bytes.subarray(0, n))).toThrow(PsError);
  });
});
