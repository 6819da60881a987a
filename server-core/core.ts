import type { DestinationStream, Logger } from 'pino';
import { ControlAdmission } from './control/access/control-admission.js';
import { IpRules } from './control/access/ip-rules.js';
import { RefusalCounter } from './control/access/refusal-counter.js';
import { tokenAuthorizer } from './control/api/api-auth.js';
import { ApiRouter } from './control/api/api-router.js';
import { ClientStatsProviders } from './control/api/client-stats.js';
import { registerDvrApi } from './control/api/dvr-api.js';
import { registerJobsApi } from './control/api/jobs-api.js';
import { registerLogsApi } from './control/api/logs-api.js';
import { OriginPolicy } from './control/api/origin-policy.js';
import { registerRestreamApi } from './control/api/restream-api.js';
import { registerSrsApi } from './control/api/srs-api.js';
import { registerTranscodeApi } from './control/api/transcode-api.js';
import type { TallyConfig } from './control/config/schema.js';
import { HttpHooks } from './control/hooks/http-hooks.js';
import { createLogger } from './control/logging/create-logger.js';
import { LogRing } from './control/logging/log-ring.js';
import { FaultCounter } from './control/metrics/fault-counter.js';
import { PrometheusExporter } from './control/metrics/prometheus-exporter.js';
import { SystemSampler } from './control/system/system-sampler.js';
import { TrafficSampler } from './control/system/traffic-sampler.js';
import { newContextId } from './defs/context-id.js';
import type { MediaFileProvider } from './defs/media-file.js';
import type { ConsumerFault } from './hub/consumer-fault.js';
import { StreamRegistry } from './hub/stream-registry.js';
import type { SourceOptions } from './hub/stream-source.js';
import { FfmpegJobs } from './jobs/index.js';
import {
  dashModule,
  dvrModule,
  edgeModule,
  forwardModule,
  gb28181Module,
  hlsModule,
  httpMediaModule,
  llHlsModule,
  MODULES,
  rtcModule,
  rtmpModule,
  rtmpsModule,
  srtModule,
  thumbnailsModule,
  transcodeModule,
  udpTsModule,
  virtualLiveModule,
} from './modules/index.js';
import { ModuleSet } from './modules/module-entry.js';

/** Each listener and output names the URLs it serves (the composition table is their one source). */
export type { StreamUrl, UrlTarget } from './modules/module-entry.js';
export { streamUrls } from './modules/stream-urls.js';

import type { DashOutput } from './outputs/dash/dash-output.js';
import type { DvrOutput } from './outputs/dvr/dvr-output.js';
import type { ForwardOutput } from './outputs/forward/forward-output.js';
import type { HlsOutput } from './outputs/hls/hls-output.js';
import type { LlHlsOutput } from './outputs/hls/ll-hls-output.js';
import type { Gb28181Server } from './servers/gb28181/gb28181-server.js';
import { HttpServer } from './servers/http/http-server.js';
import type { RtcServer } from './servers/rtc/rtc-server.js';
import type { RtmpServer } from './servers/rtmp/rtmp-server.js';
import { SessionPath } from './servers/session/session-path.js';
import type { SrtServer } from './servers/srt/srt-server.js';
import type { UdpTsServer } from './servers/udp-ts/udp-ts-server.js';
import type { AbrTranscoder } from './transcode/abr-transcoder.js';
import { loopbackHost } from './transcode/loopback-url.js';
import type { Thumbnails } from './transcode/thumbnails.js';
import type { VirtualLive } from './transcode/virtual-live.js';

export const TALLY_VERSION = '0.1.0';

const STREAM_EVENT_LINES = {
  publish: 'stream published',
  idle: 'publisher left: stream waits for a new one (hub.publisherGraceMs)',
  resume: 'stream continued by a new publisher',
  unpublish: 'stream ended',
} as const;

export interface TallyServerOptions {
  config: TallyConfig;
  /** Where log lines go besides the in-memory ring (stdout when absent). */
  logDestination?: DestinationStream;
  /** The in-memory log (the desktop app keeps one across server restarts, with its own listener's lines in it). */
  logRing?: LogRing;
  /**
   * An API listener owned by the caller (the desktop app keeps its console listener up while the media server
   * stops and starts): the server mounts its API routes on it and removes them on close, never closing it.
   */
  apiHttp?: HttpServer;
  /** Folders that may hold an ffmpeg shipped with the app (tried after `ffmpeg.path`, before the PATH). */
  ffmpegDirs?: readonly string[];
  now?: () => number;
  /** The app's data folder (beside its settings): the generated RTMPS certificate is kept there. */
  dataDir?: string;
  /** The WebRTC send worker's script where the server is bundled (the desktop app); default: beside its module. */
  rtcSendWorkerScript?: string;
}

