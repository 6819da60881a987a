import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BitstreamError } from '../bits/bitstream-error.js';
import { parseMp3FrameHeader } from './frame-header.js';

const hex = (s: string) => Buffer.from(s, 'hex');

// Headers from ffmpeg 5.1 (libmp3lame, mp2); walking each file by frameLength lands exactly on its end.
describe('parseMp3FrameHeader', () => {
  it('reads MPEG-1 Layer III 128 kbit/s 44.1 kHz stereo, with and without padding', () => {
    expect(parseMp3FrameHeader(hex('fffb9064'))).toEqual({
      version: 1,
      layer: 3,
      bitrateKbps: 128,
      sampleRate: 44100,
      channels: 2,
      frameLength: 417,
      samplesPerFrame: 1152,
      hasCrc: false,
      padding: false,
    });
    expect(parseMp3FrameHeader(hex('fffb9264'))).toMatchObject({ frameLength: 418, padding: true });
  });

  it('reads the low sampling frequency versions (576 samples per Layer III frame)', () => {
    expect(parseMp3FrameHeader(hex('fff370c0'))).toMatchObject({
      version: 2,
      layer: 3,
      bitrateKbps: 56,
      sampleRate: 22050,
      channels: 1,
      frameLength: 182,
      samplesPerFrame: 576,
    });
    expect(parseMp3FrameHeader(hex('ffe328c4'))).toMatchObject({
      version: 2.5,
      sampleRate: 8000,
      bitrateKbps: 16,
      frameLength: 144,
      samplesPerFrame: 576,
    });
  });

  it('reads Layer II and Layer I', () => {
    expect(parseMp3FrameHeader(hex('fffda404'))).toMatchObject({
      layer: 2,
      bitrateKbps: 192,
      sampleRate: 48000,
      frameLength: 576,
    });
    expect(parseMp3FrameHeader(hex('fff58404'))).toMatchObject({
      version: 2,
      layer: 2,
      samplesPerFrame: 1152,
      frameLength: 384,
    });
    // MPEG-1 Layer I, CRC, 384 kbit/s, 44.1 kHz, padded: (floor(12 * 384000 / 44100) + 1) * 4
    expect(parseMp3FrameHeader(hex('fffec200'))).toMatchObject({
      layer: 1,
      hasCrc: true,
      frameLength: 420,
      samplesPerFrame: 384,
    });
  });

  it('rejects free format, reserved fields and missing sync with BitstreamError', () => {
    expect(() => parseMp3FrameHeader(hex('fffb0000'))).toThrowError(
      expect.objectContaining({ code: 'BITSTREAM_UNSUPPORTED' }),
    );
    expect(() => parseMp3FrameHeader(hex('fffbf000'))).toThrowError(BitstreamError);
    expect(() => parseMp3FrameHeader(hex('fffb9c00'))).toThrowError(BitstreamError);
    expect(() => parseMp3FrameHeader(hex('fff99000'))).toThrowError(BitstreamError);
    expect(() => parseMp3FrameHeader(hex('ffe99000'))).toThrowError(BitstreamError);
    expect(() => parseMp3FrameHeader(hex('494433'))).toThrowError(BitstreamError);
  });

  it('random bytes throw only BitstreamError, and parsed frames are never empty', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), (a) => {
        const b = Buffer.from(a);
        b[0] = 0xff;
        b[1] |= 0xe0;
        try {
          expect(parseMp3FrameHeader(b).frameLength).toBeGreaterThan(4);
        } catch (err) {
          expect(err).toBeInstanceOf(BitstreamError);
        }
      }),
    );
  });
});
