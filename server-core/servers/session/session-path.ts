import type { Logger } from 'pino';
import type { Admission, ClientContext } from '../../defs/admission.js';
import { HubError } from '../../hub/hub-error.js';
import { isPreviewQuery, type Reader } from '../../hub/reader.js';
import type { ReaderSink } from '../../hub/reader-sink.js';
import type { StreamKey } from '../../hub/stream-key.js';
import type { StreamRegistry } from '../../hub/stream-registry.js';
import type { StreamSource } from '../../hub/stream-source.js';
import type { AnyWireFormat } from '../../hub/wire-format.js';

/** Why a publish or play did not start: each listener maps it to its protocol's answer. */
export type RefusalCode = 'refused' | 'busy' | 'invalid-name' | 'closed' | 'not-found' | 'gone';

export type Refusal = { ok: false; code: RefusalCode; reason: string };
export type PublishSession = { ok: true; source: StreamSource; end: () => void };
export type PlaySession = { ok: true; source: StreamSource; reader: Reader; end: () => void };

export interface PublishRequest {
  client: ClientContext;
  log: Logger;
  /** Closes the publisher's connection (API kick, server closing). */
  disconnect: (reason: string) => void;
  /** Still wanted once admission answers (the connection may have gone, or the client changed its mind). */
  stillWanted?: () => boolean;
}

export interface PlayRequest {
  client: ClientContext;
  log: Logger;
  format: (source: StreamSource) => AnyWireFormat;
  sink: ReaderSink;
  stillWanted?: () => boolean;
  /** Called with the source just before the reader is added: write the protocol's "play started" bytes here. */
  beforeStart?: (source: StreamSource) => void;
}

const streamPath = (c: ClientContext) => `/${c.app}/${c.stream}`;

/**
 * Finds a stream this server does not have somewhere else (edge mode: pulls it from the origin, passing on the
 * player's query, where an origin's on_play hook finds its token).
 */
export type Upstream = (key: StreamKey, param: string) => Promise<StreamSource | undefined>;

/**
 * The one path every listener opens a publisher or a reader through (RTMP, HTTP-FLV/TS, WS-FLV, UDP-TS, SRT,
 * WebRTC, GB28181): admission (secret, IP rules, hooks), the registry, refusal mapping, the departure report and
 * the log lines, the same for every protocol. Ending a session is idempotent.
 */
export class SessionPath {
  private upstream?: Upstream;

  constructor(
    private readonly registry: StreamRegistry,
    private readonly admission: Admission,
  ) {}

  /** Edge mode sets where missing streams come from (undefined: a missing stream is not found). */
  setUpstream(upstream: Upstream | undefined): void {
    this.upstream = upstream;
  }

  async publish(request: PublishRequest): Promise<PublishSession | Refusal> {
    const { client, log } = request;
    const verdict = await this.admission.check('publish', client);
    if (request.stillWanted && !request.stillWanted()) return { ok: false, code: 'gone', reason: 'client left' };
    if (!verdict.allowed) {
      log.warn({ stream: streamPath(client), peer: client.ip, reason: verdict.reason }, 'publish refused');
      return { ok: false, code: 'refused', reason: verdict.reason };
    }
    let source: StreamSource;
    try {
      source = this.registry.publish(
        { vhost: client.vhost, app: client.app, stream: client.stream },
        {
          cid: client.cid,
          protocol: client.protocol,
          ip: client.ip,
          query: client.param,
          tcUrl: client.tcUrl,
          disconnect: request.disconnect,
        },
      );
    } catch (error) {
      if (!(error instanceof HubError)) throw error;
      const code: RefusalCode =
        error.code === 'STREAM_BUSY' ? 'busy' : error.code === 'INVALID_STREAM_NAME' ? 'invalid-name' : 'closed';
      log.warn({ stream: streamPath(client), peer: client.ip, code: error.code }, `publish refused: ${error.message}`);
      return { ok: false, code, reason: error.message };
    }
    log.info({ stream: streamPath(client), peer: client.ip }, `${client.protocol} publish started`);
    let ended = false;
    return {
      ok: true,
      source,
      end: () => {
        if (ended) return;
        ended = true;
        this.registry.unpublish(source, client.cid);
        this.admission.departed('unpublish', client);
        log.info({ stream: streamPath(client), bytes: source.stats.recvBytes }, `${client.protocol} publish ended`);
      },
    };
  }

  async play(request: PlayRequest): Promise<PlaySession | Refusal> {
    const { client, log } = request;
    const verdict = await this.admission.check('play', client);
    if (request.stillWanted && !request.stillWanted()) return { ok: false, code: 'gone', reason: 'client left' };
    if (!verdict.allowed) {
      log.warn({ stream: streamPath(client), peer: client.ip, reason: verdict.reason }, 'play refused');
      return { ok: false, code: 'refused', reason: verdict.reason };
    }
    const key = { vhost: client.vhost, app: client.app, stream: client.stream };
    let source = this.registry.find(key);
    if (!source && this.upstream) {
      source = await this.upstream(key, client.param);
      if (request.stillWanted && !request.stillWanted()) return { ok: false, code: 'gone', reason: 'client left' };
    }
    if (!source) {
      log.info({ stream: streamPath(client), peer: client.ip }, 'play refused: stream not found');
      return { ok: false, code: 'not-found', reason: `stream ${streamPath(client)} is not being published` };
    }
    request.beforeStart?.(source);
    const reader = source.addReader(
      request.format(source),
      {
        cid: client.cid,
        protocol: client.protocol,
        ip: client.ip,
        query: client.param,
        preview: isPreviewQuery(client.param),
      },
      request.sink,
    );
    log.info({ stream: streamPath(client), peer: client.ip }, `${client.protocol} play started`);
    let ended = false;
    return {
      ok: true,
      source,
      reader,
      end: () => {
        if (ended) return;
        ended = true;
        reader.close();
        this.admission.departed('stop', client);
        log.info(
          { stream: streamPath(client), bytes: reader.bytesSent, dropped: reader.framesDropped },
          `${client.protocol} play ended`,
        );
      },
    };
  }
}
