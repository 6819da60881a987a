import { VirtualLive } from '../transcode/virtual-live.js';
import type { ModuleEntry } from './module-entry.js';

/** Virtual live (always there: sources start from the app or the API; autostart ones with the server). */
export const virtualLiveModule: ModuleEntry<VirtualLive> = {
  name: 'virtual-live',
  enabled: () => true,
  create: (config, ctx) =>
    new VirtualLive({
      jobs: ctx.jobs,
      sources: config.virtualLive.sources,
      loopbackRtmp: ctx.loopbackRtmp,
      publishSecret: config.security.publishSecret,
      logger: ctx.logger.child({ out: 'virtual-live' }),
    }),
  reconfigure: (live, next, prev) => {
    const same =
      JSON.stringify(next.virtualLive) === JSON.stringify(prev.virtualLive) &&
      next.security.publishSecret === prev.security.publishSecret;
    if (same) return 'unchanged';
    live.configure(next.virtualLive.sources, next.security.publishSecret);
    return 'applied';
  },
};
