import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MediaFile, MediaFileProvider } from '../../defs/media-file.js';
import { type HttpRoute, sendText } from './http-route.js';

/**
 * Serves files from outputs (HLS playlists, segments and parts, DASH manifests and segments) from memory. An
 * answer that is still pending (an LL-HLS blocking reload) is sent when it settles, on the same keep-alive
 * connection; a client that left meanwhile is simply not answered.
 */
export function mediaFileRoute(providers: () => readonly MediaFileProvider[], cors: boolean): HttpRoute {
  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const target = parseTarget(req.url ?? '');
    if (!target) return false;
    const slash = target.path.lastIndexOf('/');
    if (slash <= 0) return false;
    const app = target.path.slice(1, slash);
    const fileName = target.path.slice(slash + 1);
    for (const provider of providers()) {
      const answer = provider.file(app, fileName, target.query);
      if (!answer) continue;
      if (!(answer instanceof Promise)) {
        send(req, res, answer, cors);
        return true;
      }
      answer.then(
        (file) => {
          if (!res.destroyed && !res.headersSent) send(req, res, file, cors);
        },
        () => {
          if (!res.destroyed && !res.headersSent) sendText(res, 500, 'internal error');
        },
      );
      return true;
    }
    return false;
  };
}

function send(req: IncomingMessage, res: ServerResponse, file: MediaFile, cors: boolean): void {
  const body = typeof file.body === 'string' ? Buffer.from(file.body) : file.body;
  const headers: Record<string, string | number> = {
    'Content-Type': file.contentType,
    'Content-Length': body.length,
    'Cache-Control': file.cacheControl,
  };
  if (cors) headers['Access-Control-Allow-Origin'] = '*';
  res.writeHead(file.status ?? 200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

function parseTarget(rawUrl: string): { path: string; query: URLSearchParams } | undefined {
  try {
    const url = new URL(rawUrl, 'http://localhost');
    const path = decodeURIComponent(url.pathname);
    return path.includes('..') ? undefined : { path, query: url.searchParams };
  } catch {
    return undefined;
  }
}
