import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, Gauge, Registry } from 'prom-client';
import type { StreamRegistry } from '../../hub/stream-registry.js';
import type { RefusalCounter } from '../access/refusal-counter.js';
import type { SystemSampler } from '../system/system-sampler.js';
import type { TrafficSampler } from '../system/traffic-sampler.js';
import type { FaultCounter } from './fault-counter.js';

export interface ExporterDeps {
  registry: StreamRegistry;
  system: SystemSampler;
  traffic: TrafficSampler;
  refusals: RefusalCounter;
  faults: FaultCounter;
  /** Counters of the UDP listeners that take datagrams from anyone (WebRTC): what they answered and dropped. */
  udpListeners?: () => { listener: string; counters: Readonly<Record<string, number | string | undefined>> }[];
  /** The API token check: /metrics is as private as the API. */
  authorize?: (req: IncomingMessage) => boolean;
  version: string;
  startedAt: number;
  now: () => number;
}

/**
 * Prometheus metrics at /metrics: SRS exporter names where they exist (srs_streams, srs_clients,
 * srs_receive_bytes_total, ...) plus per-stream and per-protocol series. Values are read at scrape time,
 * so the media path does no metrics work.
 */
export class PrometheusExporter {
  private readonly prom = new Registry();

  constructor(private readonly deps: ExporterDeps) {
    const { registry, system, traffic } = deps;
    const prom = this.prom;
    const gauge = (name: string, help: string, labelNames: string[], collect: (g: Gauge) => void) =>
      new Gauge({
        name,
        help,
        labelNames,
        registers: [prom],
        collect(this: Gauge) {
          this.reset();
          collect(this);
        },
      });
    const counter = (name: string, help: string, labelNames: string[], collect: (c: Counter) => void) =>
      new Counter({
        name,
        help,
        labelNames,
        registers: [prom],
        collect(this: Counter) {
          this.reset();
          collect(this);
        },
      });

    gauge('srs_build_info', 'Server version (SRS-compatible name).', ['version', 'server'], (g) =>
      g.set({ version: deps.version, server: 'tally' }, 1),
    );
    gauge('srs_node_uptime', 'Seconds since the server started.', [], (g) =>
      g.set(Math.round((deps.now() - deps.startedAt) / 1000)),
    );
    gauge('srs_cpu_percent', 'CPU used by the server process, percent of one core.', [], (g) =>
      g.set(system.latest.selfCpuPercent),
    );
    gauge('srs_memory', 'Resident memory of the server process, KB.', [], (g) => g.set(system.latest.selfMemKbyte));
    gauge('srs_streams', 'Live streams.', [], (g) => g.set(registry.list().length));
    gauge('srs_clients', 'Connected publishers and players.', [], (g) =>
      g.set(registry.list().reduce((n, s) => n + 1 + s.readers().length, 0)),
    );
    counter('srs_clients_total', 'Publishers and players that ever connected.', [], (c) =>
      c.inc(registry.totals().clients),
    );
    counter('srs_receive_bytes_total', 'Media bytes received from publishers.', [], (c) =>
      c.inc(registry.totals().recvBytes),
    );
    counter('srs_send_bytes_total', 'Media bytes sent to players.', [], (c) => c.inc(registry.totals().sentBytes));
    counter('tally_frames_dropped_total', 'Video frames skipped for players that fell behind.', [], (c) =>
      c.inc(registry.totals().framesDropped),
    );
    gauge('tally_stream_kbps', 'Stream bitrate over 30 s, by direction.', ['app', 'stream', 'direction'], (g) => {
      for (const s of registry.list()) {
        const rates = traffic.rates(s.streamId);
        g.set({ app: s.key.app, stream: s.key.stream, direction: 'recv' }, rates.recvKbps);
        g.set({ app: s.key.app, stream: s.key.stream, direction: 'send' }, rates.sendKbps);
      }
    });
    gauge('tally_stream_readers', 'Players of a stream, by protocol.', ['app', 'stream', 'protocol'], (g) => {
      for (const s of registry.list()) {
        const byProtocol = new Map<string, number>();
        for (const r of s.readers()) byProtocol.set(r.info.protocol, (byProtocol.get(r.info.protocol) ?? 0) + 1);
        for (const [protocol, n] of byProtocol) g.set({ app: s.key.app, stream: s.key.stream, protocol }, n);
      }
    });
    gauge('tally_stream_publish_protocol', 'Live streams by ingest protocol.', ['app', 'stream', 'protocol'], (g) => {
      for (const s of registry.list())
        g.set({ app: s.key.app, stream: s.key.stream, protocol: s.publisher.protocol }, 1);
    });
    counter(
      'tally_stream_frames_dropped_total',
      'Video frames skipped for slow players of a stream.',
      ['app', 'stream'],
      (c) => {
        for (const s of registry.list()) {
          const dropped = s.stats.framesDropped + s.readers().reduce((n, r) => n + r.framesDropped, 0);
          c.inc({ app: s.key.app, stream: s.key.stream }, dropped);
        }
      },
    );
    counter('tally_refused_total', 'Refused connects, publishes and plays.', ['action', 'protocol', 'kind'], (c) => {
      for (const r of deps.refusals.counts.values())
        c.inc({ action: r.action, protocol: r.protocol, kind: r.kind }, r.count);
    });
    counter(
      'tally_consumer_faults_total',
      'Per-stream consumers (encoders, segmenters, recorders, readers) that failed and were ended; the server went on.',
      ['kind'],
      (c) => {
        for (const [kind, count] of deps.faults.counts) c.inc({ kind }, count);
      },
    );
    counter(
      'tally_udp_listener_events_total',
      'Datagrams a shared UDP port took, answered and dropped (unknown sender, unclassified, failed checks), and sends it could not make.',
      ['listener', 'event'],
      (c) => {
        for (const { listener, counters } of deps.udpListeners?.() ?? [])
          for (const [event, value] of Object.entries(counters))
            if (typeof value === 'number') c.inc({ listener, event: snakeCase(event) }, value);
      },
    );
  }

  /** Serves GET /metrics. */
  readonly route = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') return false;
    if (this.deps.authorize && !this.deps.authorize(req)) {
      res.writeHead(401, { 'Content-Type': 'text/plain', 'WWW-Authenticate': 'Bearer' });
      res.end('authentication required: send the API token\n');
      return true;
    }
    this.prom.metrics().then(
      (text) => {
        res.writeHead(200, { 'Content-Type': this.prom.contentType });
        res.end(text);
      },
      (error: Error) => {
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(`metrics failed: ${error.message}\n`);
      },
    );
    return true;
  };
}

function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
