import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat, unlink } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import type { DestinationStream } from 'pino';
import {
  createLogger,
  describeAudio,
  describeVideo,
  HttpServer,
  kickClient,
  type LogEntry,
  LogRing,
  OriginPolicy,
  parseConfig,
  type Reader,
  type StreamSource,
  streamUrls,
  TALLY_VERSION,
  type TallyConfig,
  TallyServer,
  tokenAuthorizer,
  type UrlTarget,
} from '../server-core/index.js';
import { mountConsole } from './console/console-host.js';
import type {
  ClientInfo,
  DestinationInput,
  DestinationView,
  GbDeviceSummary,
  Health,
  LogFilter,
  LogLine,
  PushInfo,
  RecordingFile,
  RecordingState,
  ServerStatus,
  SettingsView,
  StreamDetail,
  StreamSummary,
  TallyApi,
  TallyEvent,
  TranscodeView,
  ValidationResult,
  VirtualLiveView,
} from './contract.js';
import { transcodeView, virtualLiveViews } from './ffmpeg-feature-views.js';
import { lanAddresses } from './lan-addresses.js';
import { playUrls, pushInfo, streamNameProblem } from './push-info.js';
import { settingsFields } from './settings-fields.js';
import { type SettingsStore, validate } from './settings-store.js';
import { srtLink } from './srt-link.js';

export interface ControllerOptions {
  store: SettingsStore;
  /** The built browser console (dist/renderer), mounted on every API listener the controller opens. */
  consoleDir?: string;
  /** Log lines besides the in-memory ring (stdout when absent). */
  logDestination?: DestinationStream;
  /** Folders that may hold an ffmpeg shipped with the installer (the desktop app's `resources/ffmpeg`). */
  ffmpegDirs?: readonly string[];
  /** The WebRTC send worker's bundled script (the desktop app's dist/main/rtc-send-worker.cjs). */
  rtcSendWorkerScript?: string;
  /** Desktop only: reveal a file in the OS file manager. */
  showInFolder?: (file: string) => Promise<boolean>;
  now?: () => number;
}

const HEALTH_INTERVAL_MS = 1000;
const RECORDING_ROUTE = '/console/recording-file';

/**
 * The appliance: implements the UI contract on top of server-core. It owns the settings, the media server's
 * lifecycle and a console/API listener that stays up while the media server stops and starts.
 */
export class Controller implements TallyApi {
  private config: TallyConfig = parseConfig({});
  private raw: Record<string, unknown> = {};
  private server?: TallyServer;
  private apiHttp?: HttpServer;
  private state: ServerStatus['state'] = 'stopped';
  private lastError?: string;
  private readonly listeners = new Set<(event: TallyEvent) => void>();
  private healthTimer?: NodeJS.Timeout;
  private serverTeardowns: Array<() => void> = [];
  private readonly now: () => number;
  /**
   * The in-memory log the Logs page shows: one for the app's life, so the console listener's own lines (which
   * outlive server restarts) land in it beside the server's.
   */
  private logRing?: LogRing;
  /** Capability in recording URLs (see addRecordingRoute); new every run. */
  private readonly recordingKey = randomBytes(18).toString('base64url');
  /** The one token check and origin policy for everything on the API listener the controller itself serves. */
  private readonly authorize = tokenAuthorizer(() => this.config.api.token);
  private readonly policy = new OriginPolicy({
    corsOrigins: () => this.config.api.corsOrigins,
    allowedHosts: () => this.config.api.allowedHosts,
    tokenRequired: () => this.config.api.token !== '',
  });

