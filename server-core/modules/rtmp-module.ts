import { RtmpServer } from '../servers/rtmp/rtmp-server.js';
import { type ModuleEntry, sectionChanged } from './module-entry.js';

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
};
