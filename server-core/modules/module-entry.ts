import type { Logger } from 'pino';
import type { ControlAdmission } from '../control/access/control-admission.js';
import type { ApiRouter } from '../control/api/api-router.js';
import type { ClientStatsProviders } from '../control/api/client-stats.js';
import type { TallyConfig } from '../control/config/schema.js';
import type { HttpHooks } from '../control/hooks/http-hooks.js';
import type { MediaFileProvider } from '../defs/media-file.js';
import type { StreamRegistry } from '../hub/stream-registry.js';
import type { FfmpegJobs } from '../jobs/index.js';
import type { HttpRoute } from '../servers/http/http-route.js';
import type { SessionPath } from '../servers/session/session-path.js';

/** One URL a listener or output serves for a stream: to play it, or to publish it. */
export interface StreamUrl {
  /** `rtmp`, `http-flv`, `ws-flv`, `http-ts`, `hls`, `dash`, `srt`. */
  protocol: string;
  label: string;
  url: string;
  direction: 'play' | 'publish';
}

/** The stream a module is asked to name URLs for, and how to reach this machine. */
export interface UrlTarget {
  app: string;
  stream: string;
  /** The address others use for a listener bound to `bindHost` (loopback stays loopback, any → a LAN address). */
  host(bindHost: string): string;
  /** Ports the running listeners bound (they may differ from the config's, e.g. port 0). */
  ports: { rtmp?: number; rtmps?: number; http?: number; srt?: number; api?: number };
}

/** `:port`, or nothing for the protocol's standard port. */
export function portSuffix(value: number, standard: number): string {
  return value === standard ? '' : `:${value}`;
}

/** What a running module did with a new config. */
export type ReconfigureResult = 'unchanged' | 'applied' | 'restart';

export interface Lifecycle {
  start(): void | Promise<void>;
  close(): void | Promise<void>;
}

/** The shared pieces every module is built from (made once by the composition root). */
export interface ModuleContext {
  logger: Logger;
  registry: StreamRegistry;
  sessions: SessionPath;
  admission: ControlAdmission;
  hooks: HttpHooks;
  api: ApiRouter;
  /** Where a listener registers the protocol detail of its clients for `/api/v1/clients`. */
  clientStats: ClientStatsProviders;
  now: () => number;
  /** Every ffmpeg job of the server (transcodes, restreams): found once, listed in the API, stopped on close. */
  jobs: FfmpegJobs;
  /** The app's data folder (beside its settings), for what the server makes once and keeps; undefined: none. */
  dataDir?: string;
  /** The WebRTC send worker's script when the server is bundled (see TallyServerOptions). */
  rtcSendWorkerScript?: string;
  /** `rtmp://127.0.0.1:port` of the running RTMP listener, for jobs that read or publish on it; undefined if off. */
  loopbackRtmp: () => string | undefined;
  /** The rendition stream names of a stream's live ABR ladder (the HLS output serves a master playlist then). */
  renditionsOf: (app: string, stream: string) => readonly string[] | undefined;
  /** Routes other modules serve on the media listener too (WebRTC signalling), asked at each request. */
  mediaRoutes: () => readonly HttpRoute[];
  /** The HLS/DASH file providers running now (the media listener asks at each request). */
  mediaFiles: () => readonly MediaFileProvider[];
}

/**
 * One listener or output as a row of the composition table: whether the config wants it, how to build it, and
 * how a running one takes a new config (in place, or a rebuild of this module alone). Adding a listener is
 * one entry in modules/index.ts.
 */
export interface ModuleEntry<T extends Lifecycle = Lifecycle> {
  readonly name: string;
  enabled(config: TallyConfig): boolean;
  create(config: TallyConfig, ctx: ModuleContext): T;
  reconfigure(instance: T, next: TallyConfig, prev: TallyConfig): ReconfigureResult | Promise<ReconfigureResult>;
  /** The URLs this module serves for a stream (asked only while it is enabled). */
  urls?(config: TallyConfig, target: UrlTarget): StreamUrl[];
}

/** Whether the JSON of a config section differs. */
export function sectionChanged<K extends keyof TallyConfig>(next: TallyConfig, prev: TallyConfig, key: K): boolean {
  return JSON.stringify(next[key]) !== JSON.stringify(prev[key]);
}

/** The running modules of one server, in table order (started in order, closed in reverse). */
export class ModuleSet {
  private readonly running = new Map<string, Lifecycle>();

  constructor(
    private readonly entries: readonly ModuleEntry[],
    private readonly ctx: ModuleContext,
  ) {}

  /** Builds what the config enables (nothing is started yet). */
  build(config: TallyConfig): void {
    for (const entry of this.entries) {
      if (entry.enabled(config)) this.running.set(entry.name, entry.create(config, this.ctx));
    }
  }

  get<T extends Lifecycle>(entry: ModuleEntry<T>): T | undefined {
    return this.running.get(entry.name) as T | undefined;
  }

  async start(): Promise<void> {
    for (const entry of this.entries) await this.running.get(entry.name)?.start();
  }

  async close(): Promise<void> {
    for (const entry of [...this.entries].reverse()) await this.running.get(entry.name)?.close();
  }

  /** Applies a new config module by module; returns the names of modules that changed (applied or rebuilt). */
  async reconfigure(next: TallyConfig, prev: TallyConfig): Promise<string[]> {
    const changed: string[] = [];
    for (const entry of this.entries) {
      const instance = this.running.get(entry.name);
      const wanted = entry.enabled(next);
      if (!instance && !wanted) continue;
      if (instance && !wanted) {
        await instance.close();
        this.running.delete(entry.name);
        changed.push(entry.name);
        continue;
      }
      if (!instance) {
        await this.launch(entry, next);
        changed.push(entry.name);
        continue;
      }
      const result = await entry.reconfigure(instance, next, prev);
      if (result === 'unchanged') continue;
      if (result === 'restart') {
        await instance.close();
        this.running.delete(entry.name);
        await this.launch(entry, next);
      }
      changed.push(entry.name);
    }
    return changed;
  }

  private async launch(entry: ModuleEntry, config: TallyConfig): Promise<void> {
    const created = entry.create(config, this.ctx);
    await created.start();
    this.running.set(entry.name, created);
  }
}
