import type { StreamRegistry } from '../../hub/stream-registry.js';
import type { SystemSampler } from '../system/system-sampler.js';
import type { TrafficSampler } from '../system/traffic-sampler.js';
import { API_CODES, ApiError } from './api-codes.js';
import type { ApiRouter } from './api-router.js';
import { type ClientView, publisherClientView, readerClientView, streamView, withClientStats } from './api-views.js';
import type { ClientStatsProviders } from './client-stats.js';

export interface SrsApiDeps {
  registry: StreamRegistry;
  vhost: string;
  /** Stable id of the default vhost in API output. */
  vhostId: string;
  version: string;
  startedAt: number;
  system: SystemSampler;
  traffic: TrafficSampler;
  now: () => number;
  hls: { enabled: boolean; fragment: number; window: number };
  /** Protocol detail of clients (the `srt` object of SRT ones), from the modules that registered. */
  clientStats?: ClientStatsProviders;
}

const SRS_DEFAULT_COUNT = 10;

/** SRS's /api/v1 surface: versions, summaries, vhosts, streams, clients (and kicking one). */
export function registerSrsApi(router: ApiRouter, deps: SrsApiDeps): void {
  router.add('GET', '/api/v1/versions', () => {
    const [major, minor, revision] = deps.version.split('.').map(Number);
    return { data: { major, minor, revision, version: deps.version } };
  });

  router.add('GET', '/api/v1/summaries', () => summaries(deps));

  router.add('GET', '/api/v1/vhosts', () => ({ vhosts: [vhostView(deps)] }));
  router.add('GET', '/api/v1/vhosts/:id', ({ params }) => {
    if (params.id !== deps.vhostId) throw new ApiError(API_CODES.NOT_FOUND, 404, `no vhost ${params.id}`);
    return { vhost: vhostView(deps) };
  });

  router.add('GET', '/api/v1/streams', ({ query }) => {
    const now = deps.now();
    const all = deps.registry.list().map((s) => streamView(s, deps.traffic.rates(s.streamId), deps.vhostId, now));
    return { streams: page(all, query) };
  });
  router.add('GET', '/api/v1/streams/:id', ({ params }) => {
    const source = deps.registry.list().find((s) => s.streamId === params.id);
    if (!source) throw new ApiError(API_CODES.STREAM_NOT_FOUND, 404, `no stream ${params.id}`);
    return { stream: streamView(source, deps.traffic.rates(source.streamId), deps.vhostId, deps.now()) };
  });

  router.add('GET', '/api/v1/clients', ({ query }) => ({ clients: page(allClients(deps), query) }));
  router.add('GET', '/api/v1/clients/:id', ({ params }) => {
    const client = allClients(deps).find((c) => c.id === params.id);
    if (!client) throw new ApiError(API_CODES.CLIENT_NOT_FOUND, 404, `no client ${params.id}`);
    return { client };
  });
  router.add('DELETE', '/api/v1/clients/:id', ({ params }) => {
    if (!kickClient(deps.registry, params.id)) {
      throw new ApiError(API_CODES.CLIENT_NOT_FOUND, 404, `no client ${params.id}`);
    }
    return {};
  });
}

/** Closes a publisher or reader by context id; false when there is none. */
export function kickClient(registry: StreamRegistry, cid: string): boolean {
  for (const source of registry.list()) {
    if (source.publisher.cid === cid) {
      // A kick ends the stream now: no grace window for a publisher the operator removed.
      if (source.isPublishing) source.publisher.disconnect('kicked by API');
      registry.end(source);
      return true;
    }
    const reader = source.readers().find((r) => r.info.cid === cid);
    if (reader) {
      reader.kick();
      return true;
    }
  }
  return false;
}

function allClients(deps: SrsApiDeps): ClientView[] {
  const now = deps.now();
  const clients: ClientView[] = [];
  const add = (view: ClientView) => clients.push(deps.clientStats ? withClientStats(view, deps.clientStats) : view);
  for (const source of deps.registry.list()) {
    add(publisherClientView(source, deps.traffic.rates(source.publisher.cid), deps.vhostId, now));
    for (const reader of source.readers()) {
      add(readerClientView(source, reader, deps.traffic.rates(reader.info.cid), deps.vhostId, now));
    }
  }
  return clients;
}

/** SRS pagination: `start` (default 0) and `count` (default 10). */
function page<T>(items: T[], query: URLSearchParams): T[] {
  const start = Math.max(0, Number.parseInt(query.get('start') ?? '0', 10) || 0);
  const count = Math.max(1, Number.parseInt(query.get('count') ?? String(SRS_DEFAULT_COUNT), 10) || SRS_DEFAULT_COUNT);
  return items.slice(start, start + count);
}

function vhostView(deps: SrsApiDeps) {
  const sources = deps.registry.list();
  let recv = 0;
  let send = 0;
  let recvKbps = 0;
  let sendKbps = 0;
  let clients = 0;
  for (const s of sources) {
    recv += s.stats.recvBytes;
    send += s.sentBytes();
    const rates = deps.traffic.rates(s.streamId);
    recvKbps += rates.recvKbps;
    sendKbps += rates.sendKbps;
    clients += s.viewers().length + 1;
  }
  return {
    id: deps.vhostId,
    name: deps.vhost,
    enabled: true,
    clients,
    streams: sources.length,
    send_bytes: send,
    recv_bytes: recv,
    kbps: { recv_30s: recvKbps, send_30s: sendKbps },
    hls: deps.hls,
  };
}

function summaries(deps: SrsApiDeps) {
  const s = deps.system.latest;
  const now = deps.now();
  const vhost = vhostView(deps);
  return {
    data: {
      ok: true,
      now_ms: now,
      self: {
        version: deps.version,
        pid: process.pid,
        ppid: process.ppid,
        argv: process.argv.join(' '),
        cwd: process.cwd(),
        mem_kbyte: s.selfMemKbyte,
        mem_percent: s.selfMemPercent,
        cpu_percent: s.selfCpuPercent,
        srs_uptime: Math.round((now - deps.startedAt) / 1000),
      },
      system: {
        cpu_percent: s.cpuPercent,
        mem_ram_kbyte: s.memRamKbyte,
        mem_ram_percent: s.memRamPercent,
        cpus: s.cpus,
        cpus_online: s.cpus,
        uptime: s.uptimeSeconds,
        load_1m: s.load1m,
        load_5m: s.load5m,
        load_15m: s.load15m,
        net_sample_time: s.sampledAt,
        net_recv_bytes: s.netRecvBytes,
        net_send_bytes: s.netSendBytes,
        net_recv_kbps: s.netRecvKbps,
        net_send_kbps: s.netSendKbps,
        srs_sample_time: now,
        srs_recv_bytes: vhost.recv_bytes,
        srs_send_bytes: vhost.send_bytes,
        srs_recv_kbps: vhost.kbps.recv_30s,
        srs_send_kbps: vhost.kbps.send_30s,
        conn_srs: vhost.clients,
      },
    },
  };
}
