import type { IncomingMessage } from 'node:http';
import { networkInterfaces } from 'node:os';
import { isLoopbackHost } from './api-auth.js';

export interface OriginPolicyOptions {
  /** Web origins (scheme://host[:port]) allowed to call the API from their pages; `*` allows any. */
  corsOrigins: () => readonly string[];
  /** Host names (besides loopback and this machine's addresses) a request may be addressed to. */
  allowedHosts: () => readonly string[];
  /** Whether an API token is required: then any origin may call with it, and DNS rebinding gains nothing. */
  tokenRequired: () => boolean;
}

/** A refusal: status and a message that says what to change. */
export interface OriginRefusal {
  status: 403 | 415;
  message: string;
}

/** Content types a browser sends cross-site without asking first (the "simple" requests of the Fetch spec). */
const SIMPLE_CONTENT_TYPES = new Set(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']);
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/** What a request may do, which decides how much of the origin check applies. */
export type RequestEffect = 'read' | 'change';

/**
 * Browser-origin safety for a local app's private listener (API and console on 1985). A web page the user opens
 * can make the browser send requests to 127.0.0.1; this decides which of them to serve:
 * - Host must name this machine (loopback, one of its addresses, or api.allowedHosts), so a DNS-rebound name
 *   pointing at 127.0.0.1 cannot read the API (unless a token is required, which the page does not have).
 * - A request that comes from a browser page (Origin, or Sec-Fetch-Site other than same-origin/none) must be
 *   from the console's own origin or an allowed one; a state-changing one must also carry a non-simple
 *   content type (application/json), which no page can send cross-site without a preflight we refuse.
 * - CORS headers go only to allowed origins (api.corsOrigins), or to any origin when a token is required.
 * Requests from programs (curl, ffmpeg, SRS tools) carry no Origin or Sec-Fetch-Site and are unaffected.
 */
export class OriginPolicy {
  constructor(private readonly options: OriginPolicyOptions) {}

  /**
   * Why this request must not be served, or undefined to serve it. Reads only need the Host check (a foreign
   * page cannot read an answer without CORS headers); changes (any method with an effect, a WebSocket upgrade,
   * SRS's GET reload) need an allowed origin too.
   */
  refusal(req: IncomingMessage, effect: RequestEffect): OriginRefusal | undefined {
    if (!this.options.tokenRequired() && !this.hostAllowed(req.headers.host)) {
      return {
        status: 403,
        message: `Host ${req.headers.host ?? '(none)'} is not this machine: add it to api.allowedHosts to use that name`,
      };
    }
    if (effect === 'read') return undefined;
    const origin = browserOrigin(req);
    if (origin === undefined) return undefined;
    if (!this.originAllowed(origin, req)) {
      return {
        status: 403,
        message: `requests from pages on ${origin} are refused: add it to api.corsOrigins (or set api.token) to allow it`,
      };
    }
    if (WITH_BODY.has(req.method ?? '') && isSimpleContentType(req.headers['content-type'])) {
      return { status: 415, message: 'send the request body as application/json' };
    }
    return undefined;
  }

  /** CORS response headers for this request (none for programs or for origins that are not allowed). */
  corsHeaders(req: IncomingMessage): Record<string, string> {
    const origin = req.headers.origin;
    if (!origin || origin === 'null' || this.isSameOrigin(origin, req) || !this.crossOriginAllowed(origin)) return {};
    return {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Credentials': 'true',
      'Access-Control-Expose-Headers': 'Location, Content-Type',
      Vary: 'Origin',
    };
  }

  /** The answer to a CORS preflight, or undefined when the origin is not allowed (then 403). */
  preflightHeaders(req: IncomingMessage): Record<string, string> | undefined {
    const headers = this.corsHeaders(req);
    if (!headers['Access-Control-Allow-Origin']) return undefined;
    return {
      ...headers,
      'Access-Control-Allow-Methods': 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS',
      'Access-Control-Allow-Headers': 'Authorization, Content-Type, If-Match',
      'Access-Control-Max-Age': '600',
    };
  }

  hostAllowed(hostHeader: string | undefined): boolean {
    if (!hostHeader) return false;
    const host = hostName(hostHeader).toLowerCase();
    if (isLoopbackHost(host) || host === 'localhost.' || host.endsWith('.localhost')) return true;
    const allowed = this.options.allowedHosts();
    if (allowed.includes('*') || allowed.some((h) => h.toLowerCase() === host)) return true;
    return localAddresses().has(host);
  }

  private originAllowed(origin: string, req: IncomingMessage): boolean {
    return this.isSameOrigin(origin, req) || this.crossOriginAllowed(origin);
  }

  private crossOriginAllowed(origin: string): boolean {
    if (this.options.tokenRequired()) return true;
    const allowed = this.options.corsOrigins();
    return allowed.includes('*') || allowed.includes(origin.toLowerCase());
  }

  private isSameOrigin(origin: string, req: IncomingMessage): boolean {
    try {
      const url = new URL(origin);
      return (
        (url.protocol === 'http:' || url.protocol === 'https:') && url.host === (req.headers.host ?? '').toLowerCase()
      );
    } catch {
      return false;
    }
  }
}

/**
 * The web origin a browser says the request comes from. `Sec-Fetch-Site: cross-site` without an Origin (an
 * <img> or a navigation) counts as a foreign page with an unknown origin.
 */
function browserOrigin(req: IncomingMessage): string | undefined {
  const origin = req.headers.origin;
  if (origin) return origin;
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return `(a ${site} page)`;
  return undefined;
}

function isSimpleContentType(header: string | undefined): boolean {
  if (!header) return true;
  return SIMPLE_CONTENT_TYPES.has(header.split(';')[0].trim().toLowerCase());
}

/** `host:port`, `[v6]:port` or a bare name → the name or address alone. */
function hostName(hostHeader: string): string {
  if (hostHeader.startsWith('[')) return hostHeader.slice(1, hostHeader.indexOf(']'));
  const colon = hostHeader.lastIndexOf(':');
  return colon > 0 && hostHeader.indexOf(':') === colon ? hostHeader.slice(0, colon) : hostHeader;
}

let cachedAddresses: { at: number; set: Set<string> } | undefined;
const ADDRESS_CACHE_MS = 5000;

/** This machine's own addresses (any interface), refreshed every few seconds as networks come and go. */
function localAddresses(): Set<string> {
  const now = Date.now();
  if (cachedAddresses && now - cachedAddresses.at < ADDRESS_CACHE_MS) return cachedAddresses.set;
  const set = new Set<string>();
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) set.add(a.address.toLowerCase());
  cachedAddresses = { at: now, set };
  return set;
}
