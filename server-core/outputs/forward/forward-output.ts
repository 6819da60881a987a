import type { Logger } from 'pino';
import type { StreamRegistry } from '../../hub/stream-registry.js';
import type { StreamSource } from '../../hub/stream-source.js';
import { destinationWants, type ForwardDestination, forwardTarget } from './destination-target.js';
import { Forwarder, type ForwardSettings, type ForwardStatus } from './forwarder.js';

export interface ForwardOutputOptions extends ForwardSettings {
  registry: StreamRegistry;
  destinations: ForwardDestination[];
  logger: Logger;
  now: () => number;
  /** How often each push's bitrate is sampled. */
  bitrateIntervalMs?: number;
}

/** A destination as the API lists it: the configuration (key masked) and one status per stream sent there. */
export interface ForwardDestinationView {
  name: string;
  url: string;
  hasKey: boolean;
  streams: string[];
  enabled: boolean;
  supported: boolean;
  pushes: ForwardStatus[];
}

/**
 * Multistream (SRS forward, Oryx's multi-platform streaming): every live stream a destination wants is pushed
 * there, one Forwarder per stream and destination, started on publish and stopped when the stream ends.
 */
export class ForwardOutput {
  /** Forwarders by stream id, then destination name. */
  private readonly pushes = new Map<string, Map<string, Forwarder>>();
  private destinations: ForwardDestination[];
  private settings: ForwardSettings;
  private unsubscribe?: () => void;
  private timer?: NodeJS.Timeout;

  constructor(private readonly options: ForwardOutputOptions) {
    this.destinations = options.destinations;
    this.settings = pickSettings(options);
  }

  start(): void {
    this.unsubscribe = this.options.registry.onStream((event) => {
      if (event.type === 'publish') this.attach(event.source);
      if (event.type === 'unpublish') this.detach(event.source.id, 'stream ended');
    });
    for (const source of this.options.registry.list()) this.attach(source);
    this.timer = setInterval(() => {
      for (const byName of this.pushes.values()) for (const push of byName.values()) push.sampleBitrate();
    }, this.options.bitrateIntervalMs ?? 2000);
    this.timer.unref();
  }

  /**
   * New destinations or settings (a config reload): pushes whose destination is unchanged go on; removed or
   * changed ones stop; new ones start for every live stream they want.
   */
  configure(destinations: ForwardDestination[], settings: ForwardSettings): void {
    const before = new Map(this.destinations.map((d) => [d.name, JSON.stringify(d)]));
    const settingsChanged = JSON.stringify(settings) !== JSON.stringify(this.settings);
    this.destinations = destinations;
    this.settings = settings;
    const kept = new Set(
      destinations.filter((d) => !settingsChanged && before.get(d.name) === JSON.stringify(d)).map((d) => d.name),
    );
    for (const [id, byName] of this.pushes) {
      for (const [name, push] of byName) {
        if (kept.has(name)) continue;
        push.stop('destination changed');
        byName.delete(name);
      }
      if (byName.size === 0) this.pushes.delete(id);
    }
    for (const source of this.options.registry.list()) this.attach(source);
  }

  /** Every configured destination with the pushes going there now. */
  views(): ForwardDestinationView[] {
    const statuses = [...this.pushes.values()].flatMap((byName) => [...byName.values()].map((p) => p.status()));
    return this.destinations.map((d) => ({
      name: d.name,
      url: forwardTarget(d, '{app}', '{stream}').shownUrl,
      hasKey: d.key !== '',
      streams: d.streams,
      enabled: d.enabled,
      supported: forwardTarget(d, 'app', 'stream').supported,
      pushes: statuses.filter((s) => s.destination === d.name),
    }));
  }

  close(): void {
    this.unsubscribe?.();
    clearInterval(this.timer);
    for (const id of [...this.pushes.keys()]) this.detach(id, 'server closing');
  }

  private attach(source: StreamSource): void {
    const { app, stream } = source.key;
    let byName = this.pushes.get(source.id);
    for (const destination of this.destinations) {
      if (!destinationWants(destination, app, stream) || byName?.has(destination.name)) continue;
      if (!byName) {
        byName = new Map();
        this.pushes.set(source.id, byName);
      }
      const push = new Forwarder({
        source,
        destination: destination.name,
        target: forwardTarget(destination, app, stream),
        settings: this.settings,
        logger: this.options.logger.child({ stream: `/${app}/${stream}`, destination: destination.name }),
        now: this.options.now,
      });
      byName.set(destination.name, push);
      push.start();
    }
  }

  private detach(id: string, reason: string): void {
    const byName = this.pushes.get(id);
    if (!byName) return;
    this.pushes.delete(id);
    for (const push of byName.values()) push.stop(reason);
  }
}

function pickSettings(s: ForwardSettings): ForwardSettings {
  return { connectTimeoutMs: s.connectTimeoutMs, retryInitialMs: s.retryInitialMs, retryMaxMs: s.retryMaxMs };
}
