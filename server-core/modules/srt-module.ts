import { SrtServer } from '../servers/srt/srt-server.js';
import { type ModuleEntry, sectionChanged } from './module-entry.js';

/** SRT publish and play (UDP 10080). A change to its section rebuilds it (its own connections end). */
export const srtModule: ModuleEntry<SrtServer> = {
  name: 'srt',
  enabled: (config) => config.srt.enabled,
  create: (config, ctx) =>
    new SrtServer({ ...config.srt, vhost: config.vhost, sessions: ctx.sessions, logger: ctx.logger, now: ctx.now }),
  reconfigure: (_srt, next, prev) => (sectionChanged(next, prev, 'srt') ? 'restart' : 'unchanged'),
};
