import type { DestinationStream, Logger } from 'pino';
import { ControlAdmission } from './control/access/control-admission.js';
import { IpRules } from './control/access/ip-rules.js';
import { RefusalCounter } from './control/access/refusal-counter.js';
import { tokenAuthorizer } from './control/api/api-auth.js';
import { ApiRouter } from './control/api/api-router.js';
import { registerDvrApi } from './control/api/dvr-api.js';
import { OriginPolicy } from './control/api/origin-policy.js';
import { registerSrsApi } from './control/api/srs-api.js';
import type { TallyConfig } from './control/config/schema.js';
import { HttpHooks } from './control/hooks/http-hooks.js';
import { createLogger } from './control/logging/create-logger.js';
import { LogRing } from './control/logging/log-ring.js';
import { FaultCounter } from './control/metrics/fault-counter.js';
import { PrometheusExporter } from './control/metrics/prometheus-exporter.js';
import { SystemSampler } from './control/system/system-sampler.js';
import { TrafficSampler } from './control/system/traffic-sampler.js';
import { newContextId } from './defs/context-id.js';
import { flvHeaderFor } from './formats/flv/flv-header-for.js';
import { flvTagFormat } from './formats/flv/from-packets.js';
import { tsFormatFor } from './formats/ts/from-packets.js';
import type { ConsumerFault } from './hub/consumer-fault.js';
import { StreamRegistry } from './hub/stream-registry.js';
import { DashOutput } from './outputs/dash/dash-output.js';
import { DvrOutput } from './outputs/dvr/dvr-output.js';
import { HlsOutput } from './outputs/hls/hls-output.js';
import { HttpServer } from './servers/http/http-server.js';
import { liveHttpRoute } from './servers/http/live-http-route.js';
import { mediaFileRoute } from './servers/http/media-file-route.js';

export const TALLY_VERSION = '0.1.0';

const STREAM_EVENT_LINES = {
  publish: 'stream published',
  idle: 'publisher left: stream waits for a new one (hub.publisherGraceMs)',
  resume: 'stream continued by a new publisher',
  unpublish: 'stream ended',
} as const;

import { wsFlvRoute } from './servers/http/ws-flv-route.js';
import { RtmpServer } from './servers/rtmp/rtmp-server.js';
import { SessionPath } from './servers/session/session-path.js';
import { SrtServer } from './servers/srt/srt-server.js';

export interface TallyServerOptions {
  config: TallyConfig;
  /** Where log lines go besides the in-memory ring (stdout when absent). */
  logDestination?: DestinationStream;
  /**
   * An API listener owned by the caller (the desktop app keeps its console listener up while the media server
   * stops and starts): the server mounts its API routes on it and removes them on close, never closing it.
   */
  apiHttp?: HttpServer;
  now?: () => number;
}

/**
 * The composition root: builds the hub and every listener from one config and wires them together.
 * Nothing else in server-core creates long-lived objects.
 */
export class TallyServer {
  readonly logger: Logger;
  readonly logRing: LogRing;
  readonly registry: StreamRegistry;
  /** The one path every listener opens publishers and readers through. */
  readonly sessions: SessionPath;
  rtmp?: RtmpServer;
  srt?: SrtServer;
  http?: HttpServer;
  hls?: HlsOutput;
  readonly dvr: DvrOutput;
  dash?: DashOutput;
  /** API and console listener (1985). */
  apiHttp?: HttpServer;
  readonly api: ApiRouter;
  /** Which web pages may use the API and console (Host and Origin checks, CORS). */
  readonly originPolicy: OriginPolicy;
  readonly system = new SystemSampler();
  readonly traffic: TrafficSampler;
  /** Identifies this server instance in API envelopes and callbacks (SRS `server`/`service`). */
  readonly serverId = `vid-${newContextId()}`;
  readonly serviceId = newContextId();
  readonly startedAt: number;
  readonly hooks: HttpHooks;
  private readonly admission: ControlAdmission;
  private config_: TallyConfig;
  /** Refused publish/play/connect attempts by kind, for metrics and the UI. */
  readonly refusals = new RefusalCounter();
  /** Consumers that failed and were ended while the server went on. */
  readonly faults = new FaultCounter();
  private readonly teardowns: Array<() => void | Promise<void>> = [];
  private started = false;
  private readonly now: () => number;
  private ownsApiHttp = false;
  private closing?: Promise<void>;

