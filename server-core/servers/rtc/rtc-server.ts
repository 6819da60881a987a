import { randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { networkInterfaces } from 'node:os';
import type { Logger } from 'pino';
import { parseAvcDecoderConfig } from '../../codec/h264/avcc.js';
import type { ClientContext } from '../../defs/admission.js';
import { newContextId } from '../../defs/context-id.js';
import { H264RtpFormat, RTP_FORMAT_ID } from '../../formats/rtp/h264-rtp-format.js';
import type { StreamRegistry } from '../../hub/stream-registry.js';
import type { StreamSource } from '../../hub/stream-source.js';
import type { RtcpPacket } from '../../protocol/rtp/index.js';
import {
  formatIceRestartFragment,
  type H264ProfileLevel,
  parseTrickleIceFragment,
  SdpError,
  TRICKLE_ICE_SDPFRAG,
} from '../../protocol/sdp/index.js';
import type { RefusalCode, SessionPath } from '../session/session-path.js';
import type { RtcAudioBridges } from './rtc-audio-bridges.js';
import type { RtcSession } from './rtc-session.js';
import { type CreatedRtcSession, RtcTransport } from './rtc-transport.js';
import { WhepPlaySink } from './whep-play-sink.js';
import { WhipPublishFeed } from './whip-publish-feed.js';

/** Largest SDP offer (or SRS JSON body) accepted. */
export const MAX_OFFER_BYTES = 64 * 1024;
/** A publisher gets at most one PLI per this many ms, however many viewers ask (werift research: 500 ms). */
export const PLI_INTERVAL_MS = 500;
export const RTC_PATH_PREFIX = '/rtc/v1/';
const PORT_ZERO_ATTEMPTS = 5;
/** A connected WHIP publisher that sends no RTP for this long is closed (ICE consent alone does not keep it). */
export const PUBLISH_IDLE_TIMEOUT_MS = 20_000;
const IDLE_CHECK_MS = 1_000;

export interface RtcServerOptions {
  host: string;
  port: number;
  /** Extra addresses / host names announced as ICE candidates. */
  candidates: readonly string[];
  maxViewers: number;
  /** Sessions answered but not yet connected, at once (a flood of offers holds no more). */
  maxConnecting: number;
  /** Send worker threads (resolved: 'auto' is the module's to decide). */
  sendWorkers: number;
  sendWorkerScript?: URL | string;
  vhost: string;
  sessions: SessionPath;
  registry: StreamRegistry;
  /** AAC↔Opus for WebRTC streams and viewers. */
  audio: RtcAudioBridges;
  logger: Logger;
  now: () => number;
}

type Role = 'whip' | 'whep';

interface Resource {
  id: string;
  role: Role;
  session: RtcSession;
  /** The ETag of the session's current ICE generation (RFC 9725 4.3: a PATCH's If-Match names it). */
  etag: string;
  end: () => void;
}

interface PublisherEntry {
  session: RtcSession;
  feed: WhipPublishFeed;
  lastPliMs: number;
  lastRtpMs: number;
}

interface CreatedResource {
  answer: string;
  id: string;
  etag: string;
}

class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const REFUSAL_STATUS: Record<RefusalCode, number> = {
  refused: 403,
  busy: 409,
  'invalid-name': 400,
  closed: 503,
  'not-found': 404,
  gone: 499,
};

/**
 * CORS for /rtc/v1/ (decided here, narrowly): WHIP/WHEP players and publishers are web pages on other origins,
 * so these routes answer any origin. That is safe because nothing here is authorized by the API token or by the
 * browser's ambient credentials: a publish needs the publish secret (?secret= or Authorization: Bearer) through
 * the session path's admission, a play is what any HTTP-FLV player may do, and DELETE needs the unguessable
 * resource id that only the creator received. No cookies are read, so no Allow-Credentials.
 */
const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'POST, DELETE, PATCH, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, Authorization, If-Match',
  'Access-Control-Expose-Headers': 'Location, ETag, Link',
  'Access-Control-Max-Age': '600',
};

