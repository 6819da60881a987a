import type { SrtClientStats } from '../control/api/client-stats.js';
import type { SrtConnectionStats } from '../servers/srt/srt-connection-stats.js';
import { SrtServer } from '../servers/srt/srt-server.js';
import { type ModuleEntry, portSuffix, sectionChanged } from './module-entry.js';

/**
 * SRT publish and play (UDP 10080). A change to its section rebuilds it (its own connections end). Its clients
 * carry an `srt` object in /api/v1/clients (a rebuilt server registers in place of the old one).
 */
export const srtModule: ModuleEntry<SrtServer> = {
  name: 'srt',
  enabled: (config) => config.srt.enabled,
  create: (config, ctx) => {
    const server = new SrtServer({
      ...config.srt,
      vhost: config.vhost,
      sessions: ctx.sessions,
      logger: ctx.logger,
      now: ctx.now,
    });
    ctx.clientStats.register('srt', {
      clientStats: (cid) => {
        const stats = server.connectionStats(cid);
        return stats ? { srt: srtClientStats(stats) } : undefined;
      },
    });
    return server;
  },
  reconfigure: (_srt, next, prev) => (sectionChanged(next, prev, 'srt') ? 'restart' : 'unchanged'),
  urls: (config, { app, stream, host, ports }) => {
    // SRT has no standard port: always name it.
    const address = `srt://${host(config.srt.host)}${portSuffix(ports.srt ?? config.srt.port, -1)}`;
    // Players get `#` as %23: VLC and GStreamer read a bare `#` as the start of a URL fragment and send no stream
    // id at all; ffmpeg and libsrt callers send %23 as it is and the listener decodes it. Encoders (OBS) get the
    // form their documentation shows.
    const playBase = `${address}?streamid=%23!::r=${app}/${stream}`;
    const base = `${address}?streamid=#!::r=${app}/${stream}`;
    const secret = config.security.publishSecret;
    // An encrypting listener refuses callers without the passphrase: the URL must carry it to work when pasted.
    const { passphrase, pbkeylen } = config.srt;
    const crypto = passphrase ? `&passphrase=${encodeURIComponent(passphrase)}&pbkeylen=${pbkeylen}` : '';
    return [
      { protocol: 'srt', label: 'SRT', url: `${playBase},m=request${crypto}`, direction: 'play' },
      {
        protocol: 'srt',
        label: 'SRT',
        url: `${base}${secret ? `,secret=${encodeURIComponent(secret)}` : ''},m=publish${crypto}`,
        direction: 'publish',
      },
    ];
  },
};

const round1 = (n: number) => Math.round(n * 10) / 10;

/** The API's snake_case view of one connection's counters. */
export function srtClientStats(s: SrtConnectionStats): SrtClientStats {
  const out: SrtClientStats = {
    role: s.role,
    peer: s.peer,
    stream_id: s.streamId,
    encrypted: s.encrypted,
    latency_ms: s.latencyMs,
    rtt_ms: round1(s.rttMs),
    rtt_var_ms: round1(s.rttVarMs),
    packets: s.packets,
    bytes: s.bytes,
    loss_reports: s.lossReports,
    retransmits: s.retransmits,
    dropped: s.dropped,
    kbps: Math.round(s.kbps),
  };
  if (s.inFlight !== undefined) out.in_flight = s.inFlight;
  if (s.keySwitches !== undefined) out.key_switches = s.keySwitches;
  return out;
}
