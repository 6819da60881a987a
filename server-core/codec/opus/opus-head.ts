import { BitstreamError } from '../bits/bitstream-error.js';

export interface OpusHead {
  version: number;
  channels: number;
  /** Samples at 48 kHz to discard from the start of the decoded output. */
  preSkip: number;
  /** The encoder's input rate, informational only: Opus always decodes at 48 kHz. */
  inputSampleRate: number;
  /** Q7.8 dB gain to apply on output. */
  outputGain: number;
  mappingFamily: number;
  /** Channel mapping table, for mapping family != 0. */
  streamCount?: number;
  coupledCount?: number;
  channelMapping?: number[];
}

export interface OpusHeadInput {
  channels: number;
  preSkip: number;
  inputSampleRate: number;
  outputGain?: number;
  /** Required for more than 2 channels (family 1 with the encoder's stream layout). */
  mappingFamily?: number;
  streamCount?: number;
  coupledCount?: number;
  channelMapping?: number[];
}

const MAGIC = Buffer.from('OpusHead', 'latin1');
const FIXED_SIZE = 19;
/** Only the major version (upper nibble) must match (RFC 7845 5.1). */
const MAX_VERSION = 15;
const NO_STREAM = 255;

/**
 * ID header (RFC 7845 5.1), little-endian:
 *
 *   'OpusHead' | version u8 | channel count u8 | pre-skip u16 | input sample rate u32 | output gain s16
 *   mapping family u8 | [family != 0: stream count u8 | coupled count u8 | channel mapping u8 x channels]
 */
export function parseOpusHead(buf: Buffer): OpusHead {
  if (buf.length < FIXED_SIZE) throw new BitstreamError('BITSTREAM_TRUNCATED', `OpusHead of ${buf.length} bytes`);
  if (!buf.subarray(0, 8).equals(MAGIC)) throw new BitstreamError('BITSTREAM_INVALID', 'no OpusHead magic');
  const version = buf[8];
  if (version > MAX_VERSION) throw new BitstreamError('BITSTREAM_UNSUPPORTED', `OpusHead version ${version}`);
  const channels = buf[9];
  if (channels === 0) throw new BitstreamError('BITSTREAM_INVALID', 'OpusHead with 0 channels');
  const head: OpusHead = {
    version,
    channels,
    preSkip: buf.readUInt16LE(10),
    inputSampleRate: buf.readUInt32LE(12),
    outputGain: buf.readInt16LE(16),
    mappingFamily: buf[18],
  };
  if (head.mappingFamily === 0) {
    if (channels > 2) throw new BitstreamError('BITSTREAM_INVALID', `mapping family 0 with ${channels} channels`);
    return head;
  }
  if (buf.length < FIXED_SIZE + 2 + channels) {
    throw new BitstreamError(
      'BITSTREAM_TRUNCATED',
      `mapping family ${head.mappingFamily} needs 2 + ${channels} table bytes, ${buf.length - FIXED_SIZE} follow`,
    );
  }
  const streamCount = buf[19];
  const coupledCount = buf[20];
  checkMapping(channels, streamCount, coupledCount, [...buf.subarray(21, 21 + channels)]);
  return { ...head, streamCount, coupledCount, channelMapping: [...buf.subarray(21, 21 + channels)] };
}

/** Builds the ID header; 1 or 2 channels use family 0, more need an explicit mapping. */
export function buildOpusHead(input: OpusHeadInput): Buffer {
  const { channels, preSkip, inputSampleRate } = input;
  const outputGain = input.outputGain ?? 0;
  const family = input.mappingFamily ?? (channels <= 2 ? 0 : undefined);
  if (!Number.isInteger(channels) || channels < 1 || channels > 255)
    throw new BitstreamError('BITSTREAM_INVALID', `${channels} channels`);
  if (
    !inRange(preSkip, 0, 0xffff) ||
    !inRange(inputSampleRate, 0, 0xffffffff) ||
    !inRange(outputGain, -0x8000, 0x7fff)
  ) {
    throw new BitstreamError('BITSTREAM_INVALID', 'OpusHead field out of range');
  }
  if (family === undefined || !inRange(family, 0, 255)) {
    throw new BitstreamError('BITSTREAM_INVALID', `${channels} channels need a mapping family and table`);
  }
  if (family === 0 && channels > 2)
    throw new BitstreamError('BITSTREAM_INVALID', `mapping family 0 with ${channels} channels`);
  const fixed = Buffer.alloc(FIXED_SIZE);
  MAGIC.copy(fixed);
  fixed[8] = 1;
  fixed[9] = channels;
  fixed.writeUInt16LE(preSkip, 10);
  fixed.writeUInt32LE(inputSampleRate, 12);
  fixed.writeInt16LE(outputGain, 16);
  fixed[18] = family;
  if (family === 0) return fixed;
  const { streamCount, coupledCount, channelMapping } = input;
  if (streamCount === undefined || coupledCount === undefined || channelMapping === undefined) {
    throw new BitstreamError(
      'BITSTREAM_INVALID',
      `mapping family ${family} needs streamCount, coupledCount, channelMapping`,
    );
  }
  if (channelMapping.length !== channels)
    throw new BitstreamError('BITSTREAM_INVALID', 'one mapping entry per channel');
  checkMapping(channels, streamCount, coupledCount, channelMapping);
  return Buffer.concat([fixed, Buffer.from([streamCount, coupledCount, ...channelMapping])]);
}

/** RFC 7845 5.1.1: N >= 1 streams, M <= N coupled, each entry below N + M or 255 (silence). */
function checkMapping(channels: number, streams: number, coupled: number, mapping: number[]): void {
  if (!inRange(streams, 1, 255) || !inRange(coupled, 0, streams) || streams + coupled > 255) {
    throw new BitstreamError('BITSTREAM_INVALID', `stream count ${streams}, coupled ${coupled}`);
  }
  for (const entry of mapping) {
    if (
      !Number.isInteger(entry) ||
      (entry >= streams + coupled && entry !== NO_STREAM) ||
      entry < 0 ||
      entry > NO_STREAM
    ) {
      throw new BitstreamError('BITSTREAM_INVALID', `channel mapping entry ${entry}`);
    }
  }
  if (mapping.length !== channels) throw new BitstreamError('BITSTREAM_INVALID', 'mapping table length');
}

function inRange(v: number, min: number, max: number): boolean {
  return Number.isInteger(v) && v >= min && v <= max;
}
