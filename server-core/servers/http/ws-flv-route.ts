import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { type WebSocket, WebSocketServer } from 'ws';
import type { ClientContext } from '../../defs/admission.js';
import { newContextId } from '../../defs/context-id.js';
import { flvHeaderFor } from '../../formats/flv/flv-header-for.js';
import { flvTagFormat } from '../../formats/flv/from-packets.js';
import type { SessionPath } from '../session/session-path.js';
import type { UpgradeRoute } from './http-route.js';
import { parseStreamUrl } from './stream-url.js';

export interface WsFlvOptions {
  sessions: SessionPath;
  vhost: string;
  logger: Logger;
}

/** Players send nothing but control frames; a larger message is abuse. */
const MAX_INCOMING_MESSAGE = 64 * 1024;

/** WebSocket-FLV: an Upgrade on `/app/stream.flv`; each binary message carries FLV bytes (mpegts.js reads it). */
export function wsFlvRoute(options: WsFlvOptions): { route: UpgradeRoute; close: () => void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_INCOMING_MESSAGE });

  const refuse = (socket: Duplex, status: string, text: string) => {
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${text}\n`);
  };

  /** The upgrade completes only once the play is admitted, so a refusal is a plain HTTP status. */
  const serve = async (req: IncomingMessage, socket: Duplex, head: Buffer, client: ClientContext) => {
    const log = options.logger.child({ cid: client.cid, proto: 'ws-flv' });
    let ws: WebSocket | undefined;
    const pending: Buffer[] = [];
    const opened = await options.sessions.play({
      client,
      log,
      format: () => flvTagFormat,
      stillWanted: () => !socket.destroyed,
      beforeStart: (source) => pending.push(flvHeaderFor(source)),
      sink: {
        backlog: () => ws?.bufferedAmount ?? 0,
        write: (bytes) => {
          if (ws) ws.send(bytes, { binary: true });
          else pending.push(bytes);
        },
        end: () => ws?.close(1000, 'stream ended'),
        destroy: (reason) => {
          log.warn({ reason }, 'ws-flv reader disconnected');
          if (ws) ws.terminate();
          else socket.destroy();
        },
      },
    });
    if (!opened.ok) {
      if (opened.code === 'gone') return;
      if (opened.code === 'not-found') refuse(socket, '404 Not Found', `stream not found: ${opened.reason}`);
      else refuse(socket, '403 Forbidden', `play refused: ${opened.reason}`);
      return;
    }
    // Gone before the upgrade completed: the session still ends.
    socket.once('close', () => {
      if (!ws) opened.end();
    });
    wss.handleUpgrade(req, socket, head, (upgraded) => {
      ws = upgraded;
      for (const bytes of pending.splice(0)) upgraded.send(bytes, { binary: true });
      upgraded.on('error', (error) => log.debug({ err: error.message }, 'ws error'));
      upgraded.on('close', opened.end);
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
    serve(req, socket, head, client).catch(() => refuse(socket, '500 Internal Server Error', 'internal error'));
    return true;
  };
  return { route, close: () => wss.close() };
}
