export {
  AAC_FRAME_SAMPLES,
  AudioNormalizer,
  type AudioNormalizerOptions,
  type AudioNormalizerStats,
  type IngestAudioCodec,
  MAX_FRAMES_PER_PAYLOAD,
} from './audio-normalizer.js';
export {
  type ClockTime,
  DEFAULT_MAX_BACKWARD_JUMP_MS,
  DEFAULT_MAX_FORWARD_JUMP_MS,
  DEFAULT_RESTART_GAP_MS,
  IngestClock,
  type IngestClockOptions,
  RTP_TIMESTAMP_WRAP,
  TrackClock,
  TS_CLOCK_RATE,
  TS_TIMESTAMP_WRAP,
  unwrapTicks,
} from './clock.js';
export {
  DropCounter,
  emptyDropCounts,
  INGEST_DROP_REASONS,
  type IngestDropCounts,
  type IngestDropReason,
} from './drop-counter.js';
export { MAX_OPUS_PACKET_SAMPLES, opusPacketSamples } from './opus-packet-duration.js';
export {
  MAX_PARAMETER_SET_SIZE,
  type ParameterSetCodec,
  type ParameterSetKind,
  ParameterSets,
} from './parameter-sets.js';
export {
  type IngestVideoCodec,
  MAX_ACCESS_UNIT_SIZE,
  MAX_NAL_UNITS_PER_ACCESS_UNIT,
  VideoNormalizer,
  type VideoNormalizerOptions,
  type VideoNormalizerStats,
} from './video-normalizer.js';
