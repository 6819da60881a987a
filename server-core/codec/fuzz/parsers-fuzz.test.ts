import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitAdtsFrames } from '../aac/adts.js';
import { readObu, splitObus } from '../av1/obu.js';
import { parseAv1SequenceHeader } from '../av1/sequence-header.js';
import { BitstreamError } from '../bits/bitstream-error.js';
import { parseH264Sps } from '../h264/sps.js';
import { parseHevcSps } from '../hevc/sps.js';
import { parseMp3FrameHeader } from '../mp3/frame-header.js';
import { AAC_ADTS } from '../mpegts/fixtures.js';
import { parseOpusAccessUnits, writeOpusControlHeader } from '../mpegts/opus-access-unit.js';
import { h264Fixture, hevcFixture } from '../mpegts/test-support.js';
import { TsError } from '../mpegts/ts-error.js';
import { splitLengthPrefixed } from '../nal/length-prefixed.js';
import { type Field, mutated } from './mutations.test-support.js';
import { onlyTyped } from './typed-errors.test-support.js';

/**
 * The bit-level parsers on their own, fed mutations of real inputs (the fixtures' parameter sets, ffmpeg's AV1
 * sequence header, an ADTS stream, Opus access units): they throw only their typed error, and what they return
 * is consistent.
 */
const RUNS = { numRuns: 300 };
const h264 = h264Fixture();
const hevc = hevcFixture();
/** SVT-AV1 1920x1080 10-bit sequence header OBU (as in av1/sequence-header.test.ts). */
const AV1_SEQUENCE_HEADER = Buffer.from('0a0b00000042abbfc373efe501', 'hex');

const everyByte = (buf: Buffer, from = 0): Field[] =>
  [...buf.subarray(from)].map((_, i) => ({ name: `byte ${from + i}`, offset: from + i, size: 1 }));

describe('bitstream parsers on mutated real inputs (fast-check)', () => {
  it('H.264 SPS: BitstreamError or a picture with a positive size', () => {
    const sps = h264.parameterSets[0];
    fc.assert(
      fc.property(mutated(sps, everyByte(sps)), ({ bytes, how }) => {
        const parsed = onlyTyped(BitstreamError, how, () => parseH264Sps(bytes));
        if (parsed) expect(parsed.width > 0 && parsed.height > 0, how).toBe(true);
      }),
      RUNS,
    );
  });

  it('HEVC SPS: BitstreamError or a picture with a positive size', () => {
    const sps = hevc.parameterSets[1];
    fc.assert(
      fc.property(mutated(sps, everyByte(sps)), ({ bytes, how }) => {
        const parsed = onlyTyped(BitstreamError, how, () => parseHevcSps(bytes));
        if (parsed) expect(parsed.width > 0 && parsed.height > 0, how).toBe(true);
      }),
      RUNS,
    );
  });

  it('AV1 OBUs and sequence header: BitstreamError or OBUs that tile the input', () => {
    fc.assert(
      fc.property(mutated(AV1_SEQUENCE_HEADER, everyByte(AV1_SEQUENCE_HEADER)), ({ bytes, how }) => {
        const obus = onlyTyped(BitstreamError, how, () => splitObus(bytes));
        if (obus)
          expect(
            obus.reduce((n, o) => n + o.data.length, 0),
            how,
          ).toBe(bytes.length);
        if (bytes.length > 0) {
          const first = onlyTyped(BitstreamError, how, () => readObu(bytes, 0));
          if (first?.type === 1) onlyTyped(BitstreamError, how, () => parseAv1SequenceHeader(first.payload));
        }
      }),
      RUNS,
    );
  });

  it('ADTS: BitstreamError or frames that fit the input', () => {
    const stream = AAC_ADTS.subarray(0, 600);
    const fields: Field[] = [];
    for (let at = 0; at + 7 <= stream.length; at += (stream.readUInt32BE(at + 2) >>> 5) & 0x1fff || 1) {
      fields.push(
        { name: `frame at ${at} profile/index`, offset: at + 2, size: 1 },
        { name: `frame at ${at} aac_frame_length`, offset: at + 3, size: 3, mask: 0x03ffe0 },
      );
    }
    fc.assert(
      fc.property(mutated(stream, fields), ({ bytes, how }) => {
        const split = onlyTyped(BitstreamError, how, () => splitAdtsFrames(bytes));
        if (split)
          expect(
            split.frames.reduce((n, f) => n + f.length, 0),
            how,
          ).toBeLessThanOrEqual(bytes.length);
      }),
      RUNS,
    );
  });

  it('MP3 frame header and length-prefixed NAL units: typed errors only', () => {
    const mp3 = Buffer.from('fffb9064', 'hex');
    fc.assert(
      fc.property(mutated(mp3, everyByte(mp3)), mutated(h264.units[0].data), (m, au) => {
        const header = onlyTyped(BitstreamError, m.how, () => parseMp3FrameHeader(m.bytes));
        if (header) expect(header.frameLength, m.how).toBeGreaterThan(0);
        for (const size of [1, 2, 4]) onlyTyped(BitstreamError, au.how, () => splitLengthPrefixed(au.bytes, size));
      }),
      RUNS,
    );
  });

  it('Opus access units in a PES payload: TsError or packets inside the payload', () => {
    const payload = Buffer.concat([
      writeOpusControlHeader(3, { startTrim: 312 }),
      Buffer.from([1, 2, 3]),
      writeOpusControlHeader(300, { endTrim: 20 }),
      Buffer.alloc(300, 7),
    ]);
    fc.assert(
      fc.property(mutated(payload, everyByte(payload.subarray(0, 12))), ({ bytes, how }) => {
        const units = onlyTyped(TsError, how, () => parseOpusAccessUnits(bytes));
        for (const unit of units ?? []) expect(unit.packet.buffer, how).toBe(bytes.buffer);
      }),
      RUNS,
    );
  });
});
