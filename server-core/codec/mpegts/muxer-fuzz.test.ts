import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAudioSpecificConfig } from '../aac/audio-specific-config.js';
import { validateCodecConfig } from '../config-validation.js';
import { type Mutant, mutated } from '../fuzz/mutations.test-support.js';
import {
  accessUnitFields,
  ascFields,
  avcRecordFields,
  hevcRecordFields,
  opusHeadFields,
} from '../fuzz/record-fields.js';
import { onlyTyped } from '../fuzz/typed-errors.test-support.js';
import { splitAnnexB } from '../nal/annexb.js';
import { joinLengthPrefixed } from '../nal/length-prefixed.js';
import { buildOpusHead } from '../opus/opus-head.js';
import { DEFAULT_VIDEO_PID, TS_PACKET_SIZE } from './constants.js';
import { TsMuxer } from './muxer.js';
import { aacFixture, checkPackets, demux, h264Fixture, hevcFixture, pesEvents } from './test-support.js';
import { TsError } from './ts-error.js';

const h264 = h264Fixture();
const hevc = hevcFixture();
const aac = aacFixture();
const opus = buildOpusHead({ channels: 2, preSkip: 312, inputSampleRate: 48000 });
const RUNS = { numRuns: 200 };

const video = { h264, hevc } as const;

/** Hostile variations of a fixture access unit: its own length fields rewritten, empty or overlong NAL units. */
function mutatedAccessUnit(data: Buffer): fc.Arbitrary<Mutant> {
  const special = fc.oneof(
    fc.constant<Mutant>({ bytes: Buffer.concat([Buffer.alloc(4), data]), how: 'zero-length NAL first' }),
    fc.constant<Mutant>({ bytes: Buffer.alloc(8), how: 'two zero-length NALs only' }),
    fc.constant<Mutant>({ bytes: Buffer.alloc(0), how: 'empty access unit' }),
    fc.constant<Mutant>({ bytes: joinLengthPrefixed([Buffer.from([0x02])]), how: 'one-byte NAL' }),
    fc.nat(0xffff).map((n) => ({
      bytes: Buffer.concat([Buffer.from([0, 0, (n >> 8) & 0xff, n & 0xff]), data.subarray(0, 3)]),
      how: `length prefix ${n} past the end`,
    })),
  );
  return fc.oneof(special, mutated(data, accessUnitFields(data, 4)));
}

/** Demuxes one video write and checks it holds one PES of whole, non-empty NAL units opening with an AUD. */
function expectWellFormedVideo(out: Buffer, codec: 'h264' | 'hevc', how: string): void {
  expect(out.length % TS_PACKET_SIZE, how).toBe(0);
  checkPackets(out);
  if (out.length === 0) return;
  const pes = pesEvents(demux(out), DEFAULT_VIDEO_PID);
  expect(pes.length, how).toBe(1);
  const nals = splitAnnexB(pes[0].data);
  expect(nals.length, how).toBeGreaterThan(0);
  const type = codec === 'h264' ? nals[0][0] & 0x1f : (nals[0][0] >> 1) & 0x3f;
  expect(type, how).toBe(codec === 'h264' ? 9 : 35);
}

