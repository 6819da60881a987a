import type { TallyConfig } from '../control/config/schema.js';
import { ForwardOutput } from '../outputs/forward/forward-output.js';
import type { ModuleEntry } from './module-entry.js';

const settings = (f: TallyConfig['forward']) => ({
  connectTimeoutMs: f.connectTimeoutMs,
  retryInitialMs: f.retryInitialMs,
  retryMaxMs: f.retryMaxMs,
});

/** Multistream forwarding (always there: with no destinations it does nothing); a reload applies in place. */
export const forwardModule: ModuleEntry<ForwardOutput> = {
  name: 'forward',
  enabled: () => true,
  create: (config, ctx) =>
    new ForwardOutput({
      registry: ctx.registry,
      destinations: config.forward.destinations,
      ...settings(config.forward),
      logger: ctx.logger.child({ out: 'forward' }),
      now: ctx.now,
    }),
  reconfigure: (forward, next, prev) => {
    if (JSON.stringify(next.forward) === JSON.stringify(prev.forward)) return 'unchanged';
    forward.configure(next.forward.destinations, settings(next.forward));
    return 'applied';
  },
};
