import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { newContextId } from '../../hub/context-id.js';
import { flvTagFormat } from '../../hub/formats/flv-formats.js';
import type { StreamRegistry } from '../../hub/stream-registry.js';
import { flvHeaderFor } from './flv-header-for.js';
import type { UpgradeRoute } from './http-route.js';
import { parseStreamUrl } from './stream-url.js';

export interface WsFlvOptions {
  registry: StreamRegistry;
  vhost: string;
  logger: Logger;
  maxPayload?: number;
}

/** WebSocket-FLV: an Upgrade on `/app/stream.flv`; each binary message carries FLV bytes (mpegts.js reads it). */
export function wsFlvRoute(options: WsFlvOptions): { route: UpgradeRoute; close: () => void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload ?? 64 * 1024 });
  const route: UpgradeRoute = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const target = parseStreamUrl(req.url ?? '');
    if (!target || target.extension !== 'flv') return false;
    const source = options.registry.find({ vhost: options.vhost, app: target.app, stream: target.stream });
    if (!source) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\nstream not found\n');
      return true;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const cid = newContextId();
      const ip = req.socket.remoteAddress ?? '';
      const log = options.logger.child({ cid, proto: 'ws-flv' });
      log.info({ peer: ip, stream: `/${target.app}/${target.stream}` }, 'ws-flv play started');
      ws.send(flvHeaderFor(source));
      const reader = source.addReader(
        flvTagFormat,
        { cid, protocol: 'ws-flv', ip },
        {
          backlog: () => ws.bufferedAmount,
          write: (bytes) => ws.send(bytes, { binary: true }),
          end: () => ws.close(1000, 'stream ended'),
          destroy: (reason) => {
            log.warn({ reason }, 'ws-flv reader disconnected');
            ws.terminate();
          },
        },
      );
      ws.on('error', (error) => log.debug({ err: error.message }, 'ws error'));
      ws.on('close', () => {
        reader.close();
        log.info({ bytes: reader.bytesSent, dropped: reader.framesDropped }, 'ws-flv play ended');
      });
    });
    return true;
  };
  return { route, close: () => wss.close() };
}