describe('TsMuxer under malformed input (fast-check)', () => {
  for (const codec of ['h264', 'hevc'] as const) {
    const fixture = video[codec];
    const fields = codec === 'h264' ? avcRecordFields(fixture.config) : hevcRecordFields(fixture.config);

    it(`${codec}: a mutated configuration is refused with TsError or muxes; a refused one keeps the old`, () => {
      fc.assert(
        fc.property(mutated(fixture.config, fields), ({ bytes, how }) => {
          const muxer = new TsMuxer({ video: { codec, config: fixture.config } });
          const accepted = onlyTyped(TsError, how, () => {
            muxer.setVideoConfig(bytes);
            return true;
          });
          expect(accepted === true, how).toBe(validateCodecConfig(codec, bytes).ok);
          for (const unit of fixture.units.slice(0, 2)) {
            const out = onlyTyped(TsError, how, () =>
              muxer.writeVideo({ dts: 0, pts: 0, keyframe: unit.keyframe, data: unit.data }),
            );
            if (out) expect(out.length % TS_PACKET_SIZE, how).toBe(0);
            // A refused record leaves the fixture's in place, which muxes its own units.
            if (!accepted) expect(out, how).toBeDefined();
          }
        }),
        RUNS,
      );
    });

    it(`${codec}: a mutated access unit throws only TsError, or muxes to whole, non-empty NAL units`, () => {
      fc.assert(
        fc.property(
          fc
            .constantFrom(...fixture.units)
            .chain((unit) => mutatedAccessUnit(unit.data).map((m) => ({ ...m, keyframe: unit.keyframe }))),
          ({ bytes, how, keyframe }) => {
            const muxer = new TsMuxer({ video: { codec, config: fixture.config } });
            const out = onlyTyped(TsError, how, () => muxer.writeVideo({ dts: 900, pts: 900, keyframe, data: bytes }));
            if (out) expectWellFormedVideo(out, codec, how);
          },
        ),
        RUNS,
      );
    });
  }

  it('audio: mutated AAC configs and OpusHeads are refused with TsError or mux their frames', () => {
    const configs = [
      { codec: 'aac' as const, config: aac.config },
      { codec: 'aac' as const, config: buildAudioSpecificConfig({ objectType: 5, sampleRate: 24000, channels: 2 }) },
      { codec: 'opus' as const, config: opus },
    ];
    fc.assert(
      fc.property(
        fc
          .constantFrom(...configs)
          .chain((c) =>
            mutated(c.config, c.codec === 'aac' ? ascFields() : opusHeadFields(c.config)).map((m) => ({ ...m, ...c })),
          ),
        fc.array(fc.integer({ min: 0, max: 9000 }), { minLength: 1, maxLength: 3 }),
        ({ bytes, how, codec }, sizes) => {
          const muxer = onlyTyped(TsError, how, () => new TsMuxer({ audio: { codec, config: bytes } }));
          expect(muxer !== undefined, how).toBe(validateCodecConfig(codec, bytes).ok);
          if (!muxer) return;
          const frames = sizes.map((n) => Buffer.alloc(n, 0x21));
          const out = onlyTyped(TsError, how, () => muxer.writeAudio({ pts: 0, data: frames }));
          if (out) expect(out.length % TS_PACKET_SIZE, how).toBe(0);
        },
      ),
      RUNS,
    );
  });

  it('a stream with bad writes mixed in stays continuous: errors never cost a continuity counter', () => {
    type Op =
      | { kind: 'au'; index: number; mutant?: Mutant }
      | { kind: 'config'; mutant: Mutant }
      | { kind: 'audio'; size: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.nat(h264.units.length - 1).map((index): Op => ({ kind: 'au', index })),
      fc
        .nat(h264.units.length - 1)
        .chain((index) =>
          mutatedAccessUnit(h264.units[index].data).map((mutant): Op => ({ kind: 'au', index, mutant })),
        ),
      mutated(h264.config, avcRecordFields(h264.config)).map((mutant): Op => ({ kind: 'config', mutant })),
      fc.integer({ min: 0, max: 9000 }).map((size): Op => ({ kind: 'audio', size })),
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 12 }), (ops) => {
        const muxer = new TsMuxer({
          video: { codec: 'h264', config: h264.config },
          audio: { codec: 'aac', config: aac.config },
        });
        const outputs: Buffer[] = [];
        ops.forEach((o, i) => {
          const how = `op ${i} ${o.kind} ${'mutant' in o && o.mutant ? o.mutant.how : ''}`;
          const out = onlyTyped(TsError, how, () => {
            if (o.kind === 'config') {
              muxer.setVideoConfig(o.mutant.bytes);
              return undefined;
            }
            if (o.kind === 'audio') return muxer.writeAudio({ pts: i * 1800, data: Buffer.alloc(o.size, 1) });
            const unit = h264.units[o.index];
            const data = o.mutant?.bytes ?? unit.data;
            return muxer.writeVideo({ dts: i * 3600, pts: i * 3600, keyframe: unit.keyframe, data });
          });
          if (out) outputs.push(out);
        });
        const stream = Buffer.concat(outputs);
        checkPackets(stream);
        const events = demux(stream);
        expect(events.every((e) => e.type === 'streams' || e.data.length > 0)).toBe(true);
      }),
      RUNS,
    );
  });

  it('skips and counts an access unit that holds no NAL unit', () => {
    const muxer = new TsMuxer({ video: { codec: 'h264', config: h264.config } });
    expect(muxer.writeVideo({ dts: 0, pts: 0, keyframe: true, data: Buffer.alloc(0) }).length).toBe(0);
    expect(muxer.writeVideo({ dts: 0, pts: 0, keyframe: true, data: Buffer.alloc(8) }).length).toBe(0);
    expect(muxer.stats.skippedAccessUnits).toBe(2);
  });
});
