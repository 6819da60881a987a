import { notifyHlsSegment } from '../control/hooks/hook-payloads.js';
import { HlsOutput } from '../outputs/hls/hls-output.js';
import { httpMediaBase } from './http-media-module.js';
import type { ModuleEntry } from './module-entry.js';

/** HLS (MPEG-TS segments) of every stream. Durations and windows change in place; a new disk path rebuilds it. */
export const hlsModule: ModuleEntry<HlsOutput> = {
  name: 'hls',
  enabled: (config) => config.hls.enabled,
  create: (config, ctx) => {
    const { hls } = config;
    return new HlsOutput({
      registry: ctx.registry,
      vhost: config.vhost,
      fragmentMs: hls.fragment * 1000,
      windowMs: hls.window * 1000,
      disposeMs: hls.dispose * 1000,
      path: hls.path || undefined,
      logger: ctx.logger.child({ out: 'hls' }),
      now: ctx.now,
      renditionsOf: ctx.renditionsOf,
      onSegment: (key, segment) => notifyHlsSegment(ctx.hooks, ctx.registry, key, segment, hls.path),
    });
  },
  reconfigure: (hls, next, prev) => {
    if (next.hls.path !== prev.hls.path) return 'restart';
    if (JSON.stringify(next.hls) === JSON.stringify(prev.hls)) return 'unchanged';
    hls.configure({
      fragmentMs: next.hls.fragment * 1000,
      windowMs: next.hls.window * 1000,
      disposeMs: next.hls.dispose * 1000,
    });
    return 'applied';
  },
  // Served by the media listener: nothing to list while it is off.
  urls: (config, target) =>
    config.http.enabled
      ? [{ protocol: 'hls', label: 'HLS', url: `${httpMediaBase(config, target)}.m3u8`, direction: 'play' }]
      : [],
};
