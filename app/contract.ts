/**
 * The appliance contract: everything a person can ask of Tally, in one place. The Electron preload exposes it over
 * IPC; the browser console reaches the same methods over HTTP + WebSocket. Types only (the renderer imports this
 * file and nothing else from app/).
 */

export type ServerState = 'starting' | 'running' | 'stopping' | 'stopped' | 'failed';

export interface ServerStatus {
  state: ServerState;
  /** Why the last start failed (port in use...), when state is 'failed'. */
  error?: string;
  startedAt?: number;
  version: string;
  /** `sip`: the GB28181 SIP port, while gb28181 is on. */
  ports: { rtmp?: number; http?: number; api?: number; sip?: number };
  /** Addresses other machines on the LAN can use, best first (for OBS and phones). */
  lanAddresses: string[];
  recordAll: boolean;
  /** Folder recordings are written into (dvr.dir), shown before the first recording. */
  recordingsDir: string;
}

export interface Health {
  time: number;
  cpuPercent: number;
  systemCpuPercent: number;
  memoryMb: number;
  /** Media bitrate in from publishers and out to players, kbps. */
  inKbps: number;
  outKbps: number;
  streams: number;
  clients: number;
}

export interface VideoTrack {
  codec: string;
  profile: string;
  level: string;
  width: number;
  height: number;
  fps: number | null;
}

export interface AudioTrack {
  codec: string;
  sampleRate: number;
  channels: number;
  profile: string;
}

export interface StreamSummary {
  id: string;
  app: string;
  name: string;
  /** `/app/name`. */
  path: string;
  /** The current (or, while it waits for a new one, the last) publisher. */
  publisher: { cid: string; protocol: string; ip: string };
  /** False while the stream waits for its publisher to come back (players stay connected). */
  publishing: boolean;
  video: VideoTrack | null;
  audio: AudioTrack | null;
  inKbps: number;
  outKbps: number;
  /** Viewers: players, not counting the app's own previews (see PREVIEW_QUERY_FLAG). */
  readers: number;
  uptimeMs: number;
  framesDropped: number;
  /** Measured keyframe interval, ms (null until two keyframes were seen). */
  gopMs: number | null;
  recording: RecordingState | null;
  health: StreamHealth;
}

/** How a stream is doing, measured by the server as packets pass (see server-core/hub/stream-stats.ts). */
export interface StreamHealth {
  /** Frame rate measured from the video timestamps over the last 2 s (null: no video yet). */
  fps: number | null;
  /** Keyframe interval in ms and in frames (null until two keyframes were seen). */
  gopMs: number | null;
  gopFrames: number | null;
  /** A frame with pts ≠ dts was seen: the encoder sends B-frames. */
  bFrames: boolean;
  /** Last audio dts − last video dts, ms (null unless both are present). */
  avDriftMs: number | null;
  /** Frames skipped for slow viewers since the publish began. */
  framesDropped: number;
  /** Viewers by protocol (`http-flv`, `hls`…), previews not counted. */
  viewersByProtocol: Record<string, number>;
}

export interface ClientInfo {
  cid: string;
  kind: 'publish' | 'play';
  protocol: string;
  ip: string;
  aliveMs: number;
  bytesSent: number;
  bytesReceived: number;
  kbps: number;
  framesDropped: number;
  /** The app's own preview (opened with PREVIEW_QUERY_FLAG): listed, never counted as a viewer. */
  preview?: boolean;
  /** SRT clients: the transport's own figures. */
  srt?: SrtLinkInfo;
}

/** One SRT connection's link: what a person checks when an SRT feed stutters. */
export interface SrtLinkInfo {
  rttMs: number;
  /** Negotiated TSBPD latency of the media direction. */
  latencyMs: number;
  /** Publish: packets found missing (most recovered later). Play: NAKs the player sent. */
  lossReports: number;
  /** Publish: retransmissions received. Play: packets we retransmitted. */
  retransmits: number;
  /** Given up: too late to deliver (publish) or to retransmit (play). */
  dropped: number;
  kbps: number;
  encrypted: boolean;
}

/**
 * The query flag the app's previews add to their play URL (`?tally_preview=1`): the controller leaves such readers
 * out of viewer counts. (The renderer repeats the literal: it imports only types from here.)
 */
export const PREVIEW_QUERY_FLAG = 'tally_preview';