function hubLimits(
  hub: TallyConfig['hub'],
): Pick<SourceOptions, 'gopCache' | 'readerLimits' | 'mergeWindowMs' | 'publisherGraceMs' | 'publisherTakeoverMs'> {
  return {
    gopCache: { enabled: hub.gopCache, maxBytes: hub.gopCacheMaxBytes, maxPackets: hub.gopCacheMaxPackets },
    readerLimits: {
      maxQueueBytes: hub.readerMaxQueueBytes,
      maxQueueMs: hub.readerMaxQueueMs,
      stuckTimeoutMs: hub.readerStuckTimeoutMs,
    },
    mergeWindowMs: hub.mergeWindowMs,
    publisherGraceMs: hub.publisherGraceMs,
    publisherTakeoverMs: hub.publisherTakeoverMs,
  };
}

/**
 * The composition root: builds the hub and the control plane, then every listener and output from the module
 * table (modules/index.ts), and applies config changes module by module. Nothing else in server-core creates
 * long-lived objects.
 */
export class TallyServer {
  readonly logger: Logger;
  readonly logRing: LogRing;
  readonly registry: StreamRegistry;
  /** The one path every listener opens publishers and readers through. */
  readonly sessions: SessionPath;
  /** API and console listener (1985). */
  apiHttp?: HttpServer;
  readonly api: ApiRouter;
  /** Which web pages may use the API and console (Host and Origin checks, CORS). */
  readonly originPolicy: OriginPolicy;
  readonly system = new SystemSampler();
  /** Protocol detail of clients for /api/v1/clients, registered by the listeners (the `srt` object). */
  readonly clientStats = new ClientStatsProviders();
  readonly traffic: TrafficSampler;
  /** Identifies this server instance in API envelopes and callbacks (SRS `server`/`service`). */
  readonly serverId = `vid-${newContextId()}`;
  readonly serviceId = newContextId();
  readonly startedAt: number;
  readonly hooks: HttpHooks;
  /** Refused publish/play/connect attempts by kind, for metrics and the UI. */
  readonly refusals = new RefusalCounter();
  /** Consumers that failed and were ended while the server went on. */
  readonly faults = new FaultCounter();
  /** Every ffmpeg job (audio transcodes, restreams...). */
  readonly jobs: FfmpegJobs;
  private readonly ffmpegDirs?: readonly string[];
  private readonly admission: ControlAdmission;
  private readonly modules: ModuleSet;
  private config_: TallyConfig;
  private readonly teardowns: Array<() => void | Promise<void>> = [];
  private started = false;
  private readonly now: () => number;
  private ownsApiHttp = false;
  private closing?: Promise<void>;

