import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer } from 'ws';
import { CONSOLE_SUBPROTOCOL, type HttpServer, type OriginPolicy } from '../../server-core/index.js';
import { TALLY_METHODS, type TallyApi, type TallyEvent, type TallyMethod } from '../contract.js';
import { checkContractArguments } from '../contract-schemas.js';

export interface ConsoleHostOptions {
  api: TallyApi & { onEvent(listener: (event: TallyEvent) => void): () => void };
  /** The built renderer (dist/renderer). */
  staticDir: string;
  /** The one token check (Bearer, Basic, or the WebSocket token subprotocol); passes when no token is set. */
  authorize: (req: IncomingMessage) => boolean;
  /** Host and Origin checks: no other web page may drive the console. */
  policy: OriginPolicy;
}

const MAX_BODY_BYTES = 1024 * 1024;
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/**
 * The browser console: the renderer build at /console/, the app contract at POST /console/api/<method> (JSON array
 * of arguments in, `{ok, result | error}` out) and its events over a WebSocket at /console/events.
 */
export function mountConsole(listener: HttpServer, options: ConsoleHostOptions): () => void {
  const methods = new Set<string>(TALLY_METHODS);
  const root = resolve(options.staticDir);

  const removeRoute = listener.addRoute((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/' || url.pathname === '/console') {
      res.writeHead(302, { Location: '/console/' });
      res.end();
      return true;
    }
    if (!url.pathname.startsWith('/console/')) return false;
    if (url.pathname.startsWith('/console/api/')) {
      const refusal = options.policy.refusal(req, 'change');
      if (refusal) {
        sendJson(res, refusal.status, { ok: false, error: refusal.message });
        return true;
      }
      if (!options.authorize(req)) {
        sendJson(res, 401, { ok: false, error: 'authentication required' });
        return true;
      }
      const method = url.pathname.slice('/console/api/'.length);
      if (req.method !== 'POST' || !methods.has(method)) {
        sendJson(res, 404, { ok: false, error: `no method ${method}` });
        return true;
      }
      void call(options.api, method as TallyMethod, req, res);
      return true;
    }
    void serveStatic(root, url.pathname.slice('/console/'.length), res);
    return true;
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 4096,
    // Echo only the console's own subprotocol, never the one that carries the token.
    handleProtocols: (protocols) => (protocols.has(CONSOLE_SUBPROTOCOL) ? CONSOLE_SUBPROTOCOL : false),
  });
  const removeUpgrade = listener.addUpgrade((req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/console/events') return false;
    // Browsers do not apply CORS to WebSockets: the Origin and Host checks are all that keep other pages out.
    const refusal = options.policy.refusal(req, 'change');
    if (refusal) {
      socket.end(`HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${refusal.message}\n`);
      return true;
    }
    if (!options.authorize(req)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return true;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const unsubscribe = options.api.onEvent((event) => {
        // A browser that cannot keep up misses events rather than growing our memory.
        if (ws.bufferedAmount < 4 * 1024 * 1024) ws.send(JSON.stringify(event));
      });
      ws.on('close', unsubscribe);
      ws.on('error', () => ws.terminate());
    });
    return true;
  });

  return () => {
    removeRoute();
    removeUpgrade();
    for (const client of wss.clients) client.terminate();
    wss.close();
  };
}

async function call(api: TallyApi, method: TallyMethod, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let args: unknown[];
  try {
    args = checkContractArguments(method, await readArgs(req));
  } catch (error) {
    sendJson(res, 400, { ok: false, error: (error as Error).message });
    return;
  }
  try {
    const fn = api[method] as (...a: unknown[]) => Promise<unknown>;
    const result = await fn.apply(api, args);
    sendJson(res, 200, { ok: true, result: result ?? null });
  } catch (error) {
    sendJson(res, 200, { ok: false, error: (error as Error).message });
  }
}

async function readArgs(req: IncomingMessage): Promise<unknown[]> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('request too large');
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new Error('the body is not valid JSON');
  }
  if (!Array.isArray(parsed)) throw new Error('the body must be a JSON array of arguments');
  return parsed;
}

async function serveStatic(root: string, relativePath: string, res: ServerResponse): Promise<void> {
  const wanted = normalize(relativePath || 'index.html');
  let file = join(root, wanted);
  if (!file.startsWith(root + sep) && file !== root) {
    res.writeHead(403);
    res.end();
    return;
  }
  try {
    if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
  } catch {
    // Client-side routes fall back to the app shell.
    file = join(root, 'index.html');
  }
  if (!existsSync(file)) {
    res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('The console is not built yet: run `npm run build:renderer`.\n');
    return;
  }
  const body = await readFile(file);
  res.writeHead(200, {
    'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Length': body.length,
    'Cache-Control': file.endsWith('index.html') ? 'no-cache' : 'max-age=3600',
  });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