export interface StreamDetail extends StreamSummary {
  clients: ClientInfo[];
  /** Every URL the enabled listeners and outputs serve for this stream (their own declarations). */
  playUrls: PlayUrl[];
  /** Where an encoder publishes to this stream (RTMP, SRT), the publish secret included. */
  publishUrls: PlayUrl[];
}

export interface PlayUrl {
  protocol: string;
  label: string;
  url: string;
}

export interface PushInfo {
  /** What OBS wants: Service "Custom", Server and Stream Key. */
  obs: { server: string; streamKey: string };
  rtmpUrl: string;
  srtUrl?: string;
  whipUrl?: string;
  /** Recommended encoder settings, shown beside the URLs. */
  recommended: string[];
}

export interface RecordingState {
  app: string;
  stream: string;
  recording: boolean;
  file?: string;
  startedAt?: number;
  bytes?: number;
  error?: string;
}

/** An ffmpeg job as the app shows it (virtual live, transcode): state, runs, CPU and memory, last error. */
export interface JobView {
  state: string;
  runs: number;
  cpuSeconds?: number;
  rssBytes?: number;
  lastError?: string;
  fps?: number;
  kbps?: number;
}

/** A virtual-live source (config `virtualLive.sources`) and whether it runs. */
export interface VirtualLiveView {
  name: string;
  input: string;
  app: string;
  stream: string;
  loop: boolean;
  autostart: boolean;
  mode: 'auto' | 'copy' | 'encode';
  videoKbps: number;
  running: boolean;
  job: JobView | null;
}

export interface RenditionView {
  name: string;
  /** 0: the source itself, copied. */
  height: number;
  videoKbps: number;
}

/** Transcode profiles, which streams use them, and the ladders running now. */
export interface TranscodeView {
  profiles: { name: string; renditions: RenditionView[] }[];
  streams: { app: string; stream: string; profile: string }[];
  ladders: { app: string; stream: string; profile: string; renditions: string[]; job: JobView | null }[];
}

export interface RecordingFile {
  app: string;
  stream: string;
  file: string;
  start: number;
  durationMs: number;
  size: number;
  recording: boolean;
  /** HTTP URL the console/API listener serves this file at (play in a video element; add `&download=1` to save). */
  url?: string;
}

export interface SettingsField {
  /** Dotted key, e.g. `rtmp.port`. */
  key: string;
  type: 'number' | 'string' | 'boolean' | 'enum' | 'list' | 'object';
  description: string;
  default: unknown;
  options?: string[];
  /** Unit of a number: `ms`, `s`, `MB`, `bytes`, `kbps`… (absent: a plain count or a port). */
  unit?: string;
  minimum?: number;
  maximum?: number;
  /** For a list: what each item is; an object item lists its own fields (keys relative to the item). */
  items?: { type: 'string' | 'number' | 'object'; fields?: SettingsField[] };
  /** What saving a change to this key restarts (who reconnects), when it does; absent: applied in place. */
  restart?: string;
}

export interface SettingsView {
  /** Current effective settings (every key). */
  values: Record<string, unknown>;
  fields: SettingsField[];
  /** Where they are saved. */
  path?: string;
}

export interface SettingsProblem {
  key: string;
  message: string;
}

export type ValidationResult = { ok: true } | { ok: false; problems: SettingsProblem[] };

export interface LogLine {
  time: number;
  level: string;
  cid?: string;
  msg: string;
  fields: Record<string, unknown>;
}

export interface LogFilter {
  cid?: string;
  level?: string;
  since?: number;
  limit?: number;
}

/** Multistream: one stream pushed to one destination now. */
export interface DestinationPush {
  app: string;
  stream: string;
  state: 'connecting' | 'live' | 'retrying' | 'stopped' | 'unsupported';
  error?: string;
  bitrateKbps: number;
  bytesSent: number;
  reconnects: number;
  since: number;
  cid: string;
}

/** A forward destination as the app shows it: never its stream key, only whether it has one. */
export interface DestinationView {
  name: string;
  url: string;
  hasKey: boolean;
  /** app/stream or stream patterns (`*` any); empty: every stream. */
  streams: string[];
  enabled: boolean;
  /** false for srt:// (not forwarded yet). */
  supported: boolean;
  pushes: DestinationPush[];
}

/** A destination to add or change; `key` absent keeps the key it has (the app never reads keys back). */
export interface DestinationInput {
  name: string;
  url: string;
  key?: string;
  streams: string[];
  enabled: boolean;
}

