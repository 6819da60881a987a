import type { TallyConfig } from '../control/config/schema.js';
import { LL_HLS_PLAYLIST, LlHlsOutput, type LlHlsOutputOptions } from '../outputs/hls/ll-hls-output.js';
import { httpMediaBase } from './http-media-module.js';
import type { ModuleEntry } from './module-entry.js';

function settings(config: TallyConfig): Omit<LlHlsOutputOptions, 'registry' | 'vhost' | 'now'> {
  const { hls } = config;
  return {
    fragmentMs: hls.fragment * 1000,
    windowMs: hls.window * 1000,
    disposeMs: hls.dispose * 1000,
    lowLatency: hls.lowLatency,
    partMs: Math.round(hls.partDuration * 1000),
    blockingWaitMs: hls.blockingWait * 1000,
    maxBlockedRequests: hls.maxBlockedRequests,
  };
}

/** HLS over fMP4, low latency (LL-HLS) unless switched off; every setting changes in place for new publishes. */
export const llHlsModule: ModuleEntry<LlHlsOutput> = {
  name: 'll-hls',
  enabled: (config) => config.hls.enabled && config.hls.fmp4,
  create: (config, ctx) =>
    new LlHlsOutput({ registry: ctx.registry, vhost: config.vhost, now: ctx.now, ...settings(config) }),
  reconfigure: (output, next, prev) => {
    if (JSON.stringify(settings(next)) === JSON.stringify(settings(prev))) return 'unchanged';
    output.configure(settings(next));
    return 'applied';
  },
  // Served by the media listener: nothing to list while it is off.
  urls: (config, target) =>
    config.http.enabled
      ? [
          {
            protocol: config.hls.lowLatency ? 'll-hls' : 'hls-fmp4',
            label: config.hls.lowLatency ? 'LL-HLS' : 'HLS (fMP4)',
            url: `${httpMediaBase(config, target)}/${LL_HLS_PLAYLIST}`,
            direction: 'play',
          },
        ]
      : [],
};
