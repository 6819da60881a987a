import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildOpusHead, parseOpusHead } from '../opus/opus-head.js';
import { parseDescriptors, writeDescriptors } from './descriptor.js';
import { parseOpusAccessUnits, writeOpusControlHeader } from './opus-access-unit.js';
import {
  OPUS_CHANNEL_CONFIG_UNSPECIFIED,
  OPUS_DUAL_MONO,
  opusChannelConfigCode,
  opusChannelsForCode,
  readOpusChannelConfigCode,
  writeOpusDescriptors,
} from './opus-descriptor.js';
import { codecForStream } from './stream-type.js';
import { TsError } from './ts-error.js';

describe('Opus control header', () => {
  it('starts 0x7FE0 and codes au_size in 255 steps', () => {
    expect(writeOpusControlHeader(100).toString('hex')).toBe('7fe064');
    expect(writeOpusControlHeader(255).toString('hex')).toBe('7fe0ff00');
    expect(writeOpusControlHeader(600).toString('hex')).toBe('7fe0ffff5a');
    expect(writeOpusControlHeader(3, { startTrim: 312, endTrim: 0x1fff }).toString('hex')).toBe('7ff8030138' + '1fff');
  });

  it('round-trips several access units with trims', () => {
    const unit = fc.record({
      packet: fc.uint8Array({ maxLength: 700 }).map((a) => Buffer.from(a)),
      startTrim: fc.option(fc.integer({ min: 0, max: 0x1fff }), { nil: undefined }),
      endTrim: fc.option(fc.integer({ min: 0, max: 0x1fff }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 5 }), (units) => {
        const payload = Buffer.concat(units.flatMap((u) => [writeOpusControlHeader(u.packet.length, u), u.packet]));
        const parsed = parseOpusAccessUnits(payload);
        expect(parsed.map((u) => u.packet)).toEqual(units.map((u) => u.packet));
        expect(parsed.map((u) => [u.startTrim, u.endTrim])).toEqual(units.map((u) => [u.startTrim, u.endTrim]));
      }),
    );
  });

  it('skips a control extension and throws only TsError on random input', () => {
    const payload = Buffer.from([0x7f, 0xe4, 0x02, 0x03, 0xaa, 0xbb, 0xcc, 0x11, 0x22]);
    expect(parseOpusAccessUnits(payload)).toEqual([{ packet: Buffer.from([0x11, 0x22]) }]);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 50 }), (bytes) => {
        const buf = Buffer.from(bytes);
        if (buf.length >= 2) buf.writeUInt16BE(0x7fe0 | (buf.readUInt16BE(0) & 0x1f), 0);
        try {
          parseOpusAccessUnits(buf);
        } catch (err) {
          expect(err).toBeInstanceOf(TsError);
        }
      }),
    );
  });
});

describe('Opus descriptors', () => {
  it('are a registration descriptor "Opus" and the DVB extension with the channel config', () => {
    expect(writeDescriptors(writeOpusDescriptors(2)).toString('hex')).toBe('05044f707573' + '7f028002');
    const descriptors = parseDescriptors(Buffer.from('05044f7075737f028002', 'hex'));
    expect(codecForStream(0x06, descriptors)).toBe('opus');
    expect(readOpusChannelConfigCode(descriptors)).toBe(2);
    expect(codecForStream(0x06, [])).toBe('unknown');
  });

  it('map OpusHead layouts to channel_config_code', () => {
    const head = (channels: number, extra = {}) =>
      buildOpusHead({ channels, preSkip: 312, inputSampleRate: 48000, ...extra });
    expect(opusChannelConfigCode(parseOpusHead(head(1)))).toBe(1);
    expect(opusChannelConfigCode(parseOpusHead(head(2)))).toBe(2);
    const surround = head(6, { mappingFamily: 1, streamCount: 4, coupledCount: 2, channelMapping: [0, 4, 1, 2, 3, 5] });
    expect(opusChannelConfigCode(parseOpusHead(surround))).toBe(6);
    const dualMono = head(2, { mappingFamily: 255, streamCount: 2, coupledCount: 0, channelMapping: [0, 1] });
    expect(opusChannelConfigCode(parseOpusHead(dualMono))).toBe(OPUS_DUAL_MONO);
    const odd = head(3, { mappingFamily: 255, streamCount: 3, coupledCount: 0, channelMapping: [0, 1, 2] });
    expect(opusChannelConfigCode(parseOpusHead(odd))).toBe(OPUS_CHANNEL_CONFIG_UNSPECIFIED);
    expect(opusChannelsForCode(6)).toBe(6);
    expect(opusChannelsForCode(OPUS_DUAL_MONO)).toBe(2);
    expect(opusChannelsForCode(OPUS_CHANNEL_CONFIG_UNSPECIFIED)).toBeUndefined();
  });
});
