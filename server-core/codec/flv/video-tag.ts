import { FlvError } from './flv-error.js';

export type FlvVideoCodec = 'h264' | 'hevc' | 'av1' | 'vp9';
export type FlvFrameType = 'key' | 'inter' | 'disposable' | 'generated-key' | 'command';
export type FlvVideoPacket = 'sequence-header' | 'coded-frames' | 'end-of-sequence' | 'metadata';

export interface FlvVideoTag {
  codec: FlvVideoCodec;
  frameType: FlvFrameType;
  packet: FlvVideoPacket;
  /** Composition time offset, ms (pts - dts). */
  compositionTime: number;
  /** Config record (sequence header) or length-prefixed NAL units / OBUs (frames): a subarray of the body. */
  data: Buffer;
  enhanced: boolean;
}

const FRAME_TYPES: Record<number, FlvFrameType> = {
  1: 'key',
  2: 'inter',
  3: 'disposable',
  4: 'generated-key',
  5: 'command',
};
/** Legacy codec ids (E.4.3.1): 7 AVC; 12 is the widely deployed (non-Adobe) HEVC extension. */
const LEGACY_CODECS: Record<number, FlvVideoCodec> = { 7: 'h264', 12: 'hevc' };
/** Enhanced RTMP FourCCs. */
const FOURCC_CODECS: Record<string, FlvVideoCodec> = { avc1: 'h264', hvc1: 'hevc', av01: 'av1', vp09: 'vp9' };
const CODEC_FOURCC: Record<FlvVideoCodec, string> = { h264: 'avc1', hevc: 'hvc1', av1: 'av01', vp9: 'vp09' };

/** Enhanced RTMP video packet types (ExVideoTagHeader). */
const EX = { SEQUENCE_START: 0, CODED_FRAMES: 1, SEQUENCE_END: 2, CODED_FRAMES_X: 3, METADATA: 4 } as const;

/**
 * Parses a VIDEODATA body: legacy AVC/HEVC (E.4.3.1: frameType u4 | codecId u4 | AVCPacketType u8 | cts si24 |
 * data) or Enhanced RTMP (isExHeader u1 | frameType u3 | packetType u4 | FourCC | [cts si24] | data).
 */
export function parseVideoTagBody(body: Buffer): FlvVideoTag {
  if (body.length < 1) throw new FlvError('FLV_TRUNCATED', 'empty video tag');
  const first = body[0];
  if (first & 0x80) return parseEnhanced(body);
  const frameType = FRAME_TYPES[first >> 4];
  const codec = LEGACY_CODECS[first & 0x0f];
  if (!codec) throw new FlvError('FLV_UNSUPPORTED_CODEC', `unsupported video codec id ${first & 0x0f}`);
  if (!frameType) throw new FlvError('FLV_BAD_TAG', `bad video frame type ${first >> 4}`);
  if (frameType === 'command') {
    return { codec, frameType, packet: 'metadata', compositionTime: 0, data: body.subarray(1), enhanced: false };
  }
  if (body.length < 5) throw new FlvError('FLV_TRUNCATED', 'AVC video tag needs 5 header bytes');
  const packetType = body[1];
  const packet: FlvVideoPacket =
    packetType === 0
      ? 'sequence-header'
      : packetType === 1
        ? 'coded-frames'
        : packetType === 2
          ? 'end-of-sequence'
          : 'metadata';
  return { codec, frameType, packet, compositionTime: body.readIntBE(2, 3), data: body.subarray(5), enhanced: false };
}

function parseEnhanced(body: Buffer): FlvVideoTag {
  if (body.length < 5) throw new FlvError('FLV_TRUNCATED', 'enhanced video tag needs 5 header bytes');
  const frameType = FRAME_TYPES[(body[0] >> 4) & 0x07];
  const packetType = body[0] & 0x0f;
  const fourcc = body.toString('latin1', 1, 5);
  const codec = FOURCC_CODECS[fourcc];
  if (!codec) throw new FlvError('FLV_UNSUPPORTED_CODEC', `unsupported video FourCC ${JSON.stringify(fourcc)}`);
  if (!frameType) throw new FlvError('FLV_BAD_TAG', 'bad enhanced video frame type');
  let offset = 5;
  let compositionTime = 0;
  let packet: FlvVideoPacket;
  switch (packetType) {
    case EX.SEQUENCE_START:
      packet = 'sequence-header';
      break;
    case EX.CODED_FRAMES:
      packet = 'coded-frames';
      if (codec === 'h264' || codec === 'hevc') {
        if (body.length < 8) throw new FlvError('FLV_TRUNCATED', 'CodedFrames needs a composition time');
        compositionTime = body.readIntBE(5, 3);
        offset = 8;
      }
      break;
    case EX.CODED_FRAMES_X:
      packet = 'coded-frames';
      break;
    case EX.SEQUENCE_END:
      packet = 'end-of-sequence';
      break;
    case EX.METADATA:
      packet = 'metadata';
      break;
    default:
      throw new FlvError('FLV_UNSUPPORTED_CODEC', `unsupported enhanced video packet type ${packetType}`);
  }
  return { codec, frameType, packet, compositionTime, data: body.subarray(offset), enhanced: true };
}

export interface VideoTagInput {
  codec: FlvVideoCodec;
  keyframe: boolean;
  packet: 'sequence-header' | 'coded-frames' | 'end-of-sequence';
  compositionTime: number;
  data: Buffer;
}

/** H.264 the legacy way (what every player reads); HEVC, AV1 and VP9 as Enhanced RTMP. */
export function writeVideoTagBody(tag: VideoTagInput): Buffer {
  const frameType = tag.keyframe ? 1 : 2;
  if (tag.codec === 'h264') {
    const head = Buffer.alloc(5);
    head[0] = (frameType << 4) | 7;
    head[1] = tag.packet === 'sequence-header' ? 0 : tag.packet === 'coded-frames' ? 1 : 2;
    head.writeIntBE(tag.packet === 'coded-frames' ? tag.compositionTime : 0, 2, 3);
    return Buffer.concat([head, tag.data]);
  }
  let packetType: number;
  let withCts = false;
  if (tag.packet === 'sequence-header') packetType = EX.SEQUENCE_START;
  else if (tag.packet === 'end-of-sequence') packetType = EX.SEQUENCE_END;
  else if (tag.codec === 'hevc' && tag.compositionTime !== 0) {
    packetType = EX.CODED_FRAMES;
    withCts = true;
  } else {
    packetType = tag.codec === 'hevc' ? EX.CODED_FRAMES_X : EX.CODED_FRAMES;
  }
  const head = Buffer.alloc(withCts ? 8 : 5);
  head[0] = 0x80 | (frameType << 4) | packetType;
  head.write(CODEC_FOURCC[tag.codec], 1, 'latin1');
  if (withCts) head.writeIntBE(tag.compositionTime, 5, 3);
  return Buffer.concat([head, tag.data]);
}
