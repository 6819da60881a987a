import { BitstreamError } from '../bits/bitstream-error.js';

/**
 * OpusHead (RFC 7845 5.1): 'OpusHead' | version u8 | channels u8 | pre-skip u16 LE | input sample rate u32 LE |
 * output gain s16 LE | mapping family u8 | [mapping table].
 */
export interface OpusHead {
  channels: number;
  preSkip: number;
  inputSampleRate: number;
  outputGain: number;
  mappingFamily: number;
}

export function parseOpusHead(buf: Buffer): OpusHead {
  if (buf.length < 19 || buf.toString('latin1', 0, 8) !== 'OpusHead') {
    throw new BitstreamError('BITS_BAD_VALUE', 'not an OpusHead');
  }
  return {
    channels: buf[9],
    preSkip: buf.readUInt16LE(10),
    inputSampleRate: buf.readUInt32LE(12),
    outputGain: buf.readInt16LE(16),
    mappingFamily: buf[18],
  };
}

export function buildOpusHead(input: { channels: number; preSkip?: number; inputSampleRate?: number }): Buffer {
  const b = Buffer.alloc(19);
  b.write('OpusHead', 0, 'latin1');
  b[8] = 1;
  b[9] = input.channels;
  b.writeUInt16LE(input.preSkip ?? 312, 10);
  b.writeUInt32LE(input.inputSampleRate ?? 48000, 12);
  return b;
}
