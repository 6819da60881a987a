import { availableParallelism } from 'node:os';
import { RtcAudioBridges } from '../servers/rtc/rtc-audio-bridges.js';
import { RtcServer } from '../servers/rtc/rtc-server.js';
import { type ModuleEntry, portSuffix, sectionChanged } from './module-entry.js';

/** The running WebRTC module: the server plus its signalling routes on the API port. */
class RtcModule {
  readonly server: RtcServer;
  private removeRoute = () => {};

  constructor(
    server: RtcServer,
    private readonly addRoute: (route: RtcServer['route']) => () => void,
  ) {
    this.server = server;
  }

  async start(): Promise<void> {
    await this.server.start();
    this.removeRoute = this.addRoute(this.server.route);
  }

  close(): void {
    this.removeRoute();
    this.server.close();
  }
}

/**
 * WebRTC (WHIP publish, WHEP play, SRS's /rtc/v1/publish and /rtc/v1/play): media on one UDP port (and ICE-TCP),
 * signalling under /rtc/v1/ on the API port. A change to its section rebuilds it (its sessions end).
 */
export const rtcModule: ModuleEntry<RtcModule> = {
  name: 'rtc',
  enabled: (config) => config.rtc.enabled,
  create: (config, ctx) =>
    new RtcModule(
      new RtcServer({
        ...config.rtc,
        sendWorkers: config.rtc.sendWorkers === 'auto' ? Math.min(4, availableParallelism()) : config.rtc.sendWorkers,
        sendWorkerScript: ctx.rtcSendWorkerScript,
        vhost: config.vhost,
        sessions: ctx.sessions,
        registry: ctx.registry,
        audio: new RtcAudioBridges({
          jobs: ctx.jobs,
          opusBitrate: config.rtc.opusBitrate,
          aacBitrate: config.rtc.aacBitrate,
          logger: ctx.logger,
        }),
        logger: ctx.logger,
        now: ctx.now,
      }),
      (route) => ctx.api.addRaw(route),
    ),
  reconfigure: (_rtc, next, prev) => (sectionChanged(next, prev, 'rtc') ? 'restart' : 'unchanged'),
  // Signalling is on the API port (as SRS) and on the media port, which other machines reach by default: WHEP to
  // play, WHIP to publish (OBS 30+ and browsers).
  urls: (config, { app, stream, host, ports }) => {
    const listener = config.http.enabled
      ? { host: config.http.host, port: ports.http ?? config.http.port }
      : config.api.enabled
        ? { host: config.api.host, port: ports.api ?? config.api.port }
        : undefined;
    if (!listener) return [];
    const base = `http://${host(listener.host)}${portSuffix(listener.port, 80)}/rtc/v1`;
    const query = `?app=${encodeURIComponent(app)}&stream=${encodeURIComponent(stream)}`;
    const secret = config.security.publishSecret;
    return [
      { protocol: 'whep', label: 'WebRTC (WHEP)', url: `${base}/whep/${query}`, direction: 'play' },
      {
        protocol: 'whip',
        label: 'WebRTC (WHIP)',
        url: `${base}/whip/${query}${secret ? `&secret=${encodeURIComponent(secret)}` : ''}`,
        direction: 'publish',
      },
    ];
  },
};
