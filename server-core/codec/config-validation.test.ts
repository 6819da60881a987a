import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAudioSpecificConfig, parseAudioSpecificConfig } from './aac/audio-specific-config.js';
import { parseAv1CodecConfig } from './av1/av1c.js';
import { BitWriter } from './bits/bit-writer.js';
import { BitstreamError } from './bits/bitstream-error.js';
import { validateCodecConfig } from './config-validation.js';
import { mutated } from './fuzz/mutations.test-support.js';
import { ascFields, av1RecordFields, avcRecordFields, hevcRecordFields, opusHeadFields } from './fuzz/record-fields.js';
import { onlyTyped } from './fuzz/typed-errors.test-support.js';
import { parseAvcDecoderConfig } from './h264/avcc.js';
import { parseH264Sps } from './h264/sps.js';
import { parseHevcDecoderConfig } from './hevc/hvcc.js';
import { parseHevcSps } from './hevc/sps.js';
import { TsMuxer } from './mpegts/muxer.js';
import { aacFixture, h264Fixture, hevcFixture } from './mpegts/test-support.js';
import { TsError } from './mpegts/ts-error.js';
import { buildOpusHead, parseOpusHead } from './opus/opus-head.js';

const h264 = h264Fixture();
const hevc = hevcFixture();
const aac = aacFixture();
const opus51 = buildOpusHead({
  channels: 6,
  preSkip: 312,
  inputSampleRate: 48000,
  mappingFamily: 1,
  streamCount: 4,
  coupledCount: 2,
  channelMapping: [0, 4, 1, 2, 3, 5],
});
/** ffmpeg 5.1 / libaom av1C, 1280x720 8-bit 4:2:0 (as in av1/av1c.test.ts). */
const AV1C_720 = Buffer.from('81050c000a0b0000002d4cffb3ccaf9004', 'hex');
const RUNS = { numRuns: 300 };

const reasonOf = (codec: string, bytes: Buffer) => {
  const v = validateCodecConfig(codec, bytes);
  return v.ok ? 'ok' : v.reason;
};

