import type { TallyConfig } from '../control/config/schema.js';
import { flvHeaderFor } from '../formats/flv/flv-header-for.js';
import { flvTagFormat } from '../formats/flv/from-packets.js';
import { tsFormatFor } from '../formats/ts/from-packets.js';
import { HttpServer } from '../servers/http/http-server.js';
import { liveHttpRoute } from '../servers/http/live-http-route.js';
import { mediaFileRoute } from '../servers/http/media-file-route.js';
import { wsFlvRoute } from '../servers/http/ws-flv-route.js';
import { type Lifecycle, type ModuleEntry, portSuffix, type UrlTarget } from './module-entry.js';

/** `http://host[:port]/app/stream` on the media listener (HLS and DASH add their extension to it too). */
export function httpMediaBase(config: TallyConfig, { app, stream, host, ports }: UrlTarget, scheme = 'http'): string {
  return `${scheme}://${host(config.http.host)}${portSuffix(ports.http ?? config.http.port, 80)}/${app}/${stream}`;
}

/** The media listener and its routes: HLS/DASH files, HTTP-FLV, HTTP-TS, WebSocket-FLV (8080). */
export class HttpMedia implements Lifecycle {
  constructor(
    readonly server: HttpServer,
    private readonly teardown: () => void,
  ) {}

  start(): Promise<void> {
    return this.server.start();
  }

  async close(): Promise<void> {
    await this.server.close();
    this.teardown();
  }
}

export const httpMediaModule: ModuleEntry<HttpMedia> = {
  name: 'http',
  enabled: (config) => config.http.enabled,
  create: (config, ctx) => {
    const { http, vhost } = config;
    const server = new HttpServer({ ...http, logger: ctx.logger });
    const live = { sessions: ctx.sessions, vhost, cors: http.cors, logger: ctx.logger };
    server.addRoute(mediaFileRoute(ctx.mediaFiles, http.cors));
    // WebRTC signalling here too: this listener faces the LAN by default, the API only loopback.
    server.addRoute((req, res) => ctx.mediaRoutes().some((route) => route(req, res)));
    server.addRoute(
      liveHttpRoute({
        ...live,
        extension: 'flv',
        protocol: 'http-flv',
        contentType: 'video/x-flv',
        format: () => flvTagFormat,
        preamble: flvHeaderFor,
      }),
    );
    server.addRoute(
      liveHttpRoute({ ...live, extension: 'ts', protocol: 'http-ts', contentType: 'video/mp2t', format: tsFormatFor }),
    );
    const wsFlv = wsFlvRoute({ sessions: ctx.sessions, vhost, logger: ctx.logger });
    server.addUpgrade(wsFlv.route);
    return new HttpMedia(server, wsFlv.close);
  },
  reconfigure: async (media, next, prev) => {
    const { host, port, ...rest } = next.http;
    const { host: prevHost, port: prevPort, ...prevRest } = prev.http;
    if (JSON.stringify(rest) !== JSON.stringify(prevRest)) return 'restart';
    if (host === prevHost && port === prevPort) return 'unchanged';
    await media.server.rebind(host, port);
    return 'applied';
  },
  urls: (config, target) => {
    const base = httpMediaBase(config, target);
    return [
      { protocol: 'http-flv', label: 'HTTP-FLV', url: `${base}.flv`, direction: 'play' },
      { protocol: 'http-ts', label: 'HTTP-TS', url: `${base}.ts`, direction: 'play' },
      {
        protocol: 'ws-flv',
        label: 'WebSocket-FLV',
        url: `${httpMediaBase(config, target, 'ws')}.flv`,
        direction: 'play',
      },
    ];
  },
};
