import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/** A request handler; returns false when the request is not its own so the next one may take it. */
export type HttpRoute = (req: IncomingMessage, res: ServerResponse) => boolean;

/** An Upgrade (WebSocket) handler; returns false when the request is not its own. */
export type UpgradeRoute = (req: IncomingMessage, socket: Duplex, head: Buffer) => boolean;

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) + 1 });
  res.end(`${text}\n`);
}
