import { EdgePuller } from '../servers/edge/edge-puller.js';
import { type ModuleEntry, sectionChanged } from './module-entry.js';

/** The running edge: the puller plus its place in the session path (players of missing streams come to it). */
export class EdgeModule {
  constructor(
    readonly puller: EdgePuller,
    private readonly sessions: { setUpstream(upstream: EdgePuller['pull'] | undefined): void },
  ) {}

  start(): void {
    this.sessions.setUpstream((key, param) => this.puller.pull(key, param));
  }

  close(): void {
    this.sessions.setUpstream(undefined);
    this.puller.close();
  }
}

/** Edge mode (`edge.origin`): streams missing here are pulled from the origin. A change rebuilds it. */
export const edgeModule: ModuleEntry<EdgeModule> = {
  name: 'edge',
  enabled: (config) => config.edge.origin !== '',
  create: (config, ctx) =>
    new EdgeModule(
      new EdgePuller({
        ...config.edge,
        registry: ctx.registry,
        logger: ctx.logger.child({ out: 'edge' }),
        now: ctx.now,
      }),
      ctx.sessions,
    ),
  reconfigure: (_edge, next, prev) => (sectionChanged(next, prev, 'edge') ? 'restart' : 'unchanged'),
};
