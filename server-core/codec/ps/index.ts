export {
  MAX_ACCESS_UNIT_SIZE,
  MAX_PES_PACKET_LENGTH,
  MAX_PSM_LENGTH,
  MAX_UNBOUNDED_PES_SIZE,
  PS_CLOCK_HZ,
  PS_STREAM_TYPE,
  STREAM_ID,
} from './constants.js';
export {
  type PsDemuxEvent,
  PsDemuxer,
  type PsDemuxerOptions,
  type PsDemuxStats,
  type PsFrameEvent,
  type PsStream,
  type PsStreamsEvent,
} from './demuxer.js';
export { type PsAudioFrame, PsMuxer, type PsMuxerOptions, type PsVideoAccessUnit } from './muxer.js';
export {
  type PackHeader,
  type PackHeaderInput,
  packHeaderSize,
  parsePackHeader,
  writePackHeader,
} from './pack-header.js';
export {
  maxPesPayload,
  type PsPes,
  type PsPesInput,
  parsePsPes,
  pesHeaderDataLength,
  writePsPes,
} from './pes-packet.js';
export {
  type ParsePsmOptions,
  type ProgramStreamMap,
  type PsmInput,
  type PsmStream,
  parseProgramStreamMap,
  writeProgramStreamMap,
} from './program-stream-map.js';
export { PsError, type PsErrorCode } from './ps-error.js';
export {
  codecForPsStreamType,
  isVideoCodec,
  type PsAudioCodec,
  type PsCodec,
  type PsVideoCodec,
  probeCodec,
  psStreamTypeForCodec,
} from './stream-type.js';
export { parseSystemHeader, type SystemHeader, type SystemHeaderStream, writeSystemHeader } from './system-header.js';
