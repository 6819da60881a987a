import { UdpTsServer } from '../servers/udp-ts/udp-ts-server.js';
import { type ModuleEntry, sectionChanged } from './module-entry.js';

/** MPEG-TS over UDP ingest (ingest.udpTs). */
export const udpTsModule: ModuleEntry<UdpTsServer> = {
  name: 'udp-ts',
  enabled: (config) => config.ingest.udpTs.enabled,
  create: (config, ctx) =>
    new UdpTsServer({ ...config.ingest.udpTs, vhost: config.vhost, sessions: ctx.sessions, logger: ctx.logger }),
  reconfigure: (_server, next, prev) => (sectionChanged(next, prev, 'ingest') ? 'restart' : 'unchanged'),
};
