import { RtmpServer } from '../servers/rtmp/rtmp-server.js';
import { loadRtmpsCertificate } from '../servers/rtmp/rtmps-certificate.js';
import { type ModuleEntry, portSuffix, sectionChanged } from './module-entry.js';

/** RTMP publish and play (1935). Any change to its section rebinds it (its own connections end). */
export const rtmpModule: ModuleEntry<RtmpServer> = {
  name: 'rtmp',
  enabled: (config) => config.rtmp.enabled,
  create: (config, ctx) =>
    new RtmpServer({
      ...config.rtmp,
      vhost: config.vhost,
      sessions: ctx.sessions,
      admission: ctx.admission,
      logger: ctx.logger,
      now: ctx.now,
    }),
  reconfigure: (_rtmp, next, prev) => (sectionChanged(next, prev, 'rtmp') ? 'restart' : 'unchanged'),
  urls: (config, { app, stream, host, ports }) => {
    const base = `rtmp://${host(config.rtmp.host)}${portSuffix(ports.rtmp ?? config.rtmp.port, 1935)}/${app}/${stream}`;
    const secret = config.security.publishSecret;
    return [
      { protocol: 'rtmp', label: 'RTMP', url: base, direction: 'play' },
      {
        protocol: 'rtmp',
        label: 'RTMP',
        url: secret ? `${base}?secret=${encodeURIComponent(secret)}` : base,
        direction: 'publish',
      },
    ];
  },
};

/** RTMPS publish and play (1936): the same listener inside TLS, with the configured or a generated certificate. */
export const rtmpsModule: ModuleEntry<RtmpServer> = {
  name: 'rtmps',
  enabled: (config) => config.rtmp.enabled && config.rtmp.tlsEnabled,
  create: (config, ctx) =>
    new RtmpServer({
      ...config.rtmp,
      port: config.rtmp.tlsPort,
      vhost: config.vhost,
      sessions: ctx.sessions,
      admission: ctx.admission,
      logger: ctx.logger,
      now: ctx.now,
      tls: async () => {
        const certificate = await loadRtmpsCertificate({
          certFile: config.rtmp.tlsCert,
          keyFile: config.rtmp.tlsKey,
          dataDir: ctx.dataDir,
        });
        ctx.logger.info({ certificate: certificate.source }, 'rtmps certificate');
        return certificate;
      },
    }),
  reconfigure: (_rtmps, next, prev) => (sectionChanged(next, prev, 'rtmp') ? 'restart' : 'unchanged'),
  urls: (config, { app, stream, host, ports }) => {
    const base = `rtmps://${host(config.rtmp.host)}:${ports.rtmps ?? config.rtmp.tlsPort}/${app}/${stream}`;
    const secret = config.security.publishSecret;
    return [
      {
        protocol: 'rtmps',
        label: 'RTMPS',
        url: secret ? `${base}?secret=${encodeURIComponent(secret)}` : base,
        direction: 'publish',
      },
    ];
  },
};
