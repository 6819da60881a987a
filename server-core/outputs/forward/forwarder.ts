import type { Logger } from 'pino';
import { RtmpClient } from '../../clients/rtmp/rtmp-client.js';
import { newContextId } from '../../defs/context-id.js';
import { createRtmpChunkFormat } from '../../formats/rtmp/from-packets.js';
import type { Reader } from '../../hub/reader.js';
import type { StreamSource } from '../../hub/stream-source.js';
import type { ForwardTarget } from './destination-target.js';
import { retryDelayMs } from './retry-delay.js';

export type ForwardState = 'connecting' | 'live' | 'retrying' | 'stopped' | 'unsupported';

export interface ForwardSettings {
  connectTimeoutMs: number;
  retryInitialMs: number;
  retryMaxMs: number;
}

export interface ForwarderOptions {
  source: StreamSource;
  destination: string;
  target: ForwardTarget;
  settings: ForwardSettings;
  logger: Logger;
  now: () => number;
}

/** What the API and the app show for one stream at one destination. */
export interface ForwardStatus {
  destination: string;
  app: string;
  stream: string;
  /** The destination URL with its stream key masked. */
  url: string;
  state: ForwardState;
  /** Why the last attempt or connection failed. */
  error?: string;
  /** Bits per second sent over the last sampling interval. */
  bitrateKbps: number;
  bytesSent: number;
  /** Reconnects since the stream started. */
  reconnects: number;
  /** When the current state began (ms since the epoch). */
  since: number;
  /** Context id of the current connection, as in the log. */
  cid: string;
}

/**
 * One live stream pushed to one destination over RTMP/RTMPS (certificates checked): a reader of the stream whose
 * sink is an RTMP publish connection. A failure reconnects with exponential backoff; the stream's end stops it.
 */
export class Forwarder {
  private state: ForwardState = 'connecting';
  private since: number;
  private error?: string;
  private client?: RtmpClient;
  private reader?: Reader;
  private retryTimer?: NodeJS.Timeout;
  private attempt = 0;
  private reconnects = 0;
  private liveSince = 0;
  private cid = newContextId();
  /** Bytes sent by connections before the current one. */
  private bytesBefore = 0;
  private sample = { at: 0, bytes: 0 };
  private bitrateKbps = 0;

  constructor(private readonly options: ForwarderOptions) {
    this.since = options.now();
  }

  start(): void {
    if (!this.options.target.supported) {
      this.setState('unsupported');
      this.error = 'SRT destinations are not supported yet';
      return;
    }
    void this.connect();
  }

  /** Ends the push (the stream ended, or the destination was removed); idempotent. */
  stop(reason: string): void {
    if (this.state === 'stopped') return;
    if (this.state === 'live') this.options.logger.info({ cid: this.cid, reason }, 'forward stopped');
    this.setState('stopped');
    clearTimeout(this.retryTimer);
    this.dropConnection();
  }

  /** Updates the bitrate from the bytes sent since the last sample (called on a timer). */
  sampleBitrate(): void {
    const now = this.options.now();
    const bytes = this.bytesSent();
    if (this.sample.at > 0 && now > this.sample.at) {
      this.bitrateKbps =
        this.state === 'live' ? Math.round(((bytes - this.sample.bytes) * 8) / (now - this.sample.at)) : 0;
    }
    this.sample = { at: now, bytes };
  }

  status(): ForwardStatus {
    const { source, destination, target } = this.options;
    return {
      destination,
      app: source.key.app,
      stream: source.key.stream,
      url: target.shownUrl,
      state: this.state,
      error: this.error,
      bitrateKbps: this.bitrateKbps,
      bytesSent: this.bytesSent(),
      reconnects: this.reconnects,
      since: this.since,
      cid: this.cid,
    };
  }

  private bytesSent(): number {
    return this.bytesBefore + (this.client?.bytesOut ?? 0);
  }

  private setState(state: ForwardState): void {
    if (this.state !== state) this.since = this.options.now();
    this.state = state;
  }

  private async connect(): Promise<void> {
    const { target, settings, logger, source } = this.options;
    this.cid = newContextId();
    this.setState('connecting');
    let client: RtmpClient;
    try {
      client = new RtmpClient({
        url: target.url,
        mode: 'publish',
        connectTimeoutMs: settings.connectTimeoutMs,
        now: this.options.now,
        onClose: (error) => this.lost(client, error ?? new Error('connection closed')),
      });
    } catch (error) {
      // A URL the client cannot use (no stream name): shown as the error, tried again at the backoff's pace.
      this.retry(error as Error);
      return;
    }
    this.client = client;
    try {
      await client.open();
    } catch (error) {
      if (this.client !== client || this.state === 'stopped') return;
      this.retry(error as Error);
      return;
    }
    if (this.client !== client || this.state === 'stopped') {
      client.close();
      return;
    }
    this.error = undefined;
    this.liveSince = this.options.now();
    this.setState('live');
    logger.info({ cid: this.cid, url: target.shownUrl }, 'forward live');
    // A reader like any player: it starts at the cached GOP with the sequence headers.
    this.reader = source.addReader(
      createRtmpChunkFormat(client.chunkSize, client.streamId),
      { cid: this.cid, protocol: 'forward', ip: hostOf(target.shownUrl) },
      {
        backlog: () => client.backlog(),
        write: (bytes) => client.write(bytes),
        end: () => this.stop('stream ended'),
        destroy: (reason) => this.lost(client, new Error(reason)),
      },
    );
  }

  /** The connection failed after it had started (destination closed it, reader stuck): reconnect. */
  private lost(client: RtmpClient, error: Error): void {
    if (this.client !== client || this.state === 'stopped') return;
    this.options.logger.warn({ cid: this.cid, url: this.options.target.shownUrl, err: error.message }, 'forward lost');
    // A connection that held for a while starts the backoff again.
    if (this.options.now() - this.liveSince >= this.options.settings.retryMaxMs) this.attempt = 0;
    this.retry(error);
  }

  private retry(error: Error): void {
    this.dropConnection();
    this.error = error.message;
    const { retryInitialMs, retryMaxMs } = this.options.settings;
    const delay = retryDelayMs(this.attempt++, retryInitialMs, retryMaxMs);
    this.setState('retrying');
    this.options.logger.info({ cid: this.cid, err: error.message, delayMs: delay }, 'forward retrying');
    this.retryTimer = setTimeout(() => {
      this.reconnects++;
      void this.connect();
    }, delay);
  }

  private dropConnection(): void {
    this.reader?.close();
    this.reader = undefined;
    const client = this.client;
    this.client = undefined;
    if (client) {
      this.bytesBefore += client.bytesOut;
      client.close();
    }
  }
}

function hostOf(url: string): string {
  return /^\w+:\/\/([^/]+)/.exec(url)?.[1] ?? '';
}
