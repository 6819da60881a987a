import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BitstreamError } from '../bits/bitstream-error.js';
import { parseAdtsHeader, splitAdtsFrames, writeAdtsHeader } from './adts.js';
import { buildAudioSpecificConfig, parseAudioSpecificConfig } from './audio-specific-config.js';

const hex = (s: string) => Buffer.from(s, 'hex');

/** The first two frames of ffmpeg 5.1's native AAC encoder, 48 kHz mono (-c:a aac -f adts): 219 + 287 bytes. */
const ADTS_48K_MONO = hex(
  [
    'fff14c401b7ffcde02004c61766335392e33372e313030000268aa59ea104d130b56eb75fb7dfadf4f37adf157224a4876c8',
    'd4890209ba61f4ef89dc5d93d957481d5dc12c93337080e7af1aa5c870d719ef45ebdc4eb5da7a3703b779ef62f49e5571b3',
    '5667b8cebd9ce8565b94ed6b1b8ab8d9b41b3636c561ad626e565b94ed6ab33d4b3d4b25598e8da69da69da69dad46c752c9',
    '3eb67d54a5f9ac354d74d9d367456a2b53674d8d363331999d367456a2b51674d8ccc6663331a2b515a8ad452aa9a49a4a24',
    'a24a249aa9aa9aa9aa9a4a24a1e8928aa6a9b8fff14c4023fffc016298d8f6eb351309b749a8ab751abfdbfeb383135734e7',
    'bfd605eaeffb7c09ad454fce85f177282d0f89eaead048da527a5ad672a67e773fe8496b6a6d4d7cea171627a36d3dbb41c3',
    'c062a76b4fa9dd366aa94bb75ff27e33f29d137af04848484decc242424e3b8484849c996eee121212716d3bb848495099b2',
    '777fe5e3f861d928808a340436f4c824144f3baeb4c4735588c9763e04b3665e210337a7fba7316d1aab22637133d4afd049',
    '5ab65250c2f931c3192691a9767c31c319269199d9f0c70c6499d99d9f0c70a6b6919d9d99d9cddd9d9d9d9d1d99cc0dff9f',
    'f3f46a806fd57b9ab50c24a872c27e03ce129acc045dd58ae2a75b356cd4d196cd5519f3618e1e6edc70c70c709b0c5d9d9d',
    '9d9cdd9d1f80',
  ].join(''),
);

describe('ADTS', () => {
  it('parses the header ffmpeg writes', () => {
    expect(parseAdtsHeader(ADTS_48K_MONO)).toEqual({
      config: {
        objectType: 2,
        samplingFrequencyIndex: 3,
        sampleRate: 48000,
        channelConfiguration: 1,
        channels: 1,
        profileName: 'LC',
        coreObjectType: 2,
        outputSampleRate: 48000,
        sbr: false,
        ps: false,
      },
      headerLength: 7,
      frameLength: 219,
    });
    // 44.1 kHz stereo, 345 bytes
    expect(parseAdtsHeader(hex('fff150802b3ffc'))).toMatchObject({
      config: { sampleRate: 44100, channels: 2 },
      frameLength: 345,
    });
  });

  it('splits frames into raw payloads and writes identical headers back', () => {
    const { config, frames } = splitAdtsFrames(ADTS_48K_MONO);
    expect(frames.map((f) => f.length)).toEqual([212, 280]);
    expect(frames[0].buffer).toBe(ADTS_48K_MONO.buffer);
    const rebuilt = Buffer.concat(frames.flatMap((f) => [writeAdtsHeader(config, f.length), f]));
    expect(rebuilt.equals(ADTS_48K_MONO)).toBe(true);
  });

  it('reads the 9-byte header with CRC', () => {
    const h = Buffer.from(writeAdtsHeader(parseAudioSpecificConfig(hex('1190')), 2));
    h[1] &= 0xfe; // protection_absent 0
    const frame = Buffer.concat([h, hex('abcd'), hex('0102')]);
    frame[4] = ((11 >> 3) & 0xff) | 0;
    frame[5] = ((11 & 7) << 5) | 0x1f;
    expect(splitAdtsFrames(frame).frames).toEqual([hex('0102')]);
  });

  it('writes HE-AAC as its LC core and refuses what ADTS cannot carry', () => {
    const he = parseAudioSpecificConfig(hex('2b920800'));
    expect([...writeAdtsHeader(he, 100).subarray(0, 3)]).toEqual([0xff, 0xf1, (1 << 6) | (7 << 2)]);
    expect(() => writeAdtsHeader(he, 9000)).toThrowError(expect.objectContaining({ code: 'BITSTREAM_TOO_LARGE' }));
    const odd = parseAudioSpecificConfig(buildAudioSpecificConfig({ objectType: 2, sampleRate: 37000, channels: 2 }));
    expect(() => writeAdtsHeader(odd, 10)).toThrowError(expect.objectContaining({ code: 'BITSTREAM_UNSUPPORTED' }));
  });

  it('throws BitstreamError on a cut frame, a bad syncword or nothing at all', () => {
    expect(() => splitAdtsFrames(ADTS_48K_MONO.subarray(0, 300))).toThrowError(
      expect.objectContaining({ code: 'BITSTREAM_TRUNCATED' }),
    );
    expect(() => splitAdtsFrames(hex('fff0'))).toThrowError(BitstreamError);
    expect(() => parseAdtsHeader(hex('00112233445566'))).toThrowError(BitstreamError);
    expect(() => splitAdtsFrames(Buffer.alloc(0))).toThrowError(BitstreamError);
  });

  it('round-trips write -> split for any config and payloads', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 1, max: 7 }),
        fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 5 }),
        (objectType, index, channelConfiguration, payloads) => {
          const config = { objectType, samplingFrequencyIndex: index, sampleRate: 0, channelConfiguration };
          const raw = payloads.map((p) => Buffer.from(p));
          const stream = Buffer.concat(raw.flatMap((p) => [writeAdtsHeader(config, p.length), p]));
          const split = splitAdtsFrames(stream);
          expect(split.frames).toEqual(raw);
          expect(split.config).toMatchObject({ objectType, samplingFrequencyIndex: index, channelConfiguration });
        },
      ),
    );
  });

  it('random bytes throw only BitstreamError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (a) => {
        const b = Buffer.from(a);
        if (b.length > 1) [b[0], b[1]] = [0xff, 0xf1 | (b[1] & 0x0e)];
        try {
          splitAdtsFrames(b);
        } catch (err) {
          expect(err).toBeInstanceOf(BitstreamError);
        }
      }),
    );
  });
});
