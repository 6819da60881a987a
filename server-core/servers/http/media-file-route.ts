import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MediaFileProvider } from '../../defs/media-file.js';
import type { HttpRoute } from './http-route.js';

/** Serves files from outputs (HLS playlists and segments, DASH manifests and segments) from memory. */
export function mediaFileRoute(providers: () => readonly MediaFileProvider[], cors: boolean): HttpRoute {
  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = safePath(req.url ?? '');
    if (!path) return false;
    const slash = path.lastIndexOf('/');
    if (slash <= 0) return false;
    const app = path.slice(1, slash);
    const fileName = path.slice(slash + 1);
    for (const provider of providers()) {
      const file = provider.file(app, fileName);
      if (!file) continue;
      const body = typeof file.body === 'string' ? Buffer.from(file.body) : file.body;
      const headers: Record<string, string | number> = {
        'Content-Type': file.contentType,
        'Content-Length': body.length,
        'Cache-Control': file.cacheControl,
      };
      if (cors) headers['Access-Control-Allow-Origin'] = '*';
      res.writeHead(200, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
      return true;
    }
    return false;
  };
}

function safePath(rawUrl: string): string | undefined {
  try {
    const path = decodeURIComponent(new URL(rawUrl, 'http://localhost').pathname);
    return path.includes('..') ? undefined : path;
  } catch {
    return undefined;
  }
}
