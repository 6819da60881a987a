export {
  type AdaptationField,
  type AdaptationFieldInput,
  adaptationFieldSize,
  parseAdaptationField,
  writeAdaptationField,
} from './adaptation-field.js';
export {
  DEFAULT_AUDIO_PID,
  DEFAULT_PMT_PID,
  DEFAULT_PROGRAM_NUMBER,
  DEFAULT_VIDEO_PID,
  MAX_PES_SIZE,
  PID_NULL,
  PID_PAT,
  STREAM_TYPE,
  TIMESTAMP_WRAP,
  TS_CLOCK_HZ,
  TS_PACKET_SIZE,
  TS_SYNC_BYTE,
} from './constants.js';
export { crc32Mpeg } from './crc32-mpeg.js';
export {
  type TsDemuxEvent,
  TsDemuxer,
  type TsDemuxerOptions,
  type TsDemuxStats,
  type TsDemuxStream,
  type TsPesEvent,
  type TsStreamsEvent,
} from './demuxer.js';
export { type Descriptor, parseDescriptors, registrationFormat, writeDescriptors } from './descriptor.js';
export {
  type TsAudioCodec,
  type TsAudioFrame,
  type TsAudioTrack,
  TsMuxer,
  type TsMuxerOptions,
  type TsMuxerStats,
  type TsVideoAccessUnit,
  type TsVideoCodec,
  type TsVideoTrack,
} from './muxer.js';
export {
  type OpusAccessUnit,
  type OpusTrim,
  parseOpusAccessUnits,
  writeOpusControlHeader,
} from './opus-access-unit.js';
export {
  opusChannelConfigCode,
  opusChannelsForCode,
  readOpusChannelConfigCode,
  writeOpusDescriptors,
} from './opus-descriptor.js';
export {
  packetizePes,
  packetizeSection,
  pesPacketCount,
  sectionPacketCount,
  writePesPackets,
  writeSectionPackets,
} from './packetizer.js';
export { type Pat, type PatProgram, parsePat, writePat } from './pat.js';
export { PES_STREAM_ID, type PesHeader, type PesHeaderInput, parsePes, parsePesHeader, writePesHeader } from './pes.js';
export { type Pmt, type PmtStream, parsePmt, writePmt } from './pmt.js';
export { type PsiSection, parsePsiSection, psiSectionSize, writePsiSection } from './psi-section.js';
export { codecForStream, type TsCodec } from './stream-type.js';
export { readPesTimestamp, wrapTimestamp, writePesTimestamp } from './timestamp.js';
export { TsError, type TsErrorCode } from './ts-error.js';
export { parseTsPacket, type TsPacket, type TsPacketHeader, writeTsPacketHeader } from './ts-packet.js';