  constructor(options: TallyServerOptions) {
    const config = options.config;
    this.config_ = config;
    const log = config.log;
    this.logRing = options.logRing ?? new LogRing(log.memoryLines);
    this.logger = createLogger({
      level: log.level,
      destination: options.logDestination,
      ring: this.logRing,
      file: log.file ? { path: log.file, maxBytes: log.fileMaxBytes, keep: log.fileKeep } : undefined,
    });
    const now = options.now ?? Date.now;
    this.now = now;
    this.startedAt = now();
    this.registry = new StreamRegistry({
      ...hubLimits(config.hub),
      jitter: config.hub.timeJitter,
      now,
      reportFault: (fault) => this.reportFault(fault),
    });
    this.registry.onStream(({ type, source }) => {
      const stream = `/${source.key.app}/${source.key.stream}`;
      this.logger.info(
        { cid: source.publisher.cid, stream, proto: source.publisher.protocol },
        STREAM_EVENT_LINES[type],
      );
    });
    this.traffic = new TrafficSampler(this.registry, now);
    const { security, hooks: hookConfig, vhost, api, hls } = config;
    this.hooks = new HttpHooks({
      urls: hookConfig,
      timeoutMs: hookConfig.timeoutMs,
      retries: hookConfig.retries,
      serverId: this.serverId,
      serviceId: this.serviceId,
      logger: this.logger,
    });
    this.admission = new ControlAdmission({
      ipRules: new IpRules(security.ipRules),
      publishSecret: security.publishSecret,
      refererHosts: security.refererHosts,
      hooks: this.hooks,
      logger: this.logger,
      onRefused: (action, protocol, kind) => this.refusals.record(action, protocol, kind),
    });
    this.sessions = new SessionPath(this.registry, this.admission);
    const authorize = tokenAuthorizer(() => this.config_.api.token);
    this.originPolicy = new OriginPolicy({
      corsOrigins: () => this.config_.api.corsOrigins,
      allowedHosts: () => this.config_.api.allowedHosts,
      tokenRequired: () => this.config_.api.token !== '',
    });
    this.api = new ApiRouter(() => ({ server: this.serverId, service: this.serviceId, pid: String(process.pid) }), {
      policy: this.originPolicy,
      authorize,
    });
    registerLogsApi(this.api, this.logRing);
    this.ffmpegDirs = options.ffmpegDirs;
    this.jobs = new FfmpegJobs(
      { configuredPath: config.ffmpeg.path || undefined, bundledDirs: options.ffmpegDirs },
      this.logger,
    );
    registerJobsApi(this.api, () => this.jobs.list());
    registerSrsApi(this.api, {
      registry: this.registry,
      vhost,
      vhostId: 'vid-default',
      version: TALLY_VERSION,
      startedAt: this.startedAt,
      system: this.system,
      traffic: this.traffic,
      now,
      hls: { enabled: hls.enabled, fragment: hls.fragment, window: hls.window },
      clientStats: this.clientStats,
    });
    this.modules = new ModuleSet(MODULES, {
      logger: this.logger,
      registry: this.registry,
      sessions: this.sessions,
      admission: this.admission,
      hooks: this.hooks,
      api: this.api,
      clientStats: this.clientStats,
      jobs: this.jobs,
      now,
      dataDir: options.dataDir,
      rtcSendWorkerScript: options.rtcSendWorkerScript,
      mediaFiles: () => this.mediaFiles,
      mediaRoutes: () => (this.rtc ? [this.rtc.route] : []),
      loopbackRtmp: () => {
        const port = this.rtmp?.port;
        return port ? `rtmp://${loopbackHost(this.config_.rtmp.host)}:${port}` : undefined;
      },
      renditionsOf: (app, stream) => this.modules.get(transcodeModule)?.renditionsOf(app, stream),
    });
    this.modules.build(config);
    registerTranscodeApi(this.api, this.registry, {
      virtualLive: () => this.modules.get(virtualLiveModule)?.list() ?? [],
      startVirtualLive: async (name) => this.modules.get(virtualLiveModule)?.startSource(name),
      stopVirtualLive: (name) => this.modules.get(virtualLiveModule)?.stopSource(name) ?? false,
      ladders: () => this.modules.get(transcodeModule)?.list() ?? [],
      profiles: () => ({ profiles: this.config_.transcode.profiles, streams: this.config_.transcode.streams }),
      thumbnail: (app, stream) =>
        this.modules.get(thumbnailsModule)?.snapshot({ vhost: this.config_.vhost, app, stream }),
    });
    registerDvrApi(this.api, {
      setRecording: (app, stream, enabled) => this.dvr.setRecording(app, stream, enabled),
      recordings: () => this.dvr.recordings(),
      states: () => this.dvr.states(),
    });
    registerRestreamApi(this.api, {
      forward: () => this.forward.views(),
      edge: () => {
        const edge = this.modules.get(edgeModule);
        return edge && { origin: edge.puller.origin, pulls: edge.puller.statuses() };
      },
    });
    if (options.apiHttp || api.enabled) {
      this.ownsApiHttp = !options.apiHttp;
      this.apiHttp =
        options.apiHttp ??
        new HttpServer({
          host: api.host,
          port: api.port,
          // Preflights on the private listener are the origin policy's to answer, not a blanket `*`.
          cors: false,
          headersTimeoutMs: config.http.headersTimeoutMs,
          logger: this.logger,
        });
      this.teardowns.push(this.apiHttp.addRoute(this.api.route));
      const exporter = new PrometheusExporter({
        registry: this.registry,
        system: this.system,
        traffic: this.traffic,
        refusals: this.refusals,
        faults: this.faults,
        udpListeners: () => {
          const rtc = this.rtc?.rtcTransport?.udpStats;
          return rtc ? [{ listener: 'rtc', counters: rtc }] : [];
        },
        authorize: (req) => !this.originPolicy.refusal(req, 'read') && authorize(req),
        version: TALLY_VERSION,
        startedAt: this.startedAt,
        now,
      });
      this.teardowns.push(this.apiHttp.addRoute(exporter.route));
    }
  }

  get rtmp(): RtmpServer | undefined {
    return this.modules.get(rtmpModule);
  }

  /** The RTMPS listener (rtmp.tlsEnabled). */
  get rtmps(): RtmpServer | undefined {
    return this.modules.get(rtmpsModule);
  }

  get srt(): SrtServer | undefined {
    return this.modules.get(srtModule);
  }

  get rtc(): RtcServer | undefined {
    return this.modules.get(rtcModule)?.server;
  }

  get gb28181(): Gb28181Server | undefined {
    return this.modules.get(gb28181Module)?.server;
  }

  get udpTs(): UdpTsServer | undefined {
    return this.modules.get(udpTsModule);
  }

