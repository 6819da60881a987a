import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Admission, ClientContext } from '../../defs/admission.js';
import { newContextId } from '../../defs/context-id.js';
import type { StreamRegistry } from '../../hub/stream-registry.js';
import type { StreamSource } from '../../hub/stream-source.js';
import type { WireFormat } from '../../hub/wire-format.js';
import { type HttpRoute, sendText } from './http-route.js';
import { parseStreamUrl, type StreamUrl } from './stream-url.js';

export interface LiveHttpOptions {
  registry: StreamRegistry;
  vhost: string;
  cors: boolean;
  logger: Logger;
  admission: Admission;
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
    options.admission.check('play', client).then(
      (verdict) => {
        if (!verdict.allowed) {
          log.warn({ peer: ip, reason: verdict.reason }, `${options.protocol} play refused`);
          sendText(res, 403, `play refused: ${verdict.reason}`);
          return;
        }
        serve(req, res, target, client, log);
      },
      (error: Error) => {
        log.error({ err: error.message }, 'admission failed');
        if (!res.headersSent) sendText(res, 500, 'internal error');
      },
    );
    return true;
  };

  function serve(
    req: IncomingMessage,
    res: ServerResponse,
    target: StreamUrl,
    client: ClientContext,
    log: Logger,
  ): void {
    const { cid, ip } = client;
    if (res.destroyed) return;
    const source = options.registry.find({ vhost: options.vhost, app: target.app, stream: target.stream });
    if (!source) {
      sendText(res, 404, `stream not found: /${target.app}/${target.stream} is not being published`);
      return;
    }
    const headers: Record<string, string> = {
      'Content-Type': options.contentType,
      'Cache-Control': 'no-cache, no-store',
      Connection: 'close',
    };
    if (options.cors) headers['Access-Control-Allow-Origin'] = '*';
    res.writeHead(200, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    res.socket?.setNoDelay(true);
    if (options.preamble) res.write(options.preamble(source));
    log.info({ peer: ip, stream: `/${target.app}/${target.stream}` }, `${options.protocol} play started`);
    const reader = source.addReader(
      options.format(source),
      { cid, protocol: options.protocol, ip },
      {
        backlog: () => res.writableLength,
        write: (bytes) => res.write(bytes),
        end: () => res.end(),
        destroy: (reason) => {
          log.warn({ reason }, `${options.protocol} reader disconnected`);
          res.destroy();
        },
      },
    );
    res.on('close', () => {
      reader.close();
      options.admission.departed('stop', client);
      log.info({ bytes: reader.bytesSent, dropped: reader.framesDropped }, `${options.protocol} play ended`);
    });
  }
}