/**
 * WebRTC publish (WHIP) and play (WHEP) over the shared RtcTransport, with HTTP signalling on the API port:
 *   POST /rtc/v1/whip/?app=live&stream=cam  (SDP offer) → 201, answer, Location /rtc/v1/whip/<id>
 *   POST /rtc/v1/whep/?app=live&stream=cam  (SDP offer) → 201, answer, Location /rtc/v1/whep/<id>
 *   DELETE <Location>                        → 200, the session ends
 *   PATCH <Location> (trickle-ice-sdpfrag)   → 204 (candidates), 200 + our new credentials (ICE restart)
 *   POST /rtc/v1/publish/, /rtc/v1/play/     SRS JSON {sdp, streamurl} → {code: 0, sdp, sessionid}
 * Publishers and viewers open through the session path (admission, hooks, registry, logs).
 */
export class RtcServer {
  private transport?: RtcTransport;
  private readonly resources = new Map<string, Resource>();
  private readonly publishers = new Map<StreamSource, PublisherEntry>();
  private viewers = 0;
  /** Every WHEP viewer's sink: sender reports go out once a second with the idle check. */
  private readonly sinks = new Set<WhepPlaySink>();
  private closed = false;
  private idleTimer?: NodeJS.Timeout;

  constructor(private readonly options: RtcServerOptions) {}

  async start(): Promise<void> {
    const announce = await announceAddresses(this.options.host, this.options.candidates, this.options.logger);
    // Port 0 (tests): the free UDP port's TCP twin may be taken; another pick usually is not.
    for (let attempt = 1; ; attempt++) {
      const transport = new RtcTransport({
        host: this.options.host,
        port: this.options.port,
        announce,
        logger: this.options.logger,
        sendWorkers: this.options.sendWorkers,
        sendWorkerScript: this.options.sendWorkerScript,
      });
      try {
        await transport.start();
        this.transport = transport;
        break;
      } catch (error) {
        transport.close();
        const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
        if (!inUse || this.options.port !== 0 || attempt >= PORT_ZERO_ATTEMPTS) throw error;
      }
    }
    this.idleTimer = setInterval(() => {
      this.closeIdlePublishers();
      for (const sink of this.sinks) sink.sendReports();
    }, IDLE_CHECK_MS);
    this.idleTimer.unref();
    this.options.logger.info({ port: this.transport?.udpAddress.port, announce }, 'webrtc listening (udp + ice-tcp)');
  }

  get udpPort(): number | undefined {
    return this.transport?.udpAddress.port;
  }

  get rtcTransport(): RtcTransport | undefined {
    return this.transport;
  }

  /** PLIs sent to WHIP publishers (viewers' requests, throttled, plus one at each connect). */
  plisSent = 0;

