import { Thumbnails } from '../transcode/thumbnails.js';
import type { ModuleEntry } from './module-entry.js';

/** Stream snapshots, made on demand (`GET /api/v1/streams/{id}/thumbnail`). */
export const thumbnailsModule: ModuleEntry<Thumbnails> = {
  name: 'thumbnails',
  enabled: (config) => config.thumbnails.enabled,
  create: (config, ctx) =>
    new Thumbnails({
      registry: ctx.registry,
      jobs: ctx.jobs,
      settings: config.thumbnails,
      loopbackRtmp: ctx.loopbackRtmp,
      logger: ctx.logger.child({ out: 'thumbnails' }),
      now: ctx.now,
    }),
  reconfigure: (thumbnails, next, prev) => {
    if (JSON.stringify(next.thumbnails) === JSON.stringify(prev.thumbnails)) return 'unchanged';
    thumbnails.configure(next.thumbnails);
    return 'applied';
  },
};
