import { SrtError } from './srt-error.js';
import { MAX_STREAM_ID_BYTES } from './stream-id-extension.js';

/**
 * What a caller asks for in its stream id. Accepted forms (Haivision access-control.md, and what SRS takes):
 *   #!::r=app/stream,m=publish|request[,u=user][,s=session][,key=value...]
 *   #!::h=app/stream,m=publish              (SRS: h names the path when r is absent)
 *   app/stream   app/stream?secret=x&k=v    (a bare path; mode request unless m=publish in the query)
 * Keys other than r, h, m, u, s, t land in `query`, as do `?a=b&c=d` parts of the resource. The whole id or its
 * values may be percent-encoded (ffmpeg 5.1 sends `%23%21%3A%3Ar%3D...`). The app is everything before the last
 * slash of the resource, the stream what follows it.
 */
export type SrtStreamMode = 'publish' | 'request';

export interface SrtStreamId {
  app: string;
  stream: string;
  mode: SrtStreamMode;
  query: Record<string, string>;
  user?: string;
  session?: string;
  /** The id as the caller sent it. */
  raw: string;
}

const PREFIX = '#!::';
/** Limits the query a caller can make us build. */
export const MAX_STREAM_ID_KEYS = 32;

export function parseStreamId(raw: string): SrtStreamId {
  if (raw.length === 0) throw bad('no stream id: expected #!::r=app/stream,m=publish or app/stream');
  if (Buffer.byteLength(raw) > MAX_STREAM_ID_BYTES) {
    throw new SrtError('SRT_TOO_LARGE', `stream id over ${MAX_STREAM_ID_BYTES} bytes`);
  }
  let text = raw;
  if (!text.startsWith(PREFIX) && text.startsWith('%')) {
    const whole = decode(text);
    if (whole.startsWith(PREFIX)) text = whole;
  }
  return text.startsWith(PREFIX) ? parseKeyed(text.slice(PREFIX.length), raw) : parseBare(text, raw);
}

function parseKeyed(body: string, raw: string): SrtStreamId {
  const query: Record<string, string> = Object.create(null);
  let resource: string | undefined;
  let host: string | undefined;
  let mode: string | undefined;
  let user: string | undefined;
  let session: string | undefined;
  let type: string | undefined;
  const pairs = body.split(',').filter((p) => p.length > 0);
  if (pairs.length > MAX_STREAM_ID_KEYS) throw new SrtError('SRT_TOO_LARGE', `over ${MAX_STREAM_ID_KEYS} keys`);
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw bad(`stream id item "${pair}" is not key=value`);
    const key = decode(pair.slice(0, eq)).trim();
    const value = pair.slice(eq + 1);
    if (key === 'r') resource = value;
    else if (key === 'h') host = value;
    else if (key === 'm') mode = decode(value);
    else if (key === 'u') user = decode(value);
    else if (key === 's') session = decode(value);
    else if (key === 't') type = decode(value);
    else setQuery(query, key, decode(value));
  }
  if (type !== undefined && type !== 'stream') throw bad(`stream id type t=${type}: only t=stream is served`);
  const path = resource ?? host;
  if (path === undefined) throw bad('stream id has no resource: expected r=app/stream');
  const { app, stream } = splitPath(path, query);
  const out: SrtStreamId = { app, stream, mode: modeOf(mode), query, raw };
  if (user !== undefined) out.user = user;
  if (session !== undefined) out.session = session;
  return out;
}

function parseBare(text: string, raw: string): SrtStreamId {
  const query: Record<string, string> = Object.create(null);
  const { app, stream } = splitPath(text, query);
  const mode = query.m;
  delete query.m;
  return { app, stream, mode: modeOf(mode), query, raw };
}

/** Splits `app/stream?k=v&k2=v2`, filling the query. */
function splitPath(path: string, query: Record<string, string>): { app: string; stream: string } {
  const q = path.indexOf('?');
  const rawPath = q >= 0 ? path.slice(0, q) : path;
  if (q >= 0) {
    const items = path
      .slice(q + 1)
      .split('&')
      .filter((s) => s.length > 0);
    if (items.length > MAX_STREAM_ID_KEYS) throw new SrtError('SRT_TOO_LARGE', `over ${MAX_STREAM_ID_KEYS} keys`);
    for (const item of items) {
      const eq = item.indexOf('=');
      if (eq === 0) throw bad(`stream id query item "${item}" has no key`);
      if (eq < 0) setQuery(query, decode(item), '');
      else setQuery(query, decode(item.slice(0, eq)), decode(item.slice(eq + 1)));
    }
  }
  const segments = decode(rawPath)
    .split('/')
    .filter((s) => s.length > 0);
  if (segments.length < 2) throw bad(`stream id resource "${rawPath}" is not app/stream`);
  for (const s of segments) {
    if (s === '.' || s === '..' || /[\x00-\x1f]/.test(s)) throw bad(`stream id resource "${rawPath}" is not a path`);
  }
  const stream = segments.pop()!;
  return { app: segments.join('/'), stream };
}

function setQuery(query: Record<string, string>, key: string, value: string): void {
  if (Object.keys(query).length >= MAX_STREAM_ID_KEYS)
    throw new SrtError('SRT_TOO_LARGE', `over ${MAX_STREAM_ID_KEYS} keys`);
  query[key] = value;
}

function modeOf(m: string | undefined): SrtStreamMode {
  if (m === undefined || m === 'request' || m === 'play') return 'request';
  if (m === 'publish') return 'publish';
  throw bad(`stream id mode m=${m}: expected publish or request`);
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw bad(`stream id holds a broken percent-escape: ${s}`);
  }
}

function bad(message: string): SrtError {
  return new SrtError('SRT_BAD_STREAM_ID', message);
}
