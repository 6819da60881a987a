import { RtmpServer } from '../servers/rtmp/rtmp-server.js';
import { type ModuleEntry, portSuffix, sectionChanged } from './module-entry.js';

/** RTMP publish and play (1935). Any change to its section rebinds it (its own connections end). */
export const rtmpModule: ModuleEntry<RtmpServer> = {
  name: 'rtmp',
  enabled: (config) => config.rtmp.enabled,
  create: (config, ctx) =>
    new RtmpServer({
      ...config.rtmp,
      vhost: config.vhost,
      sessions: ctx.sessions,
      admission: ctx.admission,
      logger: ctx.logger,
      now: ctx.now,
    }),
  reconfigure: (_rtmp, next, prev) => (sectionChanged(next, prev, 'rtmp') ? 'restart' : 'unchanged'),
  urls: (config, { app, stream, host, ports }) => {
    const base = `rtmp://${host(config.rtmp.host)}${portSuffix(ports.rtmp ?? config.rtmp.port, 1935)}/${app}/${stream}`;
    const secret = config.security.publishSecret;
    return [
      { protocol: 'rtmp', label: 'RTMP', url: base, direction: 'play' },
      {
        protocol: 'rtmp',
        label: 'RTMP',
        url: secret ? `${base}?secret=${encodeURIComponent(secret)}` : base,
        direction: 'publish',
      },
    ];
  },
};
