export { type FfmpegBinary, type FfmpegSearch, type FfmpegSource, findFfmpeg } from './ffmpeg-binary.js';
export {
  DEFAULT_RESTART,
  type FfmpegEnd,
  FfmpegJob,
  type FfmpegJobOptions,
  type JobProgress,
  type JobSnapshot,
  type JobState,
  MAX_STDIN_BACKLOG_BYTES,
  type RestartPolicy,
} from './ffmpeg-job.js';
export { FfmpegJobs, FfmpegMissingError } from './ffmpeg-jobs.js';
export { type InputCodecs, parseInputCodecs, probeInputCodecs } from './input-codecs.js';
export { type ProcessUsage, processUsage } from './process-usage.js';
