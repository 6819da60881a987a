import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import type { Admission, ClientContext } from '../../defs/admission.js';
import { newContextId } from '../../defs/context-id.js';
import { flvHeaderFor } from '../../formats/flv/flv-header-for.js';
import { flvTagFormat } from '../../formats/flv/from-packets.js';
import type { StreamRegistry } from '../../hub/stream-registry.js';
import type { UpgradeRoute } from './http-route.js';
import { parseStreamUrl, type StreamUrl } from './stream-url.js';

export interface WsFlvOptions {
  registry: StreamRegistry;
  vhost: string;
  logger: Logger;
  admission: Admission;
}

/** Players send nothing but control frames; a larger message is abuse. */
const MAX_INCOMING_MESSAGE = 64 * 1024;

/** WebSocket-FLV: an Upgrade on `/app/stream.flv`; each binary message carries FLV bytes (mpegts.js reads it). */
export function wsFlvRoute(options: WsFlvOptions): { route: UpgradeRoute; close: () => void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_INCOMING_MESSAGE });

  const refuse = (socket: Duplex, status: string, text: string) => {
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${text}\n`);
  };

  const serve = (req: IncomingMessage, socket: Duplex, head: Buffer, target: StreamUrl, client: ClientContext) => {
    const source = options.registry.find({ vhost: options.vhost, app: target.app, stream: target.stream });
    if (!source) {
      refuse(socket, '404 Not Found', `stream not found: /${target.app}/${target.stream} is not being published`);
      return;
    }
    const log = options.logger.child({ cid: client.cid, proto: 'ws-flv' });
    wss.handleUpgrade(req, socket, head, (ws) => {
      log.info({ peer: client.ip, stream: `/${target.app}/${target.stream}` }, 'ws-flv play started');
      ws.send(flvHeaderFor(source));
      const reader = source.addReader(
        flvTagFormat,
        { cid: client.cid, protocol: 'ws-flv', ip: client.ip },
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
        options.admission.departed('stop', client);
        log.info({ bytes: reader.bytesSent, dropped: reader.framesDropped }, 'ws-flv play ended');
      });
    });
  };

  const route: UpgradeRoute = (req, socket, head) => {
    const target = parseStreamUrl(req.url ?? '');
    if (target?.extension !== 'flv') return false;
    const client: ClientContext = {
      cid: newContextId(),
      ip: req.socket.remoteAddress ?? '',
      protocol: 'ws-flv',
      vhost: options.vhost,
      app: target.app,
      stream: target.stream,
      param: target.query.toString(),
      tcUrl: `ws://${req.headers.host ?? ''}/${target.app}`,
      referer: req.headers.referer ?? req.headers.origin,
    };
    options.admission.check('play', client).then(
      (verdict) => {
        if (verdict.allowed) serve(req, socket, head, target, client);
        else refuse(socket, '403 Forbidden', `play refused: ${verdict.reason}`);
      },
      () => refuse(socket, '500 Internal Server Error', 'internal error'),
    );
    return true;
  };
  return { route, close: () => wss.close() };
}
