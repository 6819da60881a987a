import type { Logger } from 'pino';
import { RtmpClient } from '../../clients/rtmp/rtmp-client.js';
import { newContextId } from '../../defs/context-id.js';
import { pushRtmpMedia } from '../../formats/rtmp/to-source.js';
import { HubError } from '../../hub/hub-error.js';
import type { StreamKey } from '../../hub/stream-key.js';
import type { StreamRegistry } from '../../hub/stream-registry.js';
import type { StreamSource } from '../../hub/stream-source.js';
import type { RtmpMessage } from '../../protocol/rtmp/message.js';
import { parseRtmpUrl } from '../../protocol/rtmp/rtmp-url.js';

export interface EdgePullOptions {
  key: StreamKey;
  /** rtmp://origin/app/stream */
  url: string;
  registry: StreamRegistry;
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  /** How long the pull stays without players. */
  lingerMs: number;
  logger: Logger;
  now: () => number;
  /** The pull ended (its stream is gone from the registry). */
  onEnd: () => void;
  /** Per-message problems are counted, not logged one line each. */
  onBadPacket: (cid: string, error: Error) => void;
}

/** After Play.Start, how long to wait for the second sequence header before letting players in. */
const HEADERS_WAIT_MS = 1500;

/**
 * One stream pulled from the origin (SRS edge): an RTMP play there, published here as a local stream, kept while
 * it has players and dropped `lingerMs` after the last one left, or when the origin ends it.
 */
export class EdgePull {
  readonly cid = newContextId();
  readonly startedAt: number;
  private client?: RtmpClient;
  private source?: StreamSource;
  private ended = false;
  private linger?: NodeJS.Timeout;
  private ready?: (source: StreamSource | undefined) => void;
  private readonly readyPromise: Promise<StreamSource | undefined>;

  constructor(private readonly options: EdgePullOptions) {
    this.startedAt = options.now();
    this.readyPromise = new Promise((resolve) => {
      this.ready = resolve;
    });
  }

  /** The local stream once the origin plays it and its headers arrived; undefined when the origin refused. */
  whenReady(): Promise<StreamSource | undefined> {
    return this.readyPromise;
  }

  get stream(): StreamSource | undefined {
    return this.source;
  }

  get bytesIn(): number {
    return this.client?.bytesIn ?? 0;
  }

  start(): void {
    this.run().catch((error: Error) => {
      this.options.logger.error({ cid: this.cid, err: error.message }, 'edge pull failed');
      this.stop(`failed: ${error.message}`);
    });
  }

  /** Ends the pull and its local stream (idempotent). */
  stop(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.linger);
    this.options.logger.info({ cid: this.cid, reason }, 'edge pull ended');
    this.client?.close();
    const source = this.source;
    this.source = undefined;
    if (source) this.options.registry.end(source);
    this.resolve(undefined);
    this.options.onEnd();
  }

  private resolve(source: StreamSource | undefined): void {
    const ready = this.ready;
    if (!ready) return;
    this.ready = undefined;
    ready(source);
    // The players waiting for it join now: the linger counts from here.
    if (source === this.source) this.checkPlayers();
  }

  private async run(): Promise<void> {
    const { options } = this;
    const target = parseRtmpUrl(options.url);
    // Logged and shown without the query: it may carry the player's token.
    const shown = `${target.tcUrl}/${options.key.stream}`;
    const client = new RtmpClient({
      url: options.url,
      mode: 'play',
      connectTimeoutMs: options.connectTimeoutMs,
      idleTimeoutMs: options.idleTimeoutMs,
      now: options.now,
      onStart: () => this.publishHere(target.host, target.tcUrl),
      onMedia: (message) => this.onMedia(message),
      onClose: (error) => this.stop(error ? `origin: ${error.message}` : 'closed'),
    });
    this.client = client;
    try {
      await client.open();
    } catch (error) {
      options.logger.warn({ cid: this.cid, url: shown, err: (error as Error).message }, 'edge pull refused');
      this.stop('origin refused');
      return;
    }
    if (!this.ended) options.logger.info({ cid: this.cid, url: shown }, 'edge pull started');
  }

  /** The origin plays: the stream is published here (before its first media message is read). */
  private publishHere(ip: string, tcUrl: string): void {
    const { options } = this;
    try {
      this.source = options.registry.publish(options.key, {
        cid: this.cid,
        protocol: 'edge',
        ip,
        query: '',
        tcUrl,
        disconnect: (reason) => this.stop(reason),
      });
      this.source.onReaderChange(() => {
        if (!this.ready) this.checkPlayers();
      });
      setTimeout(() => this.resolve(this.source), HEADERS_WAIT_MS).unref();
    } catch (error) {
      if (!(error instanceof HubError)) throw error;
      // Someone published the stream here meanwhile: players get that one.
      this.resolve(options.registry.find(options.key));
      this.stop(error.message);
    }
  }

  /** No players: drop after the linger; a player back in time cancels it. */
  private checkPlayers(): void {
    const source = this.source;
    if (!source || this.ended) return;
    clearTimeout(this.linger);
    this.linger = undefined;
    if (source.readers().length > 0) return;
    this.linger = setTimeout(() => this.stop('no players left'), this.options.lingerMs);
    this.linger.unref();
  }

  private onMedia(message: RtmpMessage): void {
    const source = this.source;
    if (!source) return;
    if (!pushRtmpMedia(source, message, (error) => this.options.onBadPacket(this.cid, error))) return;
    // Players may start once the stream's headers are known (HTTP-FLV's header names its tracks).
    if (this.ready && source.header('video') && source.header('audio')) this.resolve(source);
  }
}
