import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { type RtmpClientEvent, RtmpClientSession } from '../../protocol/rtmp/client-session.js';
import type { RtmpMessage } from '../../protocol/rtmp/message.js';

export interface RtmpClientOptions {
  /** rtmp:// or rtmps://host[:port]/app/stream[?query] */
  url: string;
  mode: 'publish' | 'play';
  /** Deadline from dialling to NetStream.Publish.Start / Play.Start. */
  connectTimeoutMs: number;
  /** Once started: nothing received for this long closes the connection (0: no limit; a publisher hears little). */
  idleTimeoutMs?: number;
  /** Our outgoing chunk size. Default 4096. */
  chunkSize?: number;
  /** rtmps: verify the server's certificate and host name (default true; off only for a known self-signed peer). */
  verifyCertificate?: boolean;
  now?: () => number;
  /**
   * Publishing or playing has started: called before anything that came in the same bytes, so a player can
   * set up where media goes before the first message (the sequence headers often share the packet).
   */
  onStart?: () => void;
  /** A media message received while playing (FLV tag body, RTMP timestamp). */
  onMedia?: (message: RtmpMessage) => void;
  /** The connection ended after it had started; `error` says why when it was not our own close. */
  onClose?: (error?: Error) => void;
}

/**
 * The production RTMP client over a real socket (TCP, or TLS for rtmps://): the socket side of the pure
 * RtmpClientSession. Forwarding publishes through it, edge mode plays through it.
 */
export class RtmpClient {
  /** Bytes received and sent on the socket. */
  bytesIn = 0;
  bytesOut = 0;
  private readonly session: RtmpClientSession;
  private socket?: Socket;
  private started = false;
  private reported = false;
  private closed = false;
  private streamId_ = 0;
  private readonly now: () => number;

  constructor(private readonly options: RtmpClientOptions) {
    // The digest handshake, as ffmpeg and OBS do: some ingest servers refuse the simple one.
    this.session = new RtmpClientSession({
      url: options.url,
      mode: options.mode,
      chunkSize: options.chunkSize,
      complexHandshake: true,
    });
    this.now = options.now ?? Date.now;
  }

  /** The chunk size our media goes out at (a shared hub format must use the same). */
  get chunkSize(): number {
    return this.options.chunkSize ?? 4096;
  }

  /** The message stream id the server gave us (valid once open() resolved). */
  get streamId(): number {
    return this.streamId_;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Connects; resolves once publishing or playing started, rejects with the reason it did not. */
  open(): Promise<void> {
    const { host, port, secure } = this.session.target;
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const fail = (error: Error) => {
        if (!settled) {
          settled = true;
          clearTimeout(deadline);
          this.destroy();
          reject(error);
          return;
        }
        this.finish(error);
      };
      const deadline = setTimeout(
        () => fail(new Error(`no ${this.options.mode} start within ${this.options.connectTimeoutMs} ms`)),
        this.options.connectTimeoutMs,
      );
      const onConnected = () => this.write(this.session.start(this.now()));
      const socket = secure
        ? connectTls(
            {
              host,
              port,
              servername: isIpAddress(host) ? undefined : host,
              rejectUnauthorized: this.options.verifyCertificate ?? true,
            },
            onConnected,
          )
        : connectTcp({ host, port }, onConnected);
      this.socket = socket;
      socket.setNoDelay(true);
      socket.on('error', (error) => fail(error));
      socket.on('timeout', () => fail(new Error(`nothing received for ${this.options.idleTimeoutMs} ms`)));
      socket.on('close', () => fail(new Error(this.started ? 'server closed the connection' : 'connection closed')));
      socket.on('data', (bytes: Buffer) => {
        this.bytesIn += bytes.length;
        for (const event of this.session.push(bytes, this.now())) {
          const error = this.handle(event);
          if (event.type === 'ready' && !settled) {
            settled = true;
            clearTimeout(deadline);
            this.started = true;
            this.streamId_ = event.streamId;
            if (this.options.idleTimeoutMs) socket.setTimeout(this.options.idleTimeoutMs);
            try {
              this.options.onStart?.();
            } catch (error) {
              resolve();
              fail(error as Error);
              return;
            }
            resolve();
          }
          if (error) {
            fail(error);
            return;
          }
        }
      });
    });
  }

  /** Bytes the socket holds that the kernel has not taken yet (the hub's reader policies read it). */
  backlog(): number {
    return this.socket?.writableLength ?? 0;
  }

  /** Raw bytes already in RTMP chunks (a shared hub format made with this client's chunk size and stream id). */
  write(bytes: Buffer): void {
    const socket = this.socket;
    if (!socket || this.closed || socket.destroyed) return;
    this.bytesOut += bytes.length;
    socket.write(bytes);
  }

  /** Ends politely (FCUnpublish, deleteStream) after what is queued; idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const socket = this.socket;
    if (!socket || socket.destroyed) return;
    if (this.started) socket.end(this.session.close());
    else socket.destroy();
    // A peer that never acknowledges the FIN does not keep the socket.
    setTimeout(() => socket.destroy(), 2000).unref();
  }

  private handle(event: RtmpClientEvent): Error | undefined {
    switch (event.type) {
      case 'send':
        this.write(event.bytes);
        return undefined;
      case 'media':
        this.options.onMedia?.(event.message);
        return undefined;
      case 'status':
        return event.level === 'error'
          ? new Error(`${event.code}${event.description ? `: ${event.description}` : ''}`)
          : undefined;
      case 'error':
        return event.error;
      default:
        return undefined;
    }
  }

  private destroy(): void {
    this.closed = true;
    this.socket?.destroy();
  }

  /** After a start: the connection is gone (reported once; without an error when we closed it ourselves). */
  private finish(error: Error): void {
    // Before a start, open()'s rejection is the one report.
    if (this.reported || !this.started) return;
    this.reported = true;
    const ownClose = this.closed;
    this.destroy();
    this.options.onClose?.(ownClose ? undefined : error);
  }
}

function isIpAddress(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}