  /** Live WHIP/WHEP sessions by role, and the send worker threads carrying viewers. */
  counts(): { publishers: number; viewers: number; sendWorkers: number } {
    return {
      publishers: this.publishers.size,
      viewers: this.viewers,
      sendWorkers: this.transport?.sendWorkers ?? 0,
    };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.idleTimer) clearInterval(this.idleTimer);
    for (const r of [...this.resources.values()]) r.end();
    this.options.audio.close();
    this.transport?.close();
  }

  /** The HTTP route for the API port: takes /rtc/v1/ requests, leaves the rest. */
  readonly route = (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith(RTC_PATH_PREFIX)) return false;
    void this.handle(req, res, url);
    return true;
  };

  private async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? 'GET';
    const path = url.pathname.replace(/\/+$/, '');
    const srs = path === '/rtc/v1/publish' || path === '/rtc/v1/play';
    try {
      if (method === 'OPTIONS') {
        res.writeHead(204, CORS_HEADERS);
        res.end();
        return;
      }
      const resource = /^\/rtc\/v1\/(whip|whep)\/([0-9a-f]{32})$/.exec(path);
      if (resource) {
        if (method !== 'DELETE' && method !== 'PATCH') throw new HttpRefusal(405, `${method} is not allowed here`);
        const r = this.resources.get(resource[2]);
        if (!r || r.role !== resource[1]) throw new HttpRefusal(404, 'no such session');
        if (method === 'PATCH') {
          await this.patch(req, res, r);
          return;
        }
        r.end();
        res.writeHead(200, { ...CORS_HEADERS, 'Content-Type': 'text/plain' });
        res.end('ended\n');
        return;
      }
      const role: Role | undefined =
        path === '/rtc/v1/whip' || path === '/rtc/v1/publish'
          ? 'whip'
          : path === '/rtc/v1/whep' || path === '/rtc/v1/play'
            ? 'whep'
            : undefined;
      if (!role) throw new HttpRefusal(404, `no WebRTC endpoint at ${url.pathname}`);
      if (method !== 'POST') throw new HttpRefusal(405, `${method} is not allowed here (POST an SDP offer)`);
      const body = await readBody(req);
      let offer: string;
      let target: { app: string; stream: string; param: URLSearchParams; host: string };
      if (srs) {
        const json = parseJson(body);
        offer = typeof json.sdp === 'string' ? json.sdp : '';
        target = streamUrlTarget(typeof json.streamurl === 'string' ? json.streamurl : '');
      } else {
        offer = body;
        target = {
          app: url.searchParams.get('app') ?? 'live',
          stream: url.searchParams.get('stream') ?? '',
          param: new URLSearchParams(url.searchParams),
          host: req.headers.host ?? 'localhost',
        };
        target.param.delete('app');
        target.param.delete('stream');
      }
      if (!target.stream) throw new HttpRefusal(400, 'stream name missing (?app=live&stream=...)');
      const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
      if (bearer && !target.param.has('secret')) target.param.set('secret', bearer);
      const client: ClientContext = {
        cid: newContextId(),
        ip: normalizeIp(req.socket.remoteAddress),
        protocol: role === 'whip' ? 'whip' : 'whep',
        vhost: this.options.vhost,
        app: target.app,
        stream: target.stream,
        param: target.param.toString(),
        tcUrl: `webrtc://${target.host}/${target.app}`,
        referer: typeof req.headers.referer === 'string' ? req.headers.referer : undefined,
      };
      const created = role === 'whip' ? await this.publish(client, offer) : await this.play(client, offer);
      if (srs) {
        sendJson(res, { code: 0, server: 'tally', sdp: created.answer, sessionid: created.id });
        return;
      }
      res.writeHead(201, {
        ...CORS_HEADERS,
        'Content-Type': 'application/sdp',
        Location: `/rtc/v1/${role}/${created.id}`,
        ETag: created.etag,
      });
      res.end(created.answer);
    } catch (error) {
      const status =
        error instanceof HttpRefusal
          ? error.status
          : error instanceof SdpError
            ? 400
            : error instanceof Error && error.name === 'RtcError'
              ? 503
              : 500;
      const message = error instanceof Error ? error.message : String(error);
      if (status >= 500) this.options.logger.warn({ path: url.pathname, err: message }, 'webrtc signalling failed');
      if (res.headersSent || res.destroyed) return;
      if (srs) {
        sendJson(res, { code: status, server: 'tally', message });
        return;
      }
      res.writeHead(status, { ...CORS_HEADERS, 'Content-Type': 'text/plain' });
      res.end(`${message}\n`);
    }
  }

  /**
   * PATCH on a session (RFC 9725 4.3): a trickle ICE fragment is taken with 204 (an ICE-lite server learns the
   * peer's addresses from its checks, so candidates change nothing); new credentials restart ICE and get ours
   * back with 200 and a new ETag. An If-Match other than * or the current ETag gets 412.
   */
  private async patch(req: IncomingMessage, res: ServerResponse, r: Resource): Promise<void> {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== TRICKLE_ICE_SDPFRAG) throw new HttpRefusal(415, `PATCH takes ${TRICKLE_ICE_SDPFRAG}`);
    const ifMatch = req.headers['if-match']?.trim();
    if (ifMatch && ifMatch !== '*' && ifMatch !== r.etag) {
      throw new HttpRefusal(412, "If-Match does not name the session's current ETag (an ICE restart changed it)");
    }
    const fragment = parseTrickleIceFragment(await readBody(req));
    if (r.session.closed) throw new HttpRefusal(404, 'no such session');
    if (fragment.ufrag === undefined || fragment.ufrag === r.session.ice.remoteUfrag) {
      res.writeHead(204, { ...CORS_HEADERS, ETag: r.etag });
      res.end();
      return;
    }
    const ours = this.requireTransport().restartIce(r.session, fragment.ufrag);
    r.etag = newEtag();
    this.options.logger.info({ cid: r.session.contextId, role: r.role }, 'webrtc ice restart');
    res.writeHead(200, { ...CORS_HEADERS, 'Content-Type': TRICKLE_ICE_SDPFRAG, ETag: r.etag });
    res.end(formatIceRestartFragment(ours.localUfrag, ours.localPwd));
  }

  /** The transport, if it can take one more session now. */
  private requireTransport(): RtcTransport {
    if (!this.transport || this.closed) throw new HttpRefusal(503, 'WebRTC is not running');
    if (this.transport.connecting >= this.options.maxConnecting) {
      throw new HttpRefusal(
        503,
        `too many WebRTC sessions still connecting (rtc.maxConnecting is ${this.options.maxConnecting}): try again shortly`,
      );
    }
    return this.transport;
  }

  private async publish(client: ClientContext, offer: string): Promise<CreatedResource> {
    const transport = this.requireTransport();
    const log = this.options.logger.child({ cid: client.cid });
    const created = transport.createSession({ offer, role: 'whip', contextId: client.cid });
    const session = created.session;
    const result = await this.options.sessions.publish({
      client,
      log,
      disconnect: () => session.close(),
      stillWanted: () => !session.closed,
    });
    if (!result.ok) {
      session.close();
      throw new HttpRefusal(REFUSAL_STATUS[result.code], result.reason);
    }
    const { source } = result;
    const feed = new WhipPublishFeed(
      (packet) => source.push(packet),
      this.options.now(),
      () => this.requestKeyframe(source),
    );
    const stopAudio = created.negotiated.audio ? this.options.audio.publishOpus(source) : () => {};
    const entry: PublisherEntry = { session, feed, lastPliMs: 0, lastRtpMs: this.options.now() };
    this.publishers.set(source, entry);
    session.on('rtp', (packet, kind) => {
      const now = this.options.now();
      entry.lastRtpMs = now;
      feed.push(packet, kind, now);
    });
    session.on('connected', () => {
      entry.lastRtpMs = this.options.now();
    });
    // The first keyframe as soon as the path is up (Chromium would otherwise wait for its next GOP).
    session.on('connected', () => this.requestKeyframe(source));
    const id = randomBytes(16).toString('hex');
    const end = () => {
      this.resources.delete(id);
      if (this.publishers.get(source) === entry) this.publishers.delete(source);
      stopAudio();
      session.close();
      result.end();
    };
    session.on('closed', end);
    const etag = newEtag();
    this.resources.set(id, { id, role: 'whip', session, etag, end });
    return { answer: created.answer, id, etag };
  }

  private async play(client: ClientContext, offer: string): Promise<CreatedResource> {
    const transport = this.requireTransport();
    if (this.viewers >= this.options.maxViewers) {
      throw new HttpRefusal(503, `too many WebRTC viewers (rtc.maxViewers is ${this.options.maxViewers})`);
    }
    const log = this.options.logger.child({ cid: client.cid });
    const existing = this.options.registry.find({ vhost: client.vhost, app: client.app, stream: client.stream });
    const videoCodec = existing?.track('video')?.codec;
    if (videoCodec !== undefined && videoCodec !== 'h264') {
      throw new HttpRefusal(406, `WebRTC viewers get H.264 only; this stream's video is ${videoCodec}`);
    }
    const created = transport.createSession({
      offer,
      role: 'whep',
      contextId: client.cid,
      sourceProfile: existing ? sourceProfile(existing) : undefined,
    });
    const session = created.session;
    this.viewers++;
    let counted = true;
    let playEnd = () => {};
    let releaseAudio = () => {};
    const id = randomBytes(16).toString('hex');
    const end = () => {
      this.resources.delete(id);
      if (counted) {
        counted = false;
        this.viewers--;
      }
      session.close();
      releaseAudio();
      this.sinks.delete(sink);
      playEnd();
    };
    const sink = new WhepPlaySink(created, end, this.options.now);
    this.sinks.add(sink);
    const result = await this.options.sessions.play({
      client,
      log,
      sink,
      format: (source) => source.statefulFormat(RTP_FORMAT_ID, () => new H264RtpFormat(source)),
      stillWanted: () => !session.closed,
    });
    if (!result.ok) {
      end();
      throw new HttpRefusal(REFUSAL_STATUS[result.code], result.reason);
    }
    playEnd = result.end;
    const source = result.source;
    if (created.negotiated.audio) releaseAudio = this.options.audio.viewerJoined(source);
    session.on('rtcp', (packets) => {
      sink.onRtcp(packets);
      if (wantsKeyframe(packets)) this.requestKeyframe(source);
    });
    session.on('connected', () => this.requestKeyframe(source));
    session.on('closed', end);
    if (session.closed) end();
    const etag = newEtag();
    this.resources.set(id, { id, role: 'whep', session, etag, end });
    logAudioGap(created, source, log);
    return { answer: created.answer, id, etag };
  }

  private closeIdlePublishers(): void {
    const now = this.options.now();
    for (const entry of [...this.publishers.values()]) {
      if (entry.session.state === 'connected' && now - entry.lastRtpMs > PUBLISH_IDLE_TIMEOUT_MS) {
        this.options.logger.info({ cid: entry.session.contextId }, 'whip publisher sent no media: closed');
        entry.session.close();
      }
    }
  }

  /** A PLI to the stream's WHIP publisher, at most one per PLI_INTERVAL_MS (other ingests: nothing to ask). */
  private requestKeyframe(source: StreamSource): void {
    const entry = this.publishers.get(source);
    const ssrc = entry?.feed.videoSsrc;
    if (!entry || ssrc === undefined) return;
    const now = this.options.now();
    if (now - entry.lastPliMs < PLI_INTERVAL_MS) return;
    entry.lastPliMs = now;
    if (entry.session.sendRtcp([{ type: 'pli', senderSsrc: 1, mediaSsrc: ssrc }])) this.plisSent++;
  }
}

