import { FlvError } from './flv-error.js';

export type FlvAudioCodec = 'aac' | 'mp3' | 'opus' | 'g711a' | 'g711u';

export interface FlvAudioTag {
  codec: FlvAudioCodec;
  packet: 'sequence-header' | 'coded-frames';
  data: Buffer;
  /** From the legacy header (AAC always says 44 kHz stereo: the AudioSpecificConfig is the truth). */
  soundRate?: number;
  channels?: number;
  sampleSize?: number;
}

const SOUND_RATES = [5512, 11025, 22050, 44100];
const LEGACY_CODECS: Record<number, FlvAudioCodec> = { 2: 'mp3', 7: 'g711a', 8: 'g711u', 10: 'aac', 14: 'mp3' };
const FOURCC_CODECS: Record<string, FlvAudioCodec> = { Opus: 'opus', mp4a: 'aac', '.mp3': 'mp3' };
/** Enhanced RTMP v2: sound format 9 marks an ExAudioTagHeader. */
const EX_HEADER_FORMAT = 9;

/**
 * Parses an AUDIODATA body (E.4.2.1: soundFormat u4 | soundRate u2 | soundSize u1 | soundType u1 | [AACPacketType]
 * | data) or an Enhanced RTMP audio body (9 u4 | audioPacketType u4 | FourCC | data).
 */
export function parseAudioTagBody(body: Buffer): FlvAudioTag {
  if (body.length < 1) throw new FlvError('FLV_TRUNCATED', 'empty audio tag');
  const format = body[0] >> 4;
  if (format === EX_HEADER_FORMAT) {
    if (body.length < 5) throw new FlvError('FLV_TRUNCATED', 'enhanced audio tag needs 5 header bytes');
    const packetType = body[0] & 0x0f;
    const fourcc = body.toString('latin1', 1, 5);
    const codec = FOURCC_CODECS[fourcc];
    if (!codec) throw new FlvError('FLV_UNSUPPORTED_CODEC', `unsupported audio FourCC ${JSON.stringify(fourcc)}`);
    if (packetType !== 0 && packetType !== 1) {
      throw new FlvError('FLV_UNSUPPORTED_CODEC', `unsupported enhanced audio packet type ${packetType}`);
    }
    return { codec, packet: packetType === 0 ? 'sequence-header' : 'coded-frames', data: body.subarray(5) };
  }
  const codec = LEGACY_CODECS[format];
  if (!codec) throw new FlvError('FLV_UNSUPPORTED_CODEC', `unsupported audio sound format ${format}`);
  const soundRate =
    format === 14 ? 8000 : codec === 'g711a' || codec === 'g711u' ? 8000 : SOUND_RATES[(body[0] >> 2) & 3];
  const common = { soundRate, sampleSize: body[0] & 0x02 ? 16 : 8, channels: body[0] & 0x01 ? 2 : 1 };
  if (codec === 'aac') {
    if (body.length < 2) throw new FlvError('FLV_TRUNCATED', 'AAC audio tag needs 2 header bytes');
    return { codec, packet: body[1] === 0 ? 'sequence-header' : 'coded-frames', data: body.subarray(2), ...common };
  }
  return { codec, packet: 'coded-frames', data: body.subarray(1), ...common };
}

export interface AudioTagInput {
  codec: FlvAudioCodec;
  packet: 'sequence-header' | 'coded-frames';
  data: Buffer;
  sampleRate?: number;
  channels?: number;
}

/** AAC, MP3 and G.711 the legacy way; Opus as Enhanced RTMP audio. */
export function writeAudioTagBody(tag: AudioTagInput): Buffer {
  const stereo = (tag.channels ?? 2) > 1 ? 1 : 0;
  switch (tag.codec) {
    case 'aac':
      return Buffer.concat([Buffer.from([0xaf, tag.packet === 'sequence-header' ? 0 : 1]), tag.data]);
    case 'mp3': {
      const rate = tag.sampleRate ?? 44100;
      const rateBits = rate >= 44100 ? 3 : rate >= 22050 ? 2 : rate >= 11025 ? 1 : 0;
      return Buffer.concat([Buffer.from([(2 << 4) | (rateBits << 2) | 0x02 | stereo]), tag.data]);
    }
    case 'g711a':
    case 'g711u': {
      const format = tag.codec === 'g711a' ? 7 : 8;
      return Buffer.concat([Buffer.from([(format << 4) | 0x02 | stereo]), tag.data]);
    }
    case 'opus': {
      const head = Buffer.alloc(5);
      head[0] = (EX_HEADER_FORMAT << 4) | (tag.packet === 'sequence-header' ? 0 : 1);
      head.write('Opus', 1, 'latin1');
      return Buffer.concat([head, tag.data]);
    }
  }
}
