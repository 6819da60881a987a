import { dashModule } from './dash-module.js';
import { dvrModule } from './dvr-module.js';
import { edgeModule } from './edge-module.js';
import { forwardModule } from './forward-module.js';
import { gb28181Module } from './gb28181-module.js';
import { hlsModule } from './hls-module.js';
import { httpMediaModule } from './http-media-module.js';
import { llHlsModule } from './ll-hls-module.js';
import type { ModuleEntry } from './module-entry.js';
import { rtcModule } from './rtc-module.js';
import { rtmpModule, rtmpsModule } from './rtmp-module.js';
import { srtModule } from './srt-module.js';
import { thumbnailsModule } from './thumbnails-module.js';
import { transcodeModule } from './transcode-module.js';
import { udpTsModule } from './udp-ts-module.js';
import { virtualLiveModule } from './virtual-live-module.js';

/**
 * Every listener and output, in start order: outputs first (they must see the first publish), then ingest
 * listeners, then the media listener, then virtual live (its autostart sources publish to the RTMP listener).
 * A new protocol is one entry here.
 */
export const MODULES: readonly ModuleEntry[] = [
  hlsModule,
  llHlsModule,
  dashModule,
  dvrModule,
  forwardModule,
  edgeModule,
  transcodeModule,
  thumbnailsModule,
  rtmpModule,
  rtmpsModule,
  srtModule,
  rtcModule,
  udpTsModule,
  gb28181Module,
  httpMediaModule,
  virtualLiveModule,
] as ModuleEntry[];

export {
  dashModule,
  dvrModule,
  edgeModule,
  forwardModule,
  gb28181Module,
  hlsModule,
  httpMediaModule,
  llHlsModule,
  rtcModule,
  rtmpModule,
  rtmpsModule,
  srtModule,
  thumbnailsModule,
  transcodeModule,
  udpTsModule,
  virtualLiveModule,
};
