import { AbrTranscoder } from '../transcode/abr-transcoder.js';
import type { ModuleEntry } from './module-entry.js';

/** Transcode profiles (ABR ladders) of the streams `transcode.streams` names; a change restarts the ladders. */
export const transcodeModule: ModuleEntry<AbrTranscoder> = {
  name: 'transcode',
  enabled: () => true,
  create: (config, ctx) =>
    new AbrTranscoder({
      registry: ctx.registry,
      vhost: config.vhost,
      jobs: ctx.jobs,
      settings: config.transcode,
      loopbackRtmp: ctx.loopbackRtmp,
      publishSecret: config.security.publishSecret,
      logger: ctx.logger.child({ out: 'transcode' }),
    }),
  reconfigure: (abr, next, prev) => {
    const same =
      JSON.stringify(next.transcode) === JSON.stringify(prev.transcode) &&
      next.security.publishSecret === prev.security.publishSecret;
    if (same) return 'unchanged';
    abr.configure(next.transcode, next.security.publishSecret);
    return 'applied';
  },
};
