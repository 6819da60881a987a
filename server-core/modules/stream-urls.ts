import type { TallyConfig } from '../control/config/schema.js';
import { MODULES } from './index.js';
import type { StreamUrl, UrlTarget } from './module-entry.js';

/** Where the URL lists come from: the modules' own declarations; a disabled module lists nothing. */
export function streamUrls(config: TallyConfig, target: UrlTarget): StreamUrl[] {
  return MODULES.filter((m) => m.enabled(config)).flatMap((m) => m.urls?.(config, target) ?? []);
}
