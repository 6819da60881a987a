import { RtmpError } from './message.js';
import { splitQuery } from './split-query.js';

export const DEFAULT_RTMP_PORT = 1935;
/** RTMPS without a port means 443 (as ffmpeg, OBS and the platforms' ingest URLs assume). */
export const DEFAULT_RTMPS_PORT = 443;

export interface RtmpUrl {
  /** Host name or address (an IPv6 address without its brackets). */
  host: string;
  port: number;
  /** rtmps://: RTMP inside TLS. */
  secure: boolean;
  /** Everything between the host and the last path segment, e.g. `live` or `live/instance`. */
  app: string;
  /** The last path segment with the URL's query, as sent in publish/play. */
  stream: string;
  /** rtmp[s]://host:port/app, as sent in connect. */
  tcUrl: string;
}

/**
 *   rtmp[s]://host[:port]/app[/more/app]/stream[?query]
 * The last path segment is the stream, the rest the app (as ffmpeg sends them in connect and publish/play).
 */
export function parseRtmpUrl(url: string): RtmpUrl {
  const match = /^(rtmps?):\/\/(\[[0-9a-fA-F:.]+\]|[^/:?#[\]]+)(?::(\d{1,5}))?\/(.+)$/i.exec(url);
  if (!match) throw new RtmpError('RTMP_BAD_URL', `not an rtmp://host/app/stream URL: ${url}`);
  const [, scheme, hostPart, portText, path] = match;
  const secure = scheme.toLowerCase() === 'rtmps';
  const { name: pathPart, query } = splitQuery(path);
  const slash = pathPart.lastIndexOf('/');
  if (slash <= 0 || slash === pathPart.length - 1) {
    throw new RtmpError('RTMP_BAD_URL', `RTMP URL needs /app/stream: ${url}`);
  }
  const port = portText ? Number(portText) : secure ? DEFAULT_RTMPS_PORT : DEFAULT_RTMP_PORT;
  if (port < 1 || port > 65_535) throw new RtmpError('RTMP_BAD_URL', `bad port in ${url}`);
  const app = pathPart.slice(0, slash);
  const stream = pathPart.slice(slash + 1) + (query ? `?${query}` : '');
  const host = hostPart.startsWith('[') ? hostPart.slice(1, -1) : hostPart;
  return { host, port, secure, app, stream, tcUrl: `${secure ? 'rtmps' : 'rtmp'}://${hostPart}:${port}/${app}` };
}