  constructor(private readonly options: ControllerOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Loads settings (throws ConfigError for an invalid file) and opens the console/API listener. */
  async init(): Promise<void> {
    const loaded = await this.options.store.load();
    this.config = loaded.config;
    this.raw = loaded.raw;
    await this.openApiListener();
  }

  get apiListener(): HttpServer | undefined {
    return this.apiHttp;
  }

  get currentServer(): TallyServer | undefined {
    return this.server;
  }

  get currentConfig(): TallyConfig {
    return this.config;
  }

  /** An error no boundary caught reached the process: log it with the server's log and count it; serving goes on. */
  reportUncaught(error: Error, origin: string): void {
    const server = this.server;
    if (!server) {
      process.stderr.write(`tally: ${origin}: ${error.stack ?? error.message}\n`);
      return;
    }
    server.reportFault({ kind: 'process', consumer: origin, action: 'logged; serving goes on', error });
  }

  onEvent(listener: (event: TallyEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async getStatus(): Promise<ServerStatus> {
    return this.status();
  }

  async startServer(): Promise<ServerStatus> {
    if (this.server || this.state === 'starting') return this.status();
    this.setState('starting');
    const server = new TallyServer({
      config: this.config,
      logDestination: this.options.logDestination,
      logRing: this.ring(),
      apiHttp: this.apiHttp,
      dataDir: this.options.store.path ? dirname(this.options.store.path) : undefined,
      ffmpegDirs: this.options.ffmpegDirs,
      rtcSendWorkerScript: this.options.rtcSendWorkerScript,
    });
    try {
      await server.start();
    } catch (error) {
      this.lastError = (error as Error).message;
      this.setState('failed');
      return this.status();
    }
    this.server = server;
    this.lastError = undefined;
    this.watch(server);
    this.setState('running');
    return this.status();
  }

  async stopServer(): Promise<ServerStatus> {
    const server = this.server;
    if (!server) return this.status();
    this.setState('stopping');
    for (const teardown of this.serverTeardowns) teardown();
    this.serverTeardowns = [];
    if (this.healthTimer) clearInterval(this.healthTimer);
    this.server = undefined;
    await server.close();
    this.setState('stopped');
    this.emit({ type: 'streams', streams: [] });
    return this.status();
  }

  async restartServer(): Promise<ServerStatus> {
    await this.stopServer();
    return this.startServer();
  }

  async getHealth(): Promise<Health> {
    return this.health();
  }

  async listStreams(): Promise<StreamSummary[]> {
    return this.server?.registry.list().map((s) => this.summary(s)) ?? [];
  }

  async listGbDevices(): Promise<GbDeviceSummary[]> {
    return (this.server?.gb28181?.list() ?? []).map((d) => ({
      id: d.id,
      status: d.status,
      transport: d.transport,
      address: d.address,
      registeredAt: d.registered_at,
      lastKeepaliveAt: d.last_keepalive_at,
      offlineReason: d.offline_reason,
      channels: d.channels.map((c) => ({
        id: c.id,
        name: c.name,
        stream: c.stream,
        playState: c.play_state,
        videoCodec: c.video_codec,
        audioCodec: c.audio_codec,
      })),
    }));
  }

  async getStream(id: string): Promise<StreamDetail | null> {
    const source = this.server?.registry.list().find((s) => s.streamId === id);
    if (!source || !this.server) return null;
    const now = this.now();
    const traffic = this.server.traffic;
    const clients: ClientInfo[] = [
      {
        cid: source.publisher.cid,
        kind: 'publish',
        protocol: source.publisher.protocol,
        ip: source.publisher.ip,
        aliveMs: now - source.stats.publishedAt,
        bytesSent: 0,
        bytesReceived: source.stats.recvBytes,
        kbps: traffic.rates(source.publisher.cid).recvKbps,
        framesDropped: 0,
      },
      ...source.readers().map((r) => ({
        cid: r.info.cid,
        kind: 'play' as const,
        protocol: r.info.protocol,
        ip: r.info.ip,
        aliveMs: now - r.startedAt,
        bytesSent: r.bytesSent,
        bytesReceived: 0,
        kbps: traffic.rates(r.info.cid).sendKbps,
        framesDropped: r.framesDropped,
        ...(isPreview(r) ? { preview: true } : {}),
      })),
    ];
    for (const client of clients) {
      const link = srtLink(this.server.srt?.connectionStats(client.cid));
      if (link) client.srt = link;
    }
    const target = this.urlTarget(source.key.app, source.key.stream);
    return {
      ...this.summary(source),
      clients,
      playUrls: playUrls(this.config, target),
      publishUrls: streamUrls(this.config, target)
        .filter((u) => u.direction === 'publish')
        .map(({ protocol, label, url }) => ({ protocol, label, url })),
    };
  }

  async kickClient(cid: string): Promise<boolean> {
    return this.server ? kickClient(this.server.registry, cid) : false;
  }

  async setRecording(app: string, stream: string, enabled: boolean): Promise<RecordingState> {
    if (!this.server) return { app, stream, recording: false, error: 'the server is stopped' };
    const state = await this.server.dvr.setRecording(app, stream, enabled);
    return { ...state, recording: state.recording || (enabled && !state.error) };
  }

  async setRecordAll(enabled: boolean): Promise<ServerStatus> {
    this.raw = { ...this.raw, dvr: { ...(this.raw.dvr as object | undefined), recordAll: enabled } };
    this.config = parseConfig(this.raw);
    await this.options.store.save(this.raw);
    if (this.server) this.server.dvr.recordAll = enabled;
    this.emitStatus();
    return this.status();
  }

  async listRecordings(): Promise<RecordingFile[]> {
    if (!this.server) return [];
    return (await this.server.dvr.recordings()).map((f) => ({ ...f, url: this.recordingUrl(f.file) }));
  }

  async deleteRecording(file: string): Promise<boolean> {
    const listed = (await this.listRecordings()).find((f) => f.file === file);
    if (!listed || listed.recording) return false;
    await unlink(listed.file);
    return true;
  }

  async showRecording(file: string): Promise<boolean> {
    return this.options.showInFolder ? this.options.showInFolder(file) : false;
  }

  async getPushInfo(app: string, stream: string): Promise<PushInfo> {
    return pushInfo(this.config, this.urlTarget(app, stream));
  }

  /** The stream URLs are named by the modules; this says which machine and which bound ports they name. */
  urlTarget(app: string, stream: string): UrlTarget {
    const server = this.server;
    return {
      app,
      stream,
      host: (bindHost) => this.publicHost(bindHost),
      ports: {
        rtmp: server?.rtmp?.port,
        rtmps: server?.rtmps?.port,
        http: server?.http?.port,
        srt: server?.srt?.port,
        api: this.apiHttp?.port,
      },
    };
  }

  async checkStreamName(name: string): Promise<string | null> {
    return streamNameProblem(name);
  }

  async generateSecret(): Promise<string> {
    return randomBytes(12).toString('base64url');
  }

  async getSettings(): Promise<SettingsView> {
    return {
      values: this.config as unknown as Record<string, unknown>,
      fields: settingsFields(),
      path: this.options.store.path,
    };
  }

  async validateSettings(values: Record<string, unknown>): Promise<ValidationResult> {
    const { problems } = validate(values);
    return problems.length === 0 ? { ok: true } : { ok: false, problems };
  }

  /** Saves valid settings and applies them (see apply). */
  async saveSettings(values: Record<string, unknown>): Promise<ValidationResult> {
    const { config, problems } = validate(values);
    if (!config) return { ok: false, problems };
    await this.options.store.save(values);
    await this.apply(values, config);
    return { ok: true };
  }

  async patchSettings(patch: Record<string, unknown>): Promise<ValidationResult> {
    let next = this.raw;
    for (const [key, value] of Object.entries(patch)) next = withPath(next, key.split('.'), value);
    return this.saveSettings(next);
  }

  async listDestinations(): Promise<DestinationView[]> {
    const running = this.server?.forward.views() ?? [];
    return this.config.forward.destinations.map((d) => {
      const live = running.find((v) => v.name === d.name);
      return {
        name: d.name,
        url: d.url,
        hasKey: d.key !== '',
        streams: d.streams,
        enabled: d.enabled,
        supported: /^rtmps?:\/\//i.test(d.url),
        pushes: (live?.pushes ?? []).map(({ destination: _d, url: _u, ...push }) => push),
      };
    });
  }

  async saveDestination(previous: string | null, input: DestinationInput): Promise<ValidationResult> {
    const list = this.config.forward.destinations;
    const index = previous === null ? -1 : list.findIndex((d) => d.name === previous);
    if (previous !== null && index < 0) {
      return { ok: false, problems: [{ key: 'name', message: `no destination named ${previous}` }] };
    }
    if (list.some((d, i) => d.name === input.name && i !== index)) {
      return { ok: false, problems: [{ key: 'name', message: `a destination named ${input.name} exists already` }] };
    }
    const key = input.key ?? (index >= 0 ? list[index].key : '');
    const entry = { name: input.name, url: input.url, key, streams: input.streams, enabled: input.enabled };
    const next = index >= 0 ? list.map((d, i) => (i === index ? entry : d)) : [...list, entry];
    return this.patchDestinations(next);
  }

  async removeDestination(name: string): Promise<ValidationResult> {
    return this.patchDestinations(this.config.forward.destinations.filter((d) => d.name !== name));
  }

  /** Saves the destination list; problems name the destination's own fields (`url`, not `forward.destinations.0.url`). */
  private async patchDestinations(list: TallyConfig['forward']['destinations']): Promise<ValidationResult> {
    const result = await this.patchSettings({ 'forward.destinations': list });
    if (result.ok) return result;
    return {
      ok: false,
      problems: result.problems.map((p) => ({ ...p, key: p.key.replace(/^forward\.destinations\.\d+\./, '') })),
    };
  }

  async listVirtualLive(): Promise<VirtualLiveView[]> {
    if (this.server?.virtualLive) return virtualLiveViews(this.server.virtualLive.list());
    return virtualLiveViews(this.config.virtualLive.sources.map((s) => ({ ...s, running: false })));
  }

  async setVirtualLiveRunning(name: string, running: boolean): Promise<{ sources: VirtualLiveView[]; error?: string }> {
    const live = this.server?.virtualLive;
    if (!live) return { sources: await this.listVirtualLive(), error: 'the server is stopped' };
    let error: string | undefined;
    if (running) await live.startSource(name).catch((e: Error) => (error = e.message));
    else live.stopSource(name);
    return { sources: await this.listVirtualLive(), error };
  }

  async getTranscode(): Promise<TranscodeView> {
    return transcodeView(this.server, this.config);
  }

  async getThumbnail(streamId: string): Promise<string | null> {
    const source = this.server?.registry.list().find((s) => s.streamId === streamId);
    const frame = source ? await this.server?.thumbnails?.snapshot(source.key) : undefined;
    return Buffer.isBuffer(frame) ? `data:image/jpeg;base64,${frame.toString('base64')}` : null;
  }

  /** Re-reads the settings file and applies it (SIGHUP, the reload API). */
  async reload(): Promise<string[]> {
    const loaded = await this.options.store.load();
    return this.apply(loaded.raw, loaded.config);
  }

  /**
   * Applies settings without dropping what they do not touch: the running server reconfigures in place and only
   * restarts when it must (a changed vhost, an output switched on or off).
   */
  private async apply(values: Record<string, unknown>, config: TallyConfig): Promise<string[]> {
    const apiChanged = JSON.stringify(config.api) !== JSON.stringify(this.config.api);
    this.raw = values;
    this.config = config;
    const server = this.server;
    let applied: string[] = [];
    if (server) {
      applied = await server.reconfigure(config);
      if (applied.includes('restart')) {
        await this.stopServer();
        if (apiChanged) await this.openApiListener();
        await this.startServer();
        return applied;
      }
    }
    if (apiChanged) {
      // The API listener is ours: move it, then remount the server's routes on the new one.
      const wasRunning = this.server !== undefined;
      if (wasRunning) await this.stopServer();
      await this.openApiListener();
      if (wasRunning) await this.startServer();
      applied.push('api');
    }
    this.emitStatus();
    return applied;
  }

  async getLogs(filter: LogFilter): Promise<LogLine[]> {
    return this.ring().query(filter).map(toLogLine);
  }

  private ring(): LogRing {
    this.logRing ??= new LogRing(this.config.log.memoryLines);
    return this.logRing;
  }

  /** Stops everything: media server (finalizing recordings) and the console listener. */
  async close(): Promise<void> {
    await this.stopServer();
    await this.apiHttp?.close();
    this.apiHttp = undefined;
  }

  /** The address others should use: the LAN address, unless the listener only binds loopback. */
  private publicHost(bindHost: string): string {
    if (bindHost === '127.0.0.1' || bindHost === '::1' || bindHost === 'localhost') return '127.0.0.1';
    if (bindHost !== '0.0.0.0' && bindHost !== '::') return bindHost;
    return lanAddresses()[0];
  }

  private async openApiListener(): Promise<void> {
    await this.apiHttp?.close();
    this.apiHttp = undefined;
    const { api, http } = this.config;
    if (!api.enabled) return;
    const listener = new HttpServer({
      host: api.host,
      port: api.port,
      // Preflights on the private listener are the origin policy's to answer, not a blanket `*`.
      cors: false,
      headersTimeoutMs: http.headersTimeoutMs,
      logger: createLogger({
        level: this.config.log.level === 'debug' || this.config.log.level === 'trace' ? this.config.log.level : 'info',
        destination: this.options.logDestination,
        ring: this.ring(),
      }).child({ proto: 'console' }),
    });
    // SRS's reload call (`/api/v1/raw?rpc=reload`): re-read the settings file and apply it in place.
    listener.addRoute((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== '/api/v1/raw' || url.searchParams.get('rpc') !== 'reload') return false;
      // A GET that changes state: only from programs or the console's own origin, as every other change.
      const refusal = this.policy.refusal(req, 'change');
      if (refusal) {
        res.writeHead(refusal.status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ code: 4003, message: refusal.message }));
        return true;
      }
      if (!this.authorize(req)) {
        res.writeHead(401, { 'Content-Type': 'application/json' });
        res.end('{"code":4001,"message":"authentication required"}');
        return true;
      }
      this.reload().then(
        (applied) => {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ code: 0, data: { applied } }));
        },
        (error: Error) => {
          res.writeHead(400, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ code: 4000, message: error.message }));
        },
      );
      return true;
    });
    this.addRecordingRoute(listener);
    if (this.options.consoleDir) {
      mountConsole(listener, {
        api: this,
        staticDir: this.options.consoleDir,
        authorize: this.authorize,
        policy: this.policy,
      });
    }
    await listener.start();
    this.apiHttp = listener;
  }

  /** A recording file's URL on the API listener: the key proves the caller got it from listRecordings. */
  private recordingUrl(file: string): string | undefined {
    const port = this.apiHttp?.port;
    if (!port) return undefined;
    const query = new URLSearchParams({ file, key: this.recordingKey });
    return `http://127.0.0.1:${port}${RECORDING_ROUTE}?${query}`;
  }

  /**
   * GET /console/recording-file?file=&key=[&download=1]: serves a file only when the DVR lists it and the key is
   * this process's (a video element cannot send the API token; the key only reaches callers of listRecordings).
   * Ranges are honoured so players can seek.
   */
  private addRecordingRoute(listener: HttpServer): void {
    listener.addRoute((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== RECORDING_ROUTE) return false;
      void this.serveRecording(req, res, url).catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
      return true;
    });
  }

  private async serveRecording(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const fail = (status: number, message: string) => {
      res.writeHead(status, { 'Content-Type': 'text/plain' });
      res.end(`${message}\n`);
    };
    const refusal = this.policy.refusal(req, 'read');
    if (refusal) return fail(refusal.status, refusal.message);
    if (req.method !== 'GET' && req.method !== 'HEAD') return fail(405, 'GET only');
    const key = Buffer.from(url.searchParams.get('key') ?? '');
    const expected = Buffer.from(this.recordingKey);
    if (key.length !== expected.length || !timingSafeEqual(key, expected)) return fail(403, 'unknown key');
    const file = url.searchParams.get('file') ?? '';
    const listed = (await this.listRecordings()).find((f) => f.file === file);
    if (!listed) return fail(404, 'not a recording');
    const size = (await stat(listed.file)).size;
    const headers: Record<string, string | number> = {
      'Content-Type': listed.file.endsWith('.flv') ? 'video/x-flv' : 'video/mp4',
      'Accept-Ranges': 'bytes',
      'Cache-Control': 'no-store',
    };
    if (url.searchParams.get('download') === '1') {
      const name = listed.file.split(/[\\/]/).pop() ?? 'recording';
      headers['Content-Disposition'] = `attachment; filename="${name.replace(/["\\]/g, '_')}"`;
    }
    const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
    let start = 0;
    let end = size - 1;
    if (range && (range[1] || range[2])) {
      start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
      end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
      if (start > end || start >= size) {
        res.writeHead(416, { 'Content-Range': `bytes */${size}` });
        res.end();
        return;
      }
      res.writeHead(206, {
        ...headers,
        'Content-Range': `bytes ${start}-${end}/${size}`,
        'Content-Length': end - start + 1,
      });
    } else {
      res.writeHead(200, { ...headers, 'Content-Length': size });
    }
    if (req.method === 'HEAD' || size === 0) {
      res.end();
      return;
    }
    const stream = createReadStream(listed.file, { start, end });
    stream.on('error', () => res.destroy());
    res.on('close', () => stream.destroy());
    stream.pipe(res);
  }

  private watch(server: TallyServer): void {
    this.serverTeardowns.push(
      server.registry.onStream((event) => {
        if (event.type === 'publish') {
          this.emit({ type: 'stream-up', stream: this.summary(event.source) });
        } else if (event.type === 'unpublish') {
          this.emit({
            type: 'stream-down',
            id: event.source.streamId,
            path: `/${event.source.key.app}/${event.source.key.stream}`,
          });
        }
      }),
      server.logRing.onEntry((entry) => this.emit({ type: 'log', line: toLogLine(entry) })),
    );
    this.healthTimer = setInterval(() => {
      this.emit({ type: 'health', health: this.health() });
      this.emit({ type: 'streams', streams: server.registry.list().map((s) => this.summary(s)) });
    }, HEALTH_INTERVAL_MS);
    this.healthTimer.unref();
  }

  private summary(source: StreamSource): StreamSummary {
    const now = this.now();
    const video = source.header('video') ? describeVideo(source.header('video')!.packet) : undefined;
    const audio = source.header('audio') ? describeAudio(source.header('audio')!.packet) : undefined;
    const rates = this.server?.traffic.rates(source.streamId) ?? { recvKbps: 0, sendKbps: 0 };
    const readers = source.readers();
    const rec = this.server?.dvr.state(source.key);
    return {
      id: source.streamId,
      app: source.key.app,
      name: source.key.stream,
      path: `/${source.key.app}/${source.key.stream}`,
      publisher: { cid: source.publisher.cid, protocol: source.publisher.protocol, ip: source.publisher.ip },
      publishing: source.isPublishing,
      video: video
        ? {
            codec: video.codec,
            profile: video.profile,
            level: video.level,
            width: video.width,
            height: video.height,
            fps: video.fps ?? estimateFps(source, now),
          }
        : null,
      audio: audio
        ? { codec: audio.codec, sampleRate: audio.sampleRate, channels: audio.channels, profile: audio.profile }
        : null,
      inKbps: rates.recvKbps,
      outKbps: rates.sendKbps,
      readers: readers.filter((r) => !isPreview(r)).length,
      uptimeMs: now - source.stats.publishedAt,
      framesDropped: source.stats.framesDropped + readers.reduce((n, r) => n + r.framesDropped, 0),
      gopMs: source.stats.gopMs,
      health: {
        fps: source.stats.fps,
        gopMs: source.stats.gopMs,
        gopFrames: source.stats.gopFrames,
        bFrames: source.stats.bFrames,
        avDriftMs: source.stats.avDriftMs,
        framesDropped: source.stats.framesDropped + readers.reduce((n, r) => n + r.framesDropped, 0),
        viewersByProtocol: viewersByProtocol(readers),
      },
      recording: rec
        ? {
            app: rec.app,
            stream: rec.stream,
            recording: rec.recording,
            file: rec.file,
            startedAt: rec.startedAt,
            bytes: rec.bytes,
            error: rec.error,
          }
        : null,
    };
  }

  private health(): Health {
    const server = this.server;
    const sample = server?.system.latest;
    let inKbps = 0;
    let outKbps = 0;
    let clients = 0;
    for (const s of server?.registry.list() ?? []) {
      const r = server?.traffic.rates(s.streamId) ?? { recvKbps: 0, sendKbps: 0 };
      inKbps += r.recvKbps;
      outKbps += r.sendKbps;
      clients += 1 + s.readers().filter((r) => !isPreview(r)).length;
    }
    return {
      time: this.now(),
      cpuPercent: sample?.selfCpuPercent ?? 0,
      systemCpuPercent: sample?.cpuPercent ?? 0,
      // Before the first sample, read our own memory directly rather than show 0.
      memoryMb: Math.round((sample?.sampledAt ? sample.selfMemKbyte : process.memoryUsage.rss() / 1024) / 1024),
      inKbps,
      outKbps,
      streams: server?.registry.list().length ?? 0,
      clients,
    };
  }

  private status(): ServerStatus {
    const server = this.server;
    return {
      state: this.state,
      error: this.lastError,
      startedAt: server?.startedAt,
      version: TALLY_VERSION,
      ports: {
        rtmp: server?.rtmp?.port ?? this.config.rtmp.port,
        http: server?.http?.port ?? this.config.http.port,
        api: this.apiHttp?.port ?? this.config.api.port,
        sip: server?.gb28181?.sipPort,
      },
      lanAddresses: lanAddresses(),
      recordAll: this.config.dvr.recordAll,
      recordingsDir: this.config.dvr.dir,
    };
  }

  private setState(state: ServerStatus['state']): void {
    this.state = state;
    this.emitStatus();
  }

  private emitStatus(): void {
    this.emit({ type: 'status', status: this.status() });
  }

  private emit(event: TallyEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

function toLogLine(entry: LogEntry): LogLine {
  return { time: entry.time, level: entry.level, cid: entry.cid, msg: entry.msg, fields: entry.fields };
}

/** Frame rate from counted frames when the bitstream does not signal it. */
function estimateFps(source: StreamSource, now: number): number | null {
  const seconds = (now - source.stats.publishedAt) / 1000;
  return seconds >= 2 ? Math.round(source.stats.videoFrames / seconds) : null;
}

function viewersByProtocol(readers: Reader[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of readers) if (!isPreview(r)) counts[r.info.protocol] = (counts[r.info.protocol] ?? 0) + 1;
  return counts;
}

/** The app's own preview (the session path marks it from `?tally_preview=1`); never counted as a viewer. */
function isPreview(reader: Reader): boolean {
  return reader.info.preview === true;
}

/** `values` with the dotted key set (objects along the path copied, never mutated). */
function withPath(values: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const [head, ...rest] = path;
  if (rest.length === 0) return { ...values, [head]: value };
  const child = values[head];
  const inner = child && typeof child === 'object' && !Array.isArray(child) ? (child as Record<string, unknown>) : {};
  return { ...values, [head]: withPath(inner, rest, value) };
}