/** A rejection is one short line naming its subject, and never a parser bug in disguise. */
function expectPlainReason(reason: string, subject: string, how: string): void {
  expect(reason, how).toMatch(new RegExp(`^${subject}: \\S`));
  expect(reason, how).not.toMatch(/unreadable \(/);
  expect(reason, how).not.toContain('\n');
  expect(reason.length, how).toBeLessThan(160);
}

/** A muxer given the config agrees with the validator: builds when ok, TsError with the same reason when not. */
function expectMuxerAgrees(codec: 'h264' | 'hevc' | 'aac' | 'opus', bytes: Buffer, how: string) {
  const verdict = validateCodecConfig(codec, bytes);
  const make = () =>
    codec === 'h264' || codec === 'hevc'
      ? new TsMuxer({ video: { codec, config: bytes } })
      : new TsMuxer({ audio: { codec, config: bytes } });
  if (verdict.ok) return onlyTyped([], how, make);
  try {
    make();
  } catch (err) {
    expect(err, how).toBeInstanceOf(TsError);
    expect((err as TsError).message, how).toBe(verdict.reason);
    return undefined;
  }
  expect.fail(`${how}: the muxer took a config the validator refused (${verdict.reason})`);
}

describe('validateCodecConfig: valid records', () => {
  it('reads the fixtures and built records', () => {
    const avc = validateCodecConfig('h264', h264.config);
    expect(avc.ok && avc.info.sps).toMatchObject({ width: 128, height: 72, profileName: 'Baseline' });
    const hv = validateCodecConfig('hevc', hevc.config);
    expect(hv.ok && hv.info.sps).toMatchObject({ width: 128, height: 72 });
    const a = validateCodecConfig('aac', aac.config);
    expect(a.ok && a.info.asc).toMatchObject({ objectType: 2, sampleRate: 44100, channels: 1 });
    const he = validateCodecConfig('aac', buildAudioSpecificConfig({ objectType: 29, sampleRate: 24000, channels: 2 }));
    expect(he.ok && he.info.asc).toMatchObject({ coreObjectType: 2, ps: true });
    const o = validateCodecConfig('opus', opus51);
    expect(o.ok && o.info.head.channels).toBe(6);
    const av1 = validateCodecConfig('av1', AV1C_720);
    expect(av1.ok && av1.info.config).toMatchObject({ width: 1280, height: 720 });
    const mp3 = validateCodecConfig('mp3', Buffer.from('fffb9064', 'hex'));
    expect(mp3.ok && mp3.info.header).toMatchObject({ layer: 3, sampleRate: 44100 });
  });

  it('passes codecs it has no checker for, unread', () => {
    expect(validateCodecConfig('vp9', Buffer.alloc(0))).toEqual({ ok: true, info: { codec: 'vp9', checked: false } });
    expect(validateCodecConfig('g711a', Buffer.from([1]))).toMatchObject({ ok: true });
  });
});

describe('validateCodecConfig: malformed records get one plain reason', () => {
  const sps = h264.parameterSets[0];
  const pps = h264.parameterSets[1];
  const avc = (spsList: Buffer[], ppsList: Buffer[], head = [1, 0x42, 0xc0, 0x0a, 0xff]) =>
    Buffer.concat([
      Buffer.from([...head, 0xe0 | spsList.length]),
      ...spsList.map((n) => Buffer.concat([Buffer.from([n.length >> 8, n.length & 0xff]), n])),
      Buffer.from([ppsList.length]),
      ...ppsList.map((n) => Buffer.concat([Buffer.from([n.length >> 8, n.length & 0xff]), n])),
    ]);

  it('AVC', () => {
    expect(reasonOf('h264', Buffer.from([1]))).toBe('AVC record: 1 byte, the shortest record has 7');
    expect(reasonOf('h264', Buffer.from([1, 0x42, 0xc0, 0x0a, 0xff, 0xe1, 0x01, 0x2c, 0x67, 0x42]))).toBe(
      'AVC record: SPS length 300 runs past the end (2 bytes left)',
    );
    expect(reasonOf('h264', avc([sps], []))).toBe('AVC record: no PPS');
    expect(reasonOf('h264', avc([], [pps]))).toBe('AVC record: no SPS');
    expect(reasonOf('h264', avc([Buffer.alloc(0)], [pps]))).toBe('AVC record: SPS 1 is empty (0 bytes)');
    expect(reasonOf('h264', avc([pps], [pps]))).toBe('AVC record: SPS 1 is a type 8 NAL unit, not type 7');
    expect(reasonOf('h264', avc([sps.subarray(0, 5)], [pps]))).toMatch(/^AVC record: SPS 1 does not parse: /);
    expect(reasonOf('h264', avc([sps], [pps], [0, 0x42, 0xc0, 0x0a, 0xff]))).toBe(
      'AVC record: configurationVersion 0, expected 1',
    );
    expect(reasonOf('h264', avc([sps], [pps], [1, 0x42, 0xc0, 0x0a, 0xfe]))).toBe(
      'AVC record: NAL length size 3 (lengthSizeMinusOne 2) is not allowed',
    );
  });

  it('HEVC', () => {
    expect(reasonOf('hevc', hevc.config.subarray(0, 10))).toBe('HEVC record: 10 bytes, the fixed part alone has 23');
    expect(reasonOf('hevc', hevc.config.subarray(0, 40))).toMatch(
      /^HEVC record: VPS length \d+ runs past the end \(\d+ bytes left\)$/,
    );
    const noArrays = Buffer.concat([hevc.config.subarray(0, 22), Buffer.from([0])]);
    expect(reasonOf('hevc', noArrays)).toBe('HEVC record: no VPS');
  });

  it('AAC', () => {
    // AAC LC (2), samplingFrequencyIndex 13 (reserved), stereo
    expect(reasonOf('aac', Buffer.from([0x16, 0x90]))).toBe('AAC config: reserved samplingFrequencyIndex 13');
    // AAC LC, 44.1 kHz, channelConfiguration 0 and nothing after the GASpecificConfig flags: no PCE
    expect(reasonOf('aac', Buffer.from([0x12, 0x00]))).toBe(
      'AAC config: channel configuration 0 needs a program_config_element, and it is cut short',
    );
    const usac = new BitWriter();
    usac.writeBits(5, 31);
    usac.writeBits(6, 42 - 32);
    usac.writeBits(4, 3);
    usac.writeBits(4, 2);
    usac.writeBits(8, 0);
    expect(reasonOf('aac', usac.toBuffer())).toBe(
      'AAC config: object type 42 (USAC): ADTS can only carry object types 1..4 (Main, LC, SSR, LTP)',
    );
    const explicit = new BitWriter();
    explicit.writeBits(5, 2);
    explicit.writeBits(4, 15);
    explicit.writeBits(24, 44000);
    explicit.writeBits(4, 2);
    explicit.writeBits(3, 0);
    expect(reasonOf('aac', explicit.toBuffer())).toBe(
      'AAC config: explicit sample rate 44000 Hz is not one ADTS can signal',
    );
    expect(reasonOf('aac', Buffer.from([0x12, 0x68]))).toBe(
      'AAC config: channel configuration 13: ADTS can only carry 0..7',
    );
    expect(reasonOf('aac', Buffer.from([0x12]))).toBe('AAC config: 1 byte, the shortest AudioSpecificConfig has 2');
  });

  it('OpusHead and AV1', () => {
    expect(reasonOf('opus', Buffer.from('OpusHeaX\x01\x02\x38\x01\x80\xbb\x00\x00\x00\x00\x00', 'latin1'))).toBe(
      'OpusHead: no OpusHead magic',
    );
    const twelve = Buffer.from(opus51);
    twelve[9] = 12;
    expect(reasonOf('opus', twelve)).toBe('OpusHead: mapping family 1 needs 2 + 12 table bytes, 8 follow');
    expect(reasonOf('av1', Buffer.from([0x81, 0]))).toBe('AV1 record: 2 bytes, the fixed part has 4');
    expect(reasonOf('av1', Buffer.from([0x80, 0, 0, 0]))).toBe('AV1 record: marker/version byte 0x80, expected 0x81');
    const profileMismatch = Buffer.from(AV1C_720);
    profileMismatch[1] = (1 << 5) | 5;
    expect(reasonOf('av1', profileMismatch)).toBe(
      'AV1 record: seq_profile 1 in the record but 0 in its sequence header',
    );
    expect(reasonOf('av1', AV1C_720.subarray(0, 10))).toMatch(/^AV1 record: OBU of \d+ bytes, \d+ left$/);
  });
});

describe('validateCodecConfig: mutated valid records (fast-check)', () => {
  it('AVC: a reason or a usable record, parsers throw only BitstreamError, the muxer agrees', () => {
    fc.assert(
      fc.property(mutated(h264.config, avcRecordFields(h264.config)), ({ bytes, how }) => {
        const config = onlyTyped(BitstreamError, how, () => parseAvcDecoderConfig(bytes));
        if (config?.sps[0]) onlyTyped(BitstreamError, how, () => parseH264Sps(config.sps[0]));
        const v = validateCodecConfig('h264', bytes);
        if (!v.ok) expectPlainReason(v.reason, 'AVC record', how);
        else {
          expect(v.info.config.sps.length).toBeGreaterThan(0);
          expect(v.info.config.pps.length).toBeGreaterThan(0);
          expect(v.info.sps.width).toBeGreaterThan(0);
          expect(v.info.sps.height).toBeGreaterThan(0);
        }
        expectMuxerAgrees('h264', bytes, how);
      }),
      RUNS,
    );
  });

  it('HEVC: a reason or a usable record, parsers throw only BitstreamError, the muxer agrees', () => {
    fc.assert(
      fc.property(mutated(hevc.config, hevcRecordFields(hevc.config)), ({ bytes, how }) => {
        const config = onlyTyped(BitstreamError, how, () => parseHevcDecoderConfig(bytes));
        if (config?.sps[0]) onlyTyped(BitstreamError, how, () => parseHevcSps(config.sps[0]));
        const v = validateCodecConfig('hevc', bytes);
        if (!v.ok) expectPlainReason(v.reason, 'HEVC record', how);
        else {
          expect(v.info.config.vps.length * v.info.config.sps.length * v.info.config.pps.length).toBeGreaterThan(0);
          expect(v.info.sps.width).toBeGreaterThan(0);
        }
        expectMuxerAgrees('hevc', bytes, how);
      }),
      RUNS,
    );
  });

  it('AAC: a reason or a config ADTS can carry', () => {
    const configs = [
      aac.config,
      buildAudioSpecificConfig({ objectType: 5, sampleRate: 22050, channels: 2 }),
      buildAudioSpecificConfig({ objectType: 2, sampleRate: 48000, channels: 6 }),
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...configs).chain((c) => mutated(c, ascFields())),
        ({ bytes, how }) => {
          onlyTyped(BitstreamError, how, () => parseAudioSpecificConfig(bytes));
          const v = validateCodecConfig('aac', bytes);
          if (!v.ok) expectPlainReason(v.reason, 'AAC config', how);
          else {
            expect([1, 2, 3, 4]).toContain(v.info.asc.coreObjectType);
            expect(v.info.adtsFrequencyIndex).toBeLessThan(13);
            expect(v.info.asc.channelConfiguration).toBeLessThanOrEqual(7);
            expect(v.info.asc.channels).toBeGreaterThan(0);
          }
          expectMuxerAgrees('aac', bytes, how);
        },
      ),
      RUNS,
    );
  });

  it('OpusHead: a reason or a consistent head', () => {
    const stereo = buildOpusHead({ channels: 2, preSkip: 312, inputSampleRate: 48000 });
    fc.assert(
      fc.property(
        fc.constantFrom(stereo, opus51).chain((h) => mutated(h, opusHeadFields(h))),
        ({ bytes, how }) => {
          onlyTyped(BitstreamError, how, () => parseOpusHead(bytes));
          const v = validateCodecConfig('opus', bytes);
          if (!v.ok) expectPlainReason(v.reason, 'OpusHead', how);
          else expect(v.info.head.channels).toBeGreaterThan(0);
          expectMuxerAgrees('opus', bytes, how);
        },
      ),
      RUNS,
    );
  });

  it('AV1: a reason or a record whose sequence header matches', () => {
    fc.assert(
      fc.property(mutated(AV1C_720, av1RecordFields(AV1C_720)), ({ bytes, how }) => {
        onlyTyped(BitstreamError, how, () => parseAv1CodecConfig(bytes));
        const v = validateCodecConfig('av1', bytes);
        if (!v.ok) expectPlainReason(v.reason, 'AV1 record', how);
        else if (v.info.config.sequenceHeader) {
          expect(v.info.config.sequenceHeader.seqProfile).toBe(v.info.config.seqProfile);
          expect(v.info.config.width).toBeGreaterThan(0);
        }
      }),
      RUNS,
    );
  });

  it('never throws on random bytes, for any codec', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('h264', 'hevc', 'av1', 'aac', 'opus', 'mp3', 'vp9'),
        fc.uint8Array({ maxLength: 64 }),
        (codec, bytes) => {
          const v = validateCodecConfig(codec, Buffer.from(bytes));
          if (!v.ok) expect(v.reason).not.toMatch(/unreadable \(/);
        },
      ),
      RUNS,
    );
  });
});