function newEtag(): string {
  return `"${randomBytes(12).toString('hex')}"`;
}

function wantsKeyframe(packets: readonly RtcpPacket[]): boolean {
  return packets.some((p) => p.type === 'pli' || p.type === 'fir');
}

/** The answer's H.264 profile from the source's AVC record (Safari needs the real one). */
function sourceProfile(source: StreamSource): H264ProfileLevel | undefined {
  const header = source.track('video')?.header?.packet;
  if (header?.codec !== 'h264') return undefined;
  try {
    const config = parseAvcDecoderConfig(header.payload);
    return { profileIdc: config.profileIdc, constraintFlags: config.profileCompatibility, levelIdc: config.levelIdc };
  } catch {
    return undefined;
  }
}

function logAudioGap(created: CreatedRtcSession, source: StreamSource, log: Logger): void {
  const audio = source.track('audio');
  if (created.negotiated.audio && audio && audio.codec !== 'opus' && audio.codec !== 'aac') {
    log.info({ codec: audio.codec }, `webrtc viewer gets no audio: the source's ${audio.codec} is not AAC or Opus`);
  }
}

/** webrtc://host/app/stream?secret=... (SRS's streamurl). */
function streamUrlTarget(streamUrl: string): { app: string; stream: string; param: URLSearchParams; host: string } {
  let url: URL;
  try {
    url = new URL(streamUrl.replace(/^webrtc:/i, 'http:'));
  } catch {
    throw new HttpRefusal(400, 'streamurl must look like webrtc://host/app/stream');
  }
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length < 2) throw new HttpRefusal(400, 'streamurl must look like webrtc://host/app/stream');
  const stream = parts.pop() as string;
  return { app: parts.join('/'), stream, param: new URLSearchParams(url.search), host: url.host };
}

