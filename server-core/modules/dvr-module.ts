import type { TallyConfig } from '../control/config/schema.js';
import { notifyDvrFile } from '../control/hooks/hook-payloads.js';
import { DvrOutput } from '../outputs/dvr/dvr-output.js';
import type { ModuleEntry } from './module-entry.js';

const dvrSettings = (d: TallyConfig['dvr']) => ({
  dir: d.dir,
  pathTemplate: d.pathTemplate,
  format: d.format,
  plan: d.plan,
  segmentMs: d.segment * 1000,
  minFreeBytes: d.minFreeMb * 1024 * 1024,
  recordAll: d.recordAll,
});

/** Recording (always there: recordings are switched per stream at run time); settings apply to the next file. */
export const dvrModule: ModuleEntry<DvrOutput> = {
  name: 'dvr',
  enabled: () => true,
  create: (config, ctx) =>
    new DvrOutput({
      registry: ctx.registry,
      vhost: config.vhost,
      ...dvrSettings(config.dvr),
      logger: ctx.logger.child({ out: 'dvr' }),
      now: ctx.now,
      onFileClosed: (file) => notifyDvrFile(ctx.hooks, ctx.registry, config.vhost, file),
    }),
  reconfigure: (dvr, next, prev) => {
    if (JSON.stringify(next.dvr) === JSON.stringify(prev.dvr)) return 'unchanged';
    dvr.configure(dvrSettings(next.dvr));
    return 'applied';
  },
};
