import { asError } from './consumer-fault.js';
import { HubError } from './hub-error.js';
import { isValidStreamName, type StreamKey, streamKeyId } from './stream-key.js';
import { type PublisherInfo, type SourceOptions, StreamSource } from './stream-source.js';

/**
 * publish: a new stream. idle: its publisher left, readers wait (grace window). resume: a new publisher
 * continues it. unpublish: the stream ended for good (its readers and outputs end too).
 */
export type StreamEvent =
  | { type: 'publish'; source: StreamSource }
  | { type: 'idle'; source: StreamSource }
  | { type: 'resume'; source: StreamSource }
  | { type: 'unpublish'; source: StreamSource };

/**
 * Every live stream, keyed by vhost/app/stream. One publisher per stream: a second one is refused while the
 * first keeps going. A stream outlives a publisher that leaves by `publisherGraceMs`, so a publisher that
 * reconnects (a network blip, OBS restarting its output) continues it and no reader notices more than a pause.
 */
export class StreamRegistry {
  private readonly sources = new Map<string, StreamSource>();
  private readonly graceTimers = new Map<StreamSource, NodeJS.Timeout>();
  private readonly listeners = new Set<(event: StreamEvent) => void>();
  private closed = false;
  /** Traffic of streams that already ended; live ones are summed on demand (see totals()). */
  private readonly ended = { recvBytes: 0, sentBytes: 0, clients: 0, framesDropped: 0 };

  constructor(private readonly options: SourceOptions) {}

  /**
   * Starts a publish, or continues a stream whose publisher left within the grace window, or takes over a
   * stream whose publisher has been silent for publisherTakeoverMs (that one is disconnected). Throws HubError
   * STREAM_BUSY if the stream has a publisher that still sends.
   */
  publish(key: StreamKey, publisher: PublisherInfo): StreamSource {
    if (this.closed) throw new HubError('HUB_CLOSED', 'server is shutting down');
    if (!isValidStreamName(key.app) || !isValidStreamName(key.stream)) {
      throw new HubError('INVALID_STREAM_NAME', `invalid app or stream name: ${key.app}/${key.stream}`);
    }
    const id = streamKeyId(key);
    const existing = this.sources.get(id);
    if (existing?.isPublishing) {
      const takeoverMs = this.options.publisherTakeoverMs ?? 0;
      const silentMs = existing.publisherSilentMs;
      if (takeoverMs <= 0 || silentMs < takeoverMs) {
        throw new HubError('STREAM_BUSY', `stream ${id} is already published by ${existing.publisher.cid}`);
      }
      const stale = existing.publisher;
      existing.detachPublisher();
      this.emit({ type: 'idle', source: existing });
      // Its own departure (unpublish with its cid) is ignored from here on: the stream is no longer its.
      stale.disconnect(`replaced by ${publisher.cid}: no media for ${Math.round(silentMs)} ms`);
    }
    if (existing) {
      this.cancelGrace(existing);
      existing.attachPublisher(publisher);
      this.emit({ type: 'resume', source: existing });
      return existing;
    }
    const source = new StreamSource(key, publisher, this.options);
    this.sources.set(id, source);
    this.emit({ type: 'publish', source });
    return source;
  }

  /**
   * The publisher `cid` left its stream. The stream waits `publisherGraceMs` for a new one (0 ends it now).
   * A departure of a publisher that no longer owns the stream (it was already replaced) changes nothing.
   */
  unpublish(source: StreamSource, cid: string): void {
    if (this.sources.get(source.id) !== source || !source.isPublishing || source.publisher.cid !== cid) return;
    const graceMs = this.options.publisherGraceMs;
    if (this.closed || graceMs <= 0) {
      this.end(source);
      return;
    }
    source.detachPublisher();
    this.emit({ type: 'idle', source });
    const timer = setTimeout(() => this.end(source), graceMs);
    timer.unref?.();
    this.graceTimers.set(source, timer);
  }

  /** Ends a stream now (idempotent): its readers are ended and it disappears. Kicks and shutdown use this. */
  end(source: StreamSource): void {
    if (this.sources.get(source.id) !== source) return;
    this.cancelGrace(source);
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
  configure(
    change: Pick<
      SourceOptions,
      'gopCache' | 'readerLimits' | 'mergeWindowMs' | 'publisherGraceMs' | 'publisherTakeoverMs'
    >,
  ): void {
    Object.assign(this.options.gopCache, change.gopCache);
    Object.assign(this.options.readerLimits, change.readerLimits);
    this.options.mergeWindowMs = change.mergeWindowMs;
    this.options.publisherGraceMs = change.publisherGraceMs;
    this.options.publisherTakeoverMs = change.publisherTakeoverMs;
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

  /** Subscribes to stream events; returns the teardown. */
  onStream(listener: (event: StreamEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Ends every stream; later publishes are refused. */
  close(): void {
    this.closed = true;
    for (const source of this.list()) this.end(source);
  }

  private cancelGrace(source: StreamSource): void {
    const timer = this.graceTimers.get(source);
    if (timer) clearTimeout(timer);
    this.graceTimers.delete(source);
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
