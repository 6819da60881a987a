import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { ClientContext } from '../../defs/admission.js';
import { newContextId } from '../../defs/context-id.js';
import type { StreamSource } from '../../hub/stream-source.js';
import type { WireFormat } from '../../hub/wire-format.js';
import type { SessionPath } from '../session/session-path.js';
import { type HttpRoute, sendText } from './http-route.js';
import { parseStreamUrl } from './stream-url.js';

export interface LiveHttpOptions {
  sessions: SessionPath;
  vhost: string;
  cors: boolean;
  logger: Logger;
  /** `flv` for HTTP-FLV, `ts` for HTTP-TS. */
  extension: string;
  protocol: string;
  contentType: string;
  format: (source: StreamSource) => WireFormat;
  /** Bytes a reader gets once before the stream (the FLV file header). */
  preamble?: (source: StreamSource) => Buffer;
}

/**
 * A live stream over one long HTTP response (HTTP-FLV, HTTP-TS): chunked, keep-alive off, until the
 * publisher leaves. Readers share the format's bytes; the response only adds its chunk framing.
 */
export function liveHttpRoute(options: LiveHttpOptions): HttpRoute {
  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const target = parseStreamUrl(req.url ?? '');
    if (!target || target.extension !== options.extension) return false;
    const cid = newContextId();
    const ip = req.socket.remoteAddress ?? '';
    const log = options.logger.child({ cid, proto: options.protocol });
    const client: ClientContext = {
      cid,
      ip,
      protocol: options.protocol,
      vhost: options.vhost,
      app: target.app,
      stream: target.stream,
      param: target.query.toString(),
      tcUrl: `http://${req.headers.host ?? ''}/${target.app}`,
      referer: req.headers.referer,
    };
    void serve(req, res, client, log).catch((error: Error) => {
      log.error({ err: error.message }, `${options.protocol} play failed`);
      if (!res.headersSent) sendText(res, 500, 'internal error');
      else res.destroy();
    });
    return true;
  };

  async function serve(req: IncomingMessage, res: ServerResponse, client: ClientContext, log: Logger): Promise<void> {
    const opened = await options.sessions.play({
      client,
      log,
      format: options.format,
      stillWanted: () => !res.destroyed,
      beforeStart: (source) => {
        const headers: Record<string, string> = {
          'Content-Type': options.contentType,
          'Cache-Control': 'no-cache, no-store',
          Connection: 'close',
        };
        if (options.cors) headers['Access-Control-Allow-Origin'] = '*';
        res.writeHead(200, headers);
        res.socket?.setNoDelay(true);
        if (options.preamble && req.method !== 'HEAD') res.write(options.preamble(source));
      },
      sink: {
        backlog: () => res.writableLength,
        write: (bytes) => res.write(bytes),
        end: () => res.end(),
        destroy: (reason) => {
          log.warn({ reason }, `${options.protocol} reader disconnected`);
          res.destroy();
        },
      },
    });
    if (!opened.ok) {
      if (opened.code === 'gone') return;
      if (opened.code === 'not-found') sendText(res, 404, `stream not found: ${opened.reason}`);
      else sendText(res, 403, `play refused: ${opened.reason}`);
      return;
    }
    res.on('close', opened.end);
    // HEAD: the headers say what GET would serve, then the reader leaves at once.
    if (req.method === 'HEAD') res.end();
  }
}
