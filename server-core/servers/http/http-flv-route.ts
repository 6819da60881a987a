import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { newContextId } from '../../hub/context-id.js';
import { flvTagFormat } from '../../hub/formats/flv-formats.js';
import type { StreamRegistry } from '../../hub/stream-registry.js';
import { flvHeaderFor } from './flv-header-for.js';
import { type HttpRoute, sendText } from './http-route.js';
import { parseStreamUrl } from './stream-url.js';

export interface HttpFlvOptions {
  registry: StreamRegistry;
  vhost: string;
  cors: boolean;
  logger: Logger;
}

/** HTTP-FLV: `GET /app/stream.flv` streams FLV tags (chunked, keep-alive off) until the publisher leaves. */
export function httpFlvRoute(options: HttpFlvOptions): HttpRoute {
  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const target = parseStreamUrl(req.url ?? '');
    if (!target || target.extension !== 'flv') return false;
    const source = options.registry.find({ vhost: options.vhost, app: target.app, stream: target.stream });
    if (!source) {
      sendText(res, 404, `stream not found: /${target.app}/${target.stream} is not being published`);
      return true;
    }
    const cid = newContextId();
    const ip = req.socket.remoteAddress ?? '';
    const log = options.logger.child({ cid, proto: 'http-flv' });
    const headers: Record<string, string> = {
      'Content-Type': 'video/x-flv',
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
    res.write(flvHeaderFor(source));
    log.info({ peer: ip, stream: `/${target.app}/${target.stream}` }, 'http-flv play started');
    const reader = source.addReader(
      flvTagFormat,
      { cid, protocol: 'http-flv', ip },
      {
        backlog: () => res.writableLength,
        write: (bytes) => res.write(bytes),
        end: () => res.end(),
        destroy: (reason) => {
          log.warn({ reason }, 'http-flv reader disconnected');
          res.destroy();
        },
      },
    );
    res.on('close', () => {
      reader.close();
      log.info({ bytes: reader.bytesSent, dropped: reader.framesDropped }, 'http-flv play ended');
    });
    return true;
  };
}