/** A GB28181 camera or NVR that registered, for the device list. */
export interface GbDeviceSummary {
  id: string;
  status: 'online' | 'offline';
  transport: 'TCP' | 'UDP';
  address: string;
  registeredAt: string;
  lastKeepaliveAt: string;
  offlineReason?: string;
  channels: {
    id: string;
    name?: string;
    /** `app/stream` while it plays. */
    stream?: string;
    playState?: 'inviting' | 'playing';
    videoCodec?: string;
    audioCodec?: string;
  }[];
}

/** Methods: every one returns a Promise, whichever transport carries it. */
export interface TallyApi {
  getStatus(): Promise<ServerStatus>;
  startServer(): Promise<ServerStatus>;
  stopServer(): Promise<ServerStatus>;
  restartServer(): Promise<ServerStatus>;
  getHealth(): Promise<Health>;

  listStreams(): Promise<StreamSummary[]>;
  getStream(id: string): Promise<StreamDetail | null>;
  kickClient(cid: string): Promise<boolean>;

  setRecording(app: string, stream: string, enabled: boolean): Promise<RecordingState>;
  setRecordAll(enabled: boolean): Promise<ServerStatus>;
  listRecordings(): Promise<RecordingFile[]>;
  /** Opens the recordings folder (desktop only; the console returns false). */
  showRecording(file: string): Promise<boolean>;

  /** Deletes a recording the DVR listed (never one still being written); false when it is not such a file. */
  deleteRecording(file: string): Promise<boolean>;

  getPushInfo(app: string, stream: string): Promise<PushInfo>;
  /** Why the server would refuse this stream name (its own rule), or null when it is valid. */
  checkStreamName(name: string): Promise<string | null>;
  /** A new random publish secret (not saved until settings are saved). */
  generateSecret(): Promise<string>;

  getSettings(): Promise<SettingsView>;
  validateSettings(values: Record<string, unknown>): Promise<ValidationResult>;
  saveSettings(values: Record<string, unknown>): Promise<ValidationResult>;
  /** Changes a few dotted keys (`security.publishSecret`, `dvr.dir`) of the saved settings, saves and applies. */
  patchSettings(patch: Record<string, unknown>): Promise<ValidationResult>;

  getLogs(filter: LogFilter): Promise<LogLine[]>;

  /** Multistream destinations (saved in `forward.destinations`) with their live pushes. */
  listDestinations(): Promise<DestinationView[]>;
  /** Adds a destination, or replaces the one named `previous`; saved and applied. */
  saveDestination(previous: string | null, destination: DestinationInput): Promise<ValidationResult>;
  removeDestination(name: string): Promise<ValidationResult>;
  /** GB28181 devices that registered (empty when gb28181 is off). */
  listGbDevices(): Promise<GbDeviceSummary[]>;
  listVirtualLive(): Promise<VirtualLiveView[]>;
  /** Starts or stops a configured source; the list after the change (or an error message). */
  setVirtualLiveRunning(name: string, running: boolean): Promise<{ sources: VirtualLiveView[]; error?: string }>;
  getTranscode(): Promise<TranscodeView>;
  /** A stream's latest JPEG snapshot as a `data:image/jpeg;base64,` URL, or null (not live, thumbnails off). */
  getThumbnail(streamId: string): Promise<string | null>;
}

export type TallyMethod = keyof TallyApi;

/** Pushed to the UI without asking. */
export type TallyEvent =
  | { type: 'status'; status: ServerStatus }
  | { type: 'health'; health: Health }
  | { type: 'streams'; streams: StreamSummary[] }
  | { type: 'stream-up'; stream: StreamSummary }
  | { type: 'stream-down'; id: string; path: string }
  | { type: 'log'; line: LogLine };

/** The list of methods, for transports that bind them by name (preload, HTTP). */
export const TALLY_METHODS: readonly TallyMethod[] = [
  'getStatus',
  'startServer',
  'stopServer',
  'restartServer',
  'getHealth',
  'listStreams',
  'getStream',
  'kickClient',
  'setRecording',
  'setRecordAll',
  'listRecordings',
  'showRecording',
  'deleteRecording',
  'getPushInfo',
  'checkStreamName',
  'generateSecret',
  'getSettings',
  'validateSettings',
  'saveSettings',
  'patchSettings',
  'getLogs',
  'listDestinations',
  'saveDestination',
  'removeDestination',
  'listGbDevices',
  'listVirtualLive',
  'setVirtualLiveRunning',
  'getTranscode',
  'getThumbnail',
];
