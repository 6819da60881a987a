import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { listen } from '../listen.js';
import { type HttpRoute, sendText, type UpgradeRoute } from './http-route.js';

export interface HttpServerOptions {
  host: string;
  port: number;
  cors: boolean;
  headersTimeoutMs: number;
  logger: Logger;
}

/**
 * An HTTP listener that hands each request to its routes in order (media on 8080; API and console on 1985).
 * Routes may come and go while it runs; the server itself knows no URLs.
 */
export class HttpServer {
  private server?: Server;
  private readonly routes: HttpRoute[] = [];
  private readonly upgrades: UpgradeRoute[] = [];
  private readonly sockets = new Set<Socket>();

  constructor(private options: HttpServerOptions) {}

  /** Moves the listener to another address or port, keeping its routes (config reload). */
  async rebind(host: string, port: number): Promise<void> {
    await this.close();
    this.options = { ...this.options, host, port };
    await this.start();
  }

  /** Adds a route (tried in order); returns its removal. */
  addRoute(route: HttpRoute): () => void {
    this.routes.push(route);
    return () => {
      const i = this.routes.indexOf(route);
      if (i >= 0) this.routes.splice(i, 1);
    };
  }

  addUpgrade(route: UpgradeRoute): () => void {
    this.upgrades.push(route);
    return () => {
      const i = this.upgrades.indexOf(route);
      if (i >= 0) this.upgrades.splice(i, 1);
    };
  }

  async start(): Promise<void> {
    // Timeouts are checked every interval: keep it short so slow-header (slowloris) sockets go in time.
    const server = createServer(
      { connectionsCheckingInterval: Math.min(1000, this.options.headersTimeoutMs / 2) },
      (req, res) => this.onRequest(req, res),
    );
    server.headersTimeout = this.options.headersTimeoutMs;
    server.requestTimeout = this.options.headersTimeoutMs * 3;
    server.keepAliveTimeout = 5_000;
    server.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
      this.options.logger.debug({ err: error.message, code: error.code }, 'bad http request');
      // HTTP sockets are half-open capable: end() alone would leave the peer's side open. Answer, then close.
      if (socket.writable && error.code !== 'ERR_HTTP_REQUEST_TIMEOUT') {
        socket.write('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      }
      socket.destroy();
    });
    this.server = server;
    await listen(server, this.options.host, this.options.port);
    this.options.logger.info({ host: this.options.host, port: this.port }, 'http listening');
  }

  get port(): number {
    const address = this.server?.address();
    return address && typeof address === 'object' ? address.port : this.options.port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    if (!isParsableTarget(req.url)) {
      sendText(res, 400, 'bad request target');
      return;
    }
    try {
      if (req.method === 'OPTIONS' && this.options.cors) {
        res.writeHead(204, {
          'Access-Control-Allow-Origin': '*',
          'Access-Control-Allow-Methods': 'GET, HEAD, POST, DELETE, OPTIONS',
          'Access-Control-Allow-Headers': '*',
          'Access-Control-Max-Age': '86400',
        });
        res.end();
        return;
      }
      for (const route of this.routes) if (route(req, res)) return;
      sendText(res, 404, `not found: ${req.url ?? ''}`);
    } catch (error) {
      this.options.logger.error({ err: (error as Error).message, url: req.url }, 'http handler failed');
      if (!res.headersSent) sendText(res, 500, 'internal error');
      else res.destroy();
    }
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    if (!isParsableTarget(req.url)) {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      return;
    }
    try {
      for (const route of this.upgrades) if (route(req, socket, head)) return;
    } catch (error) {
      this.options.logger.error({ err: (error as Error).message, url: req.url }, 'upgrade handler failed');
    }
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
  }
}

/** Routes parse the target as a URL: one that cannot be parsed is the client's error, answered before them. */
function isParsableTarget(target: string | undefined): boolean {
  if (!target) return false;
  try {
    new URL(target, 'http://localhost');
    return true;
  } catch {
    return false;
  }
}