async function announceAddresses(host: string, extra: readonly string[], logger: Logger): Promise<string[]> {
  const out: string[] = [];
  const wildcard = host === '0.0.0.0' || host === '::';
  if (wildcard) {
    for (const list of Object.values(networkInterfaces())) {
      for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) out.push(a.address);
    }
    if (out.length === 0) out.push('127.0.0.1');
  } else {
    out.push(host);
  }
  for (const name of extra) {
    try {
      const { address } = await lookup(name, { family: 4 });
      out.push(address);
    } catch (error) {
      logger.warn({ candidate: name, err: (error as Error).message }, 'webrtc candidate not resolved: skipped');
    }
  }
  return [...new Set(out)];
}

function normalizeIp(ip: string | undefined): string {
  if (!ip) return '';
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

function parseJson(body: string): Record<string, unknown> {
  try {
    const value = JSON.parse(body) as unknown;
    if (value && typeof value === 'object') return value as Record<string, unknown>;
  } catch {
    // below
  }
  throw new HttpRefusal(400, 'request body is not a JSON object');
}

function sendJson(res: ServerResponse, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(200, {
    ...CORS_HEADERS,
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_OFFER_BYTES) {
        reject(new HttpRefusal(413, `offer larger than ${MAX_OFFER_BYTES} bytes`));
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
