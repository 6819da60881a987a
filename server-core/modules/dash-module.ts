import { DashOutput } from '../outputs/dash/dash-output.js';
import { httpMediaBase } from './http-media-module.js';
import type { ModuleEntry } from './module-entry.js';

/** MPEG-DASH (fMP4 segments) of every stream; durations and windows change in place. */
export const dashModule: ModuleEntry<DashOutput> = {
  name: 'dash',
  enabled: (config) => config.dash.enabled,
  create: (config, ctx) =>
    new DashOutput({
      registry: ctx.registry,
      vhost: config.vhost,
      fragmentMs: config.dash.fragment * 1000,
      windowMs: config.dash.window * 1000,
      disposeMs: config.dash.dispose * 1000,
      now: ctx.now,
    }),
  reconfigure: (dash, next, prev) => {
    if (JSON.stringify(next.dash) === JSON.stringify(prev.dash)) return 'unchanged';
    dash.configure({
      fragmentMs: next.dash.fragment * 1000,
      windowMs: next.dash.window * 1000,
      disposeMs: next.dash.dispose * 1000,
    });
    return 'applied';
  },
  // Served by the media listener: nothing to list while it is off.
  urls: (config, target) =>
    config.http.enabled
      ? [{ protocol: 'dash', label: 'MPEG-DASH', url: `${httpMediaBase(config, target)}.mpd`, direction: 'play' }]
      : [],
};
