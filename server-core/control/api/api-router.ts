import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiBinary } from './api-binary.js';
import { API_CODES, ApiError } from './api-codes.js';
import type { OriginPolicy } from './origin-policy.js';

export interface ApiRequest {
  method: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body (POST/PUT), undefined otherwise. */
  body: unknown;
  req: IncomingMessage;
}

/** A handler returns the fields merged into SRS's envelope, e.g. `{ streams: [...] }`. */
export type ApiHandler = (
  request: ApiRequest,
) => Record<string, unknown> | ApiBinary | Promise<Record<string, unknown> | ApiBinary>;

export interface Envelope {
  server: string;
  service: string;
  pid: string;
}

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Routes `/api/...` requests to handlers and writes SRS's JSON envelope
 * `{"code":0,"server":...,"service":...,"pid":...,...}`; failures carry a non-zero code and a message.
 */
export class ApiRouter {
  private readonly routes: { method: string; pattern: RegExp; names: string[]; handler: ApiHandler }[] = [];
  private readonly rawRoutes: ((req: IncomingMessage, res: ServerResponse) => boolean)[] = [];

  constructor(
    private readonly envelope: () => Envelope,
    private readonly options: { policy: OriginPolicy; authorize: (req: IncomingMessage) => boolean },
  ) {}

  /** `path` may hold `:name` segments; a trailing slash is optional, as SRS accepts both. */
  add(method: string, path: string, handler: ApiHandler): void {
    const names: string[] = [];
    const source = path
      .replace(/\/$/, '')
      .split('/')
      .map((part) => {
        if (!part.startsWith(':')) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(part.slice(1));
        return '([^/]+)';
      })
      .join('/');
    this.routes.push({ method, pattern: new RegExp(`^${source}/?$`), names, handler });
  }

  /**
   * A route outside `/api/` on the API port that answers by itself (WebRTC signalling: SDP bodies, 201 and
   * Location, CORS for any origin). It gets neither the origin policy nor the API token check: it must authorize
   * its requests itself. Returns the removal.
   */
  addRaw(route: (req: IncomingMessage, res: ServerResponse) => boolean): () => void {
    this.rawRoutes.push(route);
    return () => {
      const i = this.rawRoutes.indexOf(route);
      if (i >= 0) this.rawRoutes.splice(i, 1);
    };
  }

  /** The HTTP route: takes `/api/` requests (and those of raw routes), leaves the rest. */
  readonly route = (req: IncomingMessage, res: ServerResponse): boolean => {
    for (const raw of this.rawRoutes) if (raw(req, res)) return true;
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith('/api/') && url.pathname !== '/api') return false;
    if (req.method === 'OPTIONS') {
      this.preflight(req, res);
      return true;
    }
    void this.handle(req, res, url);
    return true;
  };

  private preflight(req: IncomingMessage, res: ServerResponse): void {
    const headers = this.options.policy.preflightHeaders(req);
    res.writeHead(headers ? 204 : 403, headers ?? { 'Content-Type': 'text/plain' });
    res.end(headers ? undefined : 'cross-origin requests from this origin are not allowed: see api.corsOrigins\n');
  }

  private async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    try {
      const method = req.method ?? 'GET';
      const refusal = this.options.policy.refusal(req, method === 'GET' || method === 'HEAD' ? 'read' : 'change');
      if (refusal) throw new ApiError(API_CODES.FORBIDDEN, refusal.status, refusal.message);
      if (!this.options.authorize(req)) {
        throw new ApiError(API_CODES.UNAUTHORIZED, 401, 'authentication required: send the API token');
      }
      let pathMatched = false;
      for (const route of this.routes) {
        const match = route.pattern.exec(url.pathname);
        if (!match) continue;
        pathMatched = true;
        if (route.method !== method) continue;
        const params: Record<string, string> = {};
        route.names.forEach((name, i) => {
          params[name] = decodePathSegment(match[i + 1]);
        });
        const body = method === 'POST' || method === 'PUT' ? await readJson(req) : undefined;
        const data = await route.handler({ method, params, query: url.searchParams, body, req });
        if (data instanceof ApiBinary) {
          this.sendBinary(res, data, req);
          return;
        }
        this.send(res, 200, { code: API_CODES.SUCCESS, ...this.envelope(), ...data }, req);
        return;
      }
      if (pathMatched) throw new ApiError(API_CODES.METHOD_NOT_ALLOWED, 405, `${method} is not allowed here`);
      throw new ApiError(API_CODES.NOT_FOUND, 404, `no API at ${url.pathname}`);
    } catch (error) {
      const apiError =
        error instanceof ApiError ? error : new ApiError(API_CODES.INTERNAL, 500, (error as Error).message);
      this.send(res, apiError.httpStatus, { code: apiError.code, ...this.envelope(), message: apiError.message }, req);
    }
  }

  private sendBinary(res: ServerResponse, data: ApiBinary, req: IncomingMessage): void {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(200, {
      'Content-Type': data.contentType,
      'Content-Length': data.body.length,
      'Cache-Control': 'no-cache',
      ...this.options.policy.corsHeaders(req),
    });
    res.end(req.method === 'HEAD' ? undefined : data.body);
  }

  private send(res: ServerResponse, status: number, body: unknown, req?: IncomingMessage): void {
    if (res.headersSent || res.destroyed) return;
    const text = JSON.stringify(body);
    const headers: Record<string, string | number> = {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
      'Cache-Control': 'no-cache',
    };
    if (req) Object.assign(headers, this.options.policy.corsHeaders(req));
    res.writeHead(status, headers);
    res.end(text);
  }
}

/** A percent-escaped path segment; a bad escape is the client's error (400), not ours. */
function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ApiError(API_CODES.BAD_REQUEST, 400, `bad percent-escape in the path: ${segment.slice(0, 64)}`);
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ApiError(API_CODES.BAD_REQUEST, 413, 'request body too large');
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ApiError(API_CODES.BAD_REQUEST, 400, 'request body is not valid JSON');
  }
}