  /** The media listener (8080). */
  get http(): HttpServer | undefined {
    return this.modules.get(httpMediaModule)?.server;
  }

  get hls(): HlsOutput | undefined {
    return this.modules.get(hlsModule);
  }

  /** HLS over fMP4 with low-latency parts (`/{app}/{stream}/index.m3u8`). */
  get llHls(): LlHlsOutput | undefined {
    return this.modules.get(llHlsModule);
  }

  get dash(): DashOutput | undefined {
    return this.modules.get(dashModule);
  }

  get dvr(): DvrOutput {
    const dvr = this.modules.get(dvrModule);
    if (!dvr) throw new Error('the DVR module is always built');
    return dvr;
  }

  /** Multistream forwarding (always built; idle without destinations). */
  get forward(): ForwardOutput {
    const forward = this.modules.get(forwardModule);
    if (!forward) throw new Error('the forward module is always built');
    return forward;
  }

  /** Files and URLs turned into live streams. */
  get virtualLive(): VirtualLive | undefined {
    return this.modules.get(virtualLiveModule);
  }

  /** The ABR ladders of streams with a transcode profile. */
  get transcode(): AbrTranscoder | undefined {
    return this.modules.get(transcodeModule);
  }

  /** Stream snapshots (undefined while thumbnails.enabled is off). */
  get thumbnails(): Thumbnails | undefined {
    return this.modules.get(thumbnailsModule);
  }

  /** The HLS, LL-HLS and DASH file providers running now. */
  get mediaFiles(): MediaFileProvider[] {
    const providers: (MediaFileProvider | undefined)[] = [this.hls, this.llHls, this.dash];
    return providers.filter((p): p is MediaFileProvider => p !== undefined);
  }

  /** A consumer failed: one line with who and why, a counter; the stream and the server go on. */
  reportFault(fault: ConsumerFault): void {
    this.faults.record(fault, this.now());
    this.logger.error(
      {
        kind: fault.kind,
        stream: fault.stream,
        consumer: fault.consumer,
        action: fault.action,
        err: fault.error.message,
        stack: fault.error.stack?.split('\n').slice(1, 4).join(' | '),
      },
      `consumer fault: ${fault.consumer} ${fault.action}`,
    );
  }

  /** The config in force (changes with reconfigure). */
  get config(): TallyConfig {
    return this.config_;
  }

  /** Binds every enabled listener; on failure closes what did start and rethrows (never half-started). */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    try {
      this.system.start();
      this.traffic.start();
      await this.modules.start();
      if (this.ownsApiHttp) await this.apiHttp?.start();
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  /**
   * Applies a changed config without dropping what it does not touch: hooks, access rules, limits and log level
   * change in place; each module applies its section in place or rebuilds itself alone (its own connections
   * end). Returns what changed, or `restart` when only a full restart can apply it (vhost).
   */
  async reconfigure(next: TallyConfig): Promise<string[]> {
    const prev = this.config_;
    const changed = (key: keyof TallyConfig) => JSON.stringify(prev[key]) !== JSON.stringify(next[key]);
    if (changed('vhost')) return ['restart'];
    const done: string[] = [];
    if (changed('log')) {
      this.logger.level = next.log.level;
      done.push('log');
    }
    if (changed('hooks')) {
      this.hooks.update({ urls: next.hooks, timeoutMs: next.hooks.timeoutMs, retries: next.hooks.retries });
      done.push('hooks');
    }
    if (changed('security')) {
      this.admission.update({
        ipRules: new IpRules(next.security.ipRules),
        publishSecret: next.security.publishSecret,
        refererHosts: next.security.refererHosts,
      });
      done.push('security');
    }
    if (changed('ffmpeg')) {
      this.jobs.configure({ configuredPath: next.ffmpeg.path || undefined, bundledDirs: this.ffmpegDirs });
      done.push('ffmpeg');
    }
    if (changed('hub')) {
      this.registry.configure(hubLimits(next.hub));
      done.push('hub');
    }
    // The token and origin checks read the config on every request: in force from here on.
    this.config_ = next;
    done.push(...(await this.modules.reconfigure(next, prev)));
    if (changed('api') && this.ownsApiHttp && this.apiHttp) {
      await this.apiHttp.rebind(next.api.host, next.api.port);
      done.push('api');
    }
    this.logger.info({ applied: done }, 'configuration reloaded');
    return done;
  }

  /** Ends every session and closes the listeners. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  private async closeOnce(): Promise<void> {
    this.registry.close();
    this.jobs.close();
    this.system.close();
    this.traffic.close();
    await Promise.all([this.modules.close(), this.ownsApiHttp ? this.apiHttp?.close() : undefined]);
    for (const teardown of this.teardowns) await teardown();
  }
}
