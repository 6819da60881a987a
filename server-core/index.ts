/**
 * The public entry of server-core: what app/ (and tests that play the app's role) may use. Everything else is
 * internal to the media server.
 */

export { CONSOLE_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX, tokenAuthorizer } from './control/api/api-auth.js';
export { OriginPolicy } from './control/api/origin-policy.js';
export { kickClient } from './control/api/srs-api.js';
export { ConfigError, type ConfigProblem, loadConfigFile, parseConfig } from './control/config/load-config.js';
export { configSchema, type TallyConfig, type TallyConfigInput } from './control/config/schema.js';
export { createLogger } from './control/logging/create-logger.js';
export { installLastResortHandler } from './control/logging/last-resort.js';
export type { LogEntry, LogQuery } from './control/logging/log-ring.js';
export { LogRing } from './control/logging/log-ring.js';
export {
  type StreamUrl,
  streamUrls,
  TALLY_VERSION,
  TallyServer,
  type TallyServerOptions,
  type UrlTarget,
} from './core.js';
export type { Reader } from './hub/reader.js';
export { type AudioInfo, describeAudio, describeVideo, type VideoInfo } from './hub/stream-info.js';
export { isValidStreamName } from './hub/stream-key.js';
export type { StreamEvent } from './hub/stream-registry.js';
export type { StreamSource } from './hub/stream-source.js';
export type { JobSnapshot } from './jobs/index.js';
export type { StreamRecordingState } from './outputs/dvr/dvr-output.js';
export type { RecordedFile } from './outputs/dvr/dvr-recorder.js';
export type { HttpRoute, UpgradeRoute } from './servers/http/http-route.js';
export { HttpServer } from './servers/http/http-server.js';
export type { LadderState } from './transcode/abr-transcoder.js';
export type { VirtualLiveState } from './transcode/virtual-live.js';
