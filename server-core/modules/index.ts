import { dashModule } from './dash-module.js';
import { dvrModule } from './dvr-module.js';
import { hlsModule } from './hls-module.js';
import { httpMediaModule } from './http-media-module.js';
import { llHlsModule } from './ll-hls-module.js';
import type { ModuleEntry } from './module-entry.js';
import { rtcModule } from './rtc-module.js';
import { rtmpModule } from './rtmp-module.js';
import { srtModule } from './srt-module.js';
import { udpTsModule } from './udp-ts-module.js';

/**
 * Every listener and output, in start order: outputs first (they must see the first publish), then ingest
 * listeners, then the media listener. A new protocol is one entry here.
 */
export const MODULES: readonly ModuleEntry[] = [
  hlsModule,
  llHlsModule,
  dashModule,
  dvrModule,
  rtmpModule,
  srtModule,
  rtcModule,
  udpTsModule,
  httpMediaModule,
] as ModuleEntry[];

export {
  dashModule,
  dvrModule,
  hlsModule,
  httpMediaModule,
  llHlsModule,
  rtcModule,
  rtmpModule,
  srtModule,
  udpTsModule,
};
