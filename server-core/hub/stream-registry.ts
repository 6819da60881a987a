import { asError } from './consumer-fault.js';
import { HubError } from './hub-error.js';
import { isValidStreamName, type StreamKey, streamKeyId } from './stream-key.js';
import { type PublisherInfo, type SourceOptions, StreamSource } from './stream-source.js';

export type StreamEvent = { type: 'publish'; source: StreamSource } | { type: 'unpublish'; source: StreamSource };

/**
 * Every live stream, keyed by vhost/app/stream. One publisher per stream: a second one is refused while the
 * first keeps going. A source exists only while it is published; consumers (segmenters, DVR, API) follow the
 * publish/unpublish events.
 */
export class StreamRegistry {
  private readonly sources = new Map<string, StreamSource>();
  private readonly listeners = new Set<(event: StreamEvent) => void>();
  private closed = false;
  /** Traffic of streams that already ended; live ones are summed on demand (see totals()). */
  private readonly ended = { recvBytes: 0, sentBytes: 0, clients: 0, framesDropped: 0 };

  constructor(private readonly options: SourceOptions) {}

  /** Starts a publish; throws HubError STREAM_BUSY if the stream already has a publisher. */
  publish(key: StreamKey, publisher: PublisherInfo): StreamSource {
    if (this.closed) throw new HubError('HUB_CLOSED', 'server is shutting down');
    if (!isValidStreamName(key.app) || !isValidStreamName(key.stream)) {
      throw new HubError('INVALID_STREAM_NAME', `invalid app or stream name: ${key.app}/${key.stream}`);
    }
    const id = streamKeyId(key);
    const existing = this.sources.get(id);
    if (existing) {
      throw new HubError('STREAM_BUSY', `stream ${id} is already published by ${existing.publisher.cid}`);
    }
    const source = new StreamSource(key, publisher, this.options);
    this.sources.set(id, source);
    this.emit({ type: 'publish', source });
    return source;
  }

  /** Ends a publish (idempotent); readers are ended and the stream disappears. */
  unpublish(source: StreamSource): void {
    if (this.sources.get(source.id) !== source) return;
    this.sources.delete(source.id);
    source.end();
    this.ended.recvBytes += source.stats.recvBytes;
    this.ended.sentBytes += source.sentBytes();
    this.ended.clients += 1 + source.stats.readersJoined;
    this.ended.framesDropped += source.stats.framesDropped;
    this.emit({ type: 'unpublish', source });
  }

  find(key: StreamKey): StreamSource | undefined {
    return this.sources.get(streamKeyId(key));
  }

  findById(id: string): StreamSource | undefined {
    return this.sources.get(id);
  }

  list(): StreamSource[] {
    return [...this.sources.values()];
  }

  /**
   * Config reload: limits change in place, so live streams and readers pick them up at their next decision
   * (sources and readers hold references to these objects).
   */
  configure(change: Pick<SourceOptions, 'gopCache' | 'readerLimits' | 'mergeWindowMs'>): void {
    Object.assign(this.options.gopCache, change.gopCache);
    Object.assign(this.options.readerLimits, change.readerLimits);
    this.options.mergeWindowMs = change.mergeWindowMs;
  }

  /** Monotonic totals since start: bytes in and out, clients ever connected, frames dropped for slow readers. */
  totals(): { recvBytes: number; sentBytes: number; clients: number; framesDropped: number } {
    const t = { ...this.ended };
    for (const source of this.sources.values()) {
      t.recvBytes += source.stats.recvBytes;
      t.sentBytes += source.sentBytes();
      t.clients += 1 + source.stats.readersJoined;
      t.framesDropped += source.stats.framesDropped;
      for (const reader of source.readers()) t.framesDropped += reader.framesDropped;
    }
    return t;
  }

  /** Subscribes to publish/unpublish; returns the teardown. */
  onStream(listener: (event: StreamEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Ends every stream; later publishes are refused. */
  close(): void {
    this.closed = true;
    for (const source of this.list()) this.unpublish(source);
  }

  /** A listener that throws (an output failing to set up a stream) is reported; the publish goes on. */
  private emit(event: StreamEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.options.reportFault({
          kind: 'stream-listener',
          stream: event.source.id,
          consumer: `${event.type} listener`,
          action: 'event skipped',
          error: asError(error),
        });
      }
    }
  }
}
