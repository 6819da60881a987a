import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adaptationFieldSize, parseAdaptationField, writeAdaptationField } from './adaptation-field.js';
import { TIMESTAMP_WRAP, TS_PACKET_SIZE } from './constants.js';
import { TsError } from './ts-error.js';
import { parseTsPacket, writeTsPacketHeader } from './ts-packet.js';

describe('adaptation field', () => {
  it('writes PCR, random access and stuffing in the 2.4.3.4 layout', () => {
    const out = Buffer.alloc(12);
    writeAdaptationField(out, 0, 12, { pcr: 0x1_2345_6789, randomAccess: true });
    // length 11 | RAI + PCR_flag | base 0x123456789 >> 1, low bit | reserved | ext 0 | stuffing
    expect(out.toString('hex')).toBe('0b50' + '91a2b3c4' + 'fe00' + 'ffffffff');
    expect(parseAdaptationField(out)).toEqual({
      discontinuity: false,
      randomAccess: true,
      pcr: 0x1_2345_6789,
      pcrExtension: 0,
    });
  });

  it('reads the field ffmpeg writes on a keyframe (RAI, PCR 63000)', () => {
    expect(parseAdaptationField(Buffer.from('075000007b0c7e00', 'hex'))).toEqual({
      discontinuity: false,
      randomAccess: true,
      pcr: 63_000,
      pcrExtension: 0,
    });
  });

  it('is one length byte of 0 for a single stuffing byte', () => {
    const out = Buffer.alloc(1);
    writeAdaptationField(out, 0, 1, {});
    expect(out[0]).toBe(0);
    expect(parseAdaptationField(out)).toEqual({ discontinuity: false, randomAccess: false });
    expect(adaptationFieldSize({})).toBe(0);
    expect(adaptationFieldSize({ randomAccess: true })).toBe(2);
    expect(adaptationFieldSize({ pcr: 0 })).toBe(8);
  });

  it('round-trips flags and PCR, wrapping to 33 bits', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.boolean(),
        fc.option(fc.integer({ min: -(2 ** 34), max: 2 ** 34 }), { nil: undefined }),
        fc.nat(20),
        (discontinuity, randomAccess, pcr, extra) => {
          const input = { discontinuity, randomAccess, pcr };
          const size = Math.max(1, adaptationFieldSize(input)) + (adaptationFieldSize(input) ? extra : 0);
          const out = Buffer.alloc(size);
          writeAdaptationField(out, 0, size, input);
          const field = parseAdaptationField(out);
          const wrapped = pcr === undefined ? undefined : ((pcr % TIMESTAMP_WRAP) + TIMESTAMP_WRAP) % TIMESTAMP_WRAP;
          expect(field.pcr).toBe(wrapped);
          if (size > 1) expect(field).toMatchObject({ discontinuity, randomAccess });
        },
      ),
    );
  });
});

describe('transport packet', () => {
  it('reads header, adaptation field and payload', () => {
    const packet = Buffer.alloc(TS_PACKET_SIZE, 0xaa);
    writeTsPacketHeader(packet, 0, {
      pid: 0x101,
      payloadUnitStart: true,
      continuityCounter: 0x1d, // wraps to 0xd
      hasAdaptation: true,
      hasPayload: true,
    });
    writeAdaptationField(packet, 4, 8, { pcr: 900 });
    expect(packet.subarray(0, 4).toString('hex')).toBe('4741013d');
    const parsed = parseTsPacket(packet);
    expect(parsed).toMatchObject({
      pid: 0x101,
      payloadUnitStart: true,
      transportError: false,
      scrambling: 0,
      continuityCounter: 0xd,
      hasPayload: true,
      adaptation: { pcr: 900, randomAccess: false },
    });
    expect(parsed.payload).toEqual(Buffer.alloc(TS_PACKET_SIZE - 12, 0xaa));
  });

  it('refuses a missing sync byte, reserved control bits and an overlong adaptation field', () => {
    const packet = Buffer.alloc(TS_PACKET_SIZE);
    expect(() => parseTsPacket(packet)).toThrowError(expect.objectContaining({ code: 'TS_INVALID' }));
    packet[0] = 0x47;
    expect(() => parseTsPacket(packet)).toThrowError(expect.objectContaining({ code: 'TS_INVALID' }));
    packet[3] = 0x30;
    packet[4] = 184;
    expect(() => parseTsPacket(packet)).toThrowError(expect.objectContaining({ code: 'TS_TRUNCATED' }));
    expect(() => parseTsPacket(packet.subarray(0, 100))).toThrowError(
      expect.objectContaining({ code: 'TS_TRUNCATED' }),
    );
  });

  it('throws nothing but TsError on random packets', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 188, maxLength: 188 }), fc.boolean(), (bytes, sync) => {
        const packet = Buffer.from(bytes);
        if (sync) packet[0] = 0x47;
        try {
          const parsed = parseTsPacket(packet);
          expect(parsed.payload.length).toBeLessThanOrEqual(184);
        } catch (err) {
          expect(err).toBeInstanceOf(TsError);
        }
      }),
    );
  });
});