  constructor(options: TallyServerOptions) {
    this.config_ = options.config;
    const log = options.config.log;
    this.logRing = new LogRing(log.memoryLines);
    this.logger = createLogger({
      level: log.level,
      destination: options.logDestination,
      ring: this.logRing,
      file: log.file ? { path: log.file, maxBytes: log.fileMaxBytes, keep: log.fileKeep } : undefined,
    });
    const now = options.now ?? Date.now;
    this.now = now;
    this.startedAt = now();
    const hub = options.config.hub;
    this.registry = new StreamRegistry({
      gopCache: { enabled: hub.gopCache, maxBytes: hub.gopCacheMaxBytes, maxPackets: hub.gopCacheMaxPackets },
      readerLimits: {
        maxQueueBytes: hub.readerMaxQueueBytes,
        maxQueueMs: hub.readerMaxQueueMs,
        stuckTimeoutMs: hub.readerStuckTimeoutMs,
      },
      jitter: hub.timeJitter,
      mergeWindowMs: hub.mergeWindowMs,
      publisherGraceMs: hub.publisherGraceMs,
      now,
      reportFault: (fault) => this.reportFault(fault),
    });
    this.registry.onStream((event) => {
      const { source } = event;
      this.logger.info(
        {
          cid: source.publisher.cid,
          stream: `/${source.key.app}/${source.key.stream}`,
          proto: source.publisher.protocol,
        },
        STREAM_EVENT_LINES[event.type],
      );
    });
    this.traffic = new TrafficSampler(this.registry, now);
    const { security, hooks: hookConfig } = options.config;
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
    const admission = this.admission;
    const { rtmp, http, vhost, api } = options.config;
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
    this.sessions = new SessionPath(this.registry, admission);
    if (rtmp.enabled) {
      this.rtmp = new RtmpServer({ ...rtmp, vhost, sessions: this.sessions, admission, logger: this.logger, now });
    }
    if (options.config.srt.enabled) {
      this.srt = new SrtServer({ ...options.config.srt, vhost, sessions: this.sessions, logger: this.logger, now });
    }
    const { hls } = options.config;
    this.api.add('GET', '/api/v1/logs', ({ query }) => ({
      logs: this.logRing.query({
        cid: query.get('cid') ?? undefined,
        since: query.has('since') ? Number(query.get('since')) : undefined,
        level: query.get('level') ?? undefined,
        limit: query.has('limit') ? Number(query.get('limit')) : undefined,
      }),
    }));
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
          headersTimeoutMs: http.headersTimeoutMs,
          logger: this.logger,
        });
      this.teardowns.push(this.apiHttp.addRoute(this.api.route));
      const exporter = new PrometheusExporter({
        registry: this.registry,
        system: this.system,
        traffic: this.traffic,
        refusals: this.refusals,
        faults: this.faults,
        authorize: (req) => !this.originPolicy.refusal(req, 'read') && authorize(req),
        version: TALLY_VERSION,
        startedAt: this.startedAt,
        now,
      });
      this.teardowns.push(this.apiHttp.addRoute(exporter.route));
    }
    if (hls.enabled) {
      this.hls = new HlsOutput({
        registry: this.registry,
        vhost,
        fragmentMs: hls.fragment * 1000,
        windowMs: hls.window * 1000,
        disposeMs: hls.dispose * 1000,
        path: hls.path || undefined,
        logger: this.logger.child({ out: 'hls' }),
        now,
        onSegment: (key, segment) => {
          if (!this.hooks.has('on_hls')) return;
          const source = this.registry.find(key);
          const url = `/${key.app}/${segment.name}`;
          this.hooks.notify(
            'on_hls',
            {
              cid: source?.publisher.cid ?? '',
              ip: source?.publisher.ip ?? '',
              protocol: source?.publisher.protocol ?? '',
              vhost: key.vhost,
              app: key.app,
              stream: key.stream,
              param: source?.publisher.query ?? '',
              tcUrl: source?.publisher.tcUrl ?? '',
            },
            {
              duration: segment.durationMs / 1000,
              cwd: process.cwd(),
              file: hls.path ? `${hls.path}/${key.app}/${segment.name}` : '',
              url,
              m3u8: hls.path ? `${hls.path}/${key.app}/${key.stream}.m3u8` : '',
              m3u8_url: `/${key.app}/${key.stream}.m3u8`,
              seq_no: segment.sequence,
            },
          );
        },
      });
    }
    const { dash } = options.config;
    if (dash.enabled) {
      this.dash = new DashOutput({
        registry: this.registry,
        vhost,
        fragmentMs: dash.fragment * 1000,
        windowMs: dash.window * 1000,
        disposeMs: dash.dispose * 1000,
        now,
      });
    }
    const { dvr } = options.config;
    this.dvr = new DvrOutput({
      registry: this.registry,
      vhost,
      dir: dvr.dir,
      pathTemplate: dvr.pathTemplate,
      format: dvr.format,
      plan: dvr.plan,
      segmentMs: dvr.segment * 1000,
      recordAll: dvr.recordAll,
      minFreeBytes: dvr.minFreeMb * 1024 * 1024,
      logger: this.logger.child({ out: 'dvr' }),
      now,
      onFileClosed: (file) => {
        const source = this.registry.find({ vhost, app: file.app, stream: file.stream });
        this.hooks.notify(
          'on_dvr',
          {
            cid: source?.publisher.cid ?? '',
            ip: source?.publisher.ip ?? '',
            protocol: source?.publisher.protocol ?? '',
            vhost,
            app: file.app,
            stream: file.stream,
            param: source?.publisher.query ?? '',
            tcUrl: source?.publisher.tcUrl ?? '',
          },
          { cwd: process.cwd(), file: file.file, duration: file.durationMs / 1000, size: file.size },
        );
      },
    });
    registerDvrApi(this.api, this.dvr);
    if (http.enabled) {
      this.http = new HttpServer({ ...http, logger: this.logger });
      const live = { sessions: this.sessions, vhost, cors: http.cors, logger: this.logger };
      const files = [this.hls, this.dash].filter((p) => p !== undefined);
      this.http.addRoute(mediaFileRoute(files, http.cors));
      this.http.addRoute(
        liveHttpRoute({
          ...live,
          extension: 'flv',
          protocol: 'http-flv',
          contentType: 'video/x-flv',
          format: () => flvTagFormat,
          preamble: flvHeaderFor,
        }),
      );
      this.http.addRoute(
        liveHttpRoute({
          ...live,
          extension: 'ts',
          protocol: 'http-ts',
          contentType: 'video/mp2t',
          format: tsFormatFor,
        }),
      );
      const wsFlv = wsFlvRoute({ sessions: this.sessions, vhost, logger: this.logger });
      this.http.addUpgrade(wsFlv.route);
      this.teardowns.push(wsFlv.close);
    }
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
      this.hls?.start();
      this.dvr.start();
      this.dash?.start();
      this.system.start();
      this.traffic.start();
      await this.rtmp?.start();
      await this.srt?.start();
      await this.http?.start();
      if (this.ownsApiHttp) await this.apiHttp?.start();
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  /**
   * Applies a changed config without dropping what it does not touch: hooks, access rules, limits, log level and
   * output settings change in place; a listener whose address or options changed is restarted (its own
   * connections end). Returns what changed, or `restart` when only a full restart can apply it (vhost).
   */
  async reconfigure(next: TallyConfig): Promise<string[]> {
    const prev = this.config_;
    const changed = (key: keyof TallyConfig) => JSON.stringify(prev[key]) !== JSON.stringify(next[key]);
    const done: string[] = [];
    if (changed('vhost')) return ['restart'];
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
    if (changed('hub')) {
      const hub = next.hub;
      this.registry.configure({
        gopCache: { enabled: hub.gopCache, maxBytes: hub.gopCacheMaxBytes, maxPackets: hub.gopCacheMaxPackets },
        readerLimits: {
          maxQueueBytes: hub.readerMaxQueueBytes,
          maxQueueMs: hub.readerMaxQueueMs,
          stuckTimeoutMs: hub.readerStuckTimeoutMs,
        },
        mergeWindowMs: hub.mergeWindowMs,
        publisherGraceMs: hub.publisherGraceMs,
      });
      done.push('hub');
    }
    if (changed('hls') && this.hls && next.hls.enabled) {
      this.hls.configure({
        fragmentMs: next.hls.fragment * 1000,
        windowMs: next.hls.window * 1000,
        disposeMs: next.hls.dispose * 1000,
      });
      done.push('hls');
    }
    if (changed('dash') && this.dash && next.dash.enabled) {
      this.dash.configure({
        fragmentMs: next.dash.fragment * 1000,
        windowMs: next.dash.window * 1000,
        disposeMs: next.dash.dispose * 1000,
      });
      done.push('dash');
    }
    if (changed('dvr')) {
      const d = next.dvr;
      this.dvr.configure({
        dir: d.dir,
        pathTemplate: d.pathTemplate,
        format: d.format,
        plan: d.plan,
        segmentMs: d.segment * 1000,
        minFreeBytes: d.minFreeMb * 1024 * 1024,
        recordAll: d.recordAll,
      });
      done.push('dvr');
    }
    const structural =
      (changed('hls') && (!this.hls || !next.hls.enabled)) ||
      (changed('dash') && (!this.dash || !next.dash.enabled)) ||
      prev.rtmp.enabled !== next.rtmp.enabled ||
      changed('srt') ||
      prev.http.enabled !== next.http.enabled;
    if (structural) return ['restart'];
    if (changed('rtmp') && this.rtmp) {
      await this.rtmp.close();
      this.rtmp = new RtmpServer({
        ...next.rtmp,
        vhost: next.vhost,
        sessions: this.sessions,
        admission: this.admission,
        logger: this.logger,
        now: this.now,
      });
      await this.rtmp.start();
      done.push('rtmp');
    }
    if (changed('http') && this.http) {
      await this.http.rebind(next.http.host, next.http.port);
      done.push('http');
    }
    if (changed('api') && this.ownsApiHttp && this.apiHttp) {
      await this.apiHttp.rebind(next.api.host, next.api.port);
      done.push('api');
    }
    this.config_ = next;
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
    this.system.close();
    this.traffic.close();
    await Promise.all([
      this.rtmp?.close(),
      this.srt?.close(),
      this.http?.close(),
      this.ownsApiHttp ? this.apiHttp?.close() : undefined,
    ]);
    await this.hls?.close();
    await this.dvr.close();
    this.dash?.close();
    for (const teardown of this.teardowns) await teardown();
  }
}
