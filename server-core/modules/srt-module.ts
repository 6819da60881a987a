import { SrtServer } from '../servers/srt/srt-server.js';
import { type ModuleEntry, portSuffix, sectionChanged } from './module-entry.js';

/** SRT publish and play (UDP 10080). A change to its section rebuilds it (its own connections end). */
export const srtModule: ModuleEntry<SrtServer> = {
  name: 'srt',
  enabled: (config) => config.srt.enabled,
  create: (config, ctx) =>
    new SrtServer({ ...config.srt, vhost: config.vhost, sessions: ctx.sessions, logger: ctx.logger, now: ctx.now }),
  reconfigure: (_srt, next, prev) => (sectionChanged(next, prev, 'srt') ? 'restart' : 'unchanged'),
  urls: (config, { app, stream, host, ports }) => {
    // SRT has no standard port: always name it.
    const base = `srt://${host(config.srt.host)}${portSuffix(ports.srt ?? config.srt.port, -1)}?streamid=#!::r=${app}/${stream}`;
    const secret = config.security.publishSecret;
    return [
      { protocol: 'srt', label: 'SRT', url: `${base},m=request`, direction: 'play' },
      {
        protocol: 'srt',
        label: 'SRT',
        url: `${base}${secret ? `,secret=${encodeURIComponent(secret)}` : ''},m=publish`,
        direction: 'publish',
      },
    ];
  },
};
