import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { newContextId } from '../../hub/context-id.js';
import type { StreamRegistry } from '../../hub/stream-registry.js';
import type { StreamSource } from '../../hub/stream-source.js';
import type { WireFormat } from '../../hub/wire-format.js';
import { type HttpRoute, sendText } from './http-route.js';
import { parseStreamUrl } from './stream-url.js';

export interface LiveHttpOptions {
  registry: StreamRegistry;
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
    const source = options.registry.find({ vhost: options.vhost, app: target.app, stream: target.stream });
    if (!source) {
      sendText(res, 404, `stream not found: /${target.app}/${target.stream} is not being published`);
      return true;
    }
    const cid = newContextId();
    const ip = req.socket.remoteAddress ?? '';
    const log = options.logger.child({ cid, proto: options.protocol });
    const headers: Record<string, string> = {
      'Content-Type': options.contentType,
      'Cache-Control': 'no-cache, no-store',
      Connection: 'close',
    };
    if (options.cors) headers['Access-Control-Allow-Origin'] = '*';
    res.writeHead(200, headers);
    if (req.method === 'HEAD') {
      res.end();
      return true;
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
      log.info({ bytes: reader.bytesSent, dropped: reader.framesDropped }, `${options.protocol} play ended`);
    });
    return true;
  };
}
