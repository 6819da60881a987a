import { newContextId } from '../defs/context-id.js';
import { checkCodecConfig } from './codec-config-check.js';
import { asError, type FaultReporter } from './consumer-fault.js';
import { FormatChannel } from './format-channel.js';
import { GopCache, type GopCacheLimits } from './gop-cache.js';
import type { MediaPacket } from './media-packet.js';
import { Reader, type ReaderExit, type ReaderInfo } from './reader.js';
import type { ReaderLimits, ReaderSink } from './reader-sink.js';
import { type StreamKey, streamKeyId } from './stream-key.js';
import { StreamStats } from './stream-stats.js';
import { type JitterMode, TimestampCorrector } from './timestamp-corrector.js';
import { SharedPacket, type WireFormat } from './wire-format.js';

export interface PublisherInfo {
  readonly cid: string;
  readonly protocol: string;
  readonly ip: string;
  /** Query string the publisher sent with the stream name (auth material, never part of the name). */
  readonly query: string;
  readonly tcUrl?: string;
  /** Closes the publisher's connection (API kick, server closing). */
  readonly disconnect: (reason: string) => void;
}

export interface SourceOptions {
  gopCache: GopCacheLimits;
  readerLimits: ReaderLimits;
  jitter: JitterMode;
  /** Merge window: 0 flushes once per event-loop turn; more trades latency for fewer writes. */
  mergeWindowMs: number;
  now: () => number;
  /** Where consumer faults go (logged and counted by the composition root). */
  reportFault: FaultReporter;
}

/** In-process consumers (segmenters, DVR, stats) see every packet; they must not block. */
export interface PacketSubscriber {
  /** Names the subscriber in fault reports (hls, dash, dvr...). */
  readonly name?: string;
  onPacket(shared: SharedPacket): void;
  onEnd?(): void;
  /** It threw and was removed: release what it holds. Must not throw. */
  onFault?(error: Error): void;
}

/** What a late in-process subscriber needs to start cleanly. */
export interface SourceSnapshot {
  metadata?: SharedPacket;
  videoHeader?: SharedPacket;
  audioHeader?: SharedPacket;
  gop: readonly SharedPacket[];
}

/**
 * One published stream: the publisher's packets, the state a new reader needs (metadata, sequence headers,
 * GOP), the per-format fan-out channels and the in-process subscribers.
 */
export class StreamSource {
  /** Registry key: vhost/app/stream. */
  readonly id: string;
  /** Short URL-safe id the API uses (`/api/v1/streams/{streamId}`), new for every publish. */
  readonly streamId = `vid-${newContextId()}`;
  readonly stats: StreamStats;
  metadata?: SharedPacket;
  videoHeader?: SharedPacket;
  audioHeader?: SharedPacket;
  private readonly gop: GopCache;
  private readonly corrector: TimestampCorrector;
  private readonly channels = new Map<string, FormatChannel>();
  private readonly subscribers = new Set<PacketSubscriber>();
  private readonly statefulFormats = new Map<string, WireFormat>();
  private readonly readerListeners = new Set<(reader: Reader, change: 'join' | ReaderExit) => void>();
  private flushScheduled = false;
  private ended = false;
  private hasVideoTrack = false;
  /** Kinds whose last sequence header was invalid: their media is dropped until a valid one comes. */
  private readonly refusedTracks = new Map<'video' | 'audio', string>();

  constructor(
    readonly key: StreamKey,
    readonly publisher: PublisherInfo,
    private readonly options: SourceOptions,
  ) {
    this.id = streamKeyId(key);
    this.gop = new GopCache(options.gopCache);
    this.corrector = new TimestampCorrector(options.jitter);
    this.stats = new StreamStats(options.now());
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Ingests one packet. `seed` passes an encoding the ingest already holds (saves re-encoding it). */
  push(packet: MediaPacket, seed?: { formatId: string; bytes: Buffer }): SharedPacket | undefined {
    if (this.ended) return undefined;
    if (!this.admitTrackPacket(packet)) return undefined;
    if (packet.kind !== 'data') {
      const corrected = this.corrector.correct(packet.kind, packet.dts, packet.pts);
      packet.dts = corrected.dts;
      packet.pts = corrected.pts;
    }
    const shared = new SharedPacket(packet);
    if (seed) shared.seed(seed.formatId, seed.bytes);
    this.remember(shared);
    this.stats.onPacket(packet, this.options.now());
    for (const channel of this.channels.values()) channel.push(shared);
    for (const subscriber of this.subscribers) {
      try {
        subscriber.onPacket(shared);
      } catch (error) {
        this.dropSubscriber(subscriber, error);
      }
    }
    this.scheduleFlush();
    return shared;
  }

  /** Why a track's media is being dropped (its sequence header was invalid), for the API and the logs. */
  trackProblem(kind: 'video' | 'audio'): string | undefined {
    return this.refusedTracks.get(kind);
  }

  /**
   * Codec configuration is checked once, here, before any output sees it: an invalid one is dropped with its
   * reason and its track's media with it, until a valid configuration arrives.
   */
  private admitTrackPacket(packet: MediaPacket): boolean {
    if (packet.kind === 'data') return true;
    if (!packet.sequenceHeader) return !this.refusedTracks.has(packet.kind);
    const problem = checkCodecConfig(packet);
    if (problem === undefined) {
      this.refusedTracks.delete(packet.kind);
      return true;
    }
    if (this.refusedTracks.get(packet.kind) !== problem) {
      this.options.reportFault({
        kind: 'ingest',
        stream: this.id,
        consumer: `${packet.kind} track (${packet.codec})`,
        action: 'track dropped until a valid configuration arrives',
        error: new Error(problem),
      });
    }
    this.refusedTracks.set(packet.kind, problem);
    return false;
  }

  private dropSubscriber(subscriber: PacketSubscriber, error: unknown): void {
    this.subscribers.delete(subscriber);
    const fault = asError(error);
    this.options.reportFault({
      kind: 'subscriber',
      stream: this.id,
      consumer: subscriber.name ?? 'subscriber',
      action: 'ended for this stream',
      error: fault,
    });
    try {
      subscriber.onFault?.(fault);
    } catch {
      // Already reported; a cleanup that fails too has nothing more to tell.
    }
  }

  private notifyReaderChange(reader: Reader, change: 'join' | ReaderExit): void {
    for (const listener of this.readerListeners) {
      try {
        listener(reader, change);
      } catch (error) {
        this.options.reportFault({
          kind: 'stream-listener',
          stream: this.id,
          consumer: 'reader listener',
          action: 'event skipped',
          error: asError(error),
        });
      }
    }
  }

  addReader(format: WireFormat, info: ReaderInfo, sink: ReaderSink): Reader {
    let channel = this.channels.get(format.id);
    if (!channel || channel.isBroken) {
      channel = new FormatChannel(format, this.id, this.options.reportFault);
      this.channels.set(format.id, channel);
    }
    const ownChannel = channel;
    const reader = new Reader(info, format.id, sink, this.options.readerLimits, this.options.now(), (r, exit) => {
      ownChannel.readers.delete(r);
      this.stats.readerBytesSent += r.bytesSent;
      this.stats.framesDropped += r.framesDropped;
      this.notifyReaderChange(r, exit);
    });
    channel.readers.add(reader);
    this.stats.readersJoined++;
    this.notifyReaderChange(reader, 'join');
    // Starts at the next flush, or now if the stream is idle between packets.
    this.scheduleFlush();
    return reader;
  }

  /**
   * A wire format whose encoder keeps state for this stream (an MPEG-TS muxer's continuity counters): made once
   * per stream and shared by everything that needs those bytes (HTTP-TS readers and the HLS segmenter).
   */
  statefulFormat(id: string, create: () => WireFormat): WireFormat {
    let format = this.statefulFormats.get(id);
    if (!format) {
      format = create();
      this.statefulFormats.set(id, format);
    }
    return format;
  }

  /** Bytes sent to readers so far, live and departed. */
  sentBytes(): number {
    let total = this.stats.readerBytesSent;
    for (const channel of this.channels.values()) for (const r of channel.readers) total += r.bytesSent;
    return total;
  }

  /** Every reader currently attached, across formats. */
  readers(): Reader[] {
    const all: Reader[] = [];
    for (const channel of this.channels.values()) for (const r of channel.readers) all.push(r);
    return all;
  }

  onReaderChange(listener: (reader: Reader, change: 'join' | ReaderExit) => void): () => void {
    this.readerListeners.add(listener);
    return () => this.readerListeners.delete(listener);
  }

  subscribe(subscriber: PacketSubscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  snapshot(): SourceSnapshot {
    return {
      metadata: this.metadata,
      videoHeader: this.videoHeader,
      audioHeader: this.audioHeader,
      gop: this.gop.contents,
    };
  }

  /** The publisher left: flush, end every reader and subscriber. Idempotent. */
  end(): void {
    if (this.ended) return;
    this.flush();
    this.ended = true;
    for (const channel of this.channels.values()) {
      for (const reader of [...channel.readers]) reader.end();
    }
    this.channels.clear();
    for (const subscriber of this.subscribers) {
      try {
        subscriber.onEnd?.();
      } catch (error) {
        this.dropSubscriber(subscriber, error);
      }
    }
    this.subscribers.clear();
    this.gop.clear();
  }

  private remember(shared: SharedPacket): void {
    const p = shared.packet;
    if (p.kind === 'data') {
      this.metadata = shared;
      return;
    }
    if (p.kind === 'video') this.hasVideoTrack = true;
    if (p.sequenceHeader) {
      if (p.kind === 'video') this.videoHeader = shared;
      else this.audioHeader = shared;
      return;
    }
    this.gop.add(shared);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    if (this.options.mergeWindowMs > 0) setTimeout(this.flushNow, this.options.mergeWindowMs);
    else setImmediate(this.flushNow);
  }

  private readonly flushNow = (): void => {
    this.flushScheduled = false;
    if (!this.ended) this.flush();
  };

  private flush(): void {
    const now = this.options.now();
    for (const [id, channel] of this.channels) {
      channel.flush(now, () => this.startParts(channel.format));
      if (channel.isBroken) this.channels.delete(id);
    }
  }

  /** Metadata, sequence headers and the GOP in one format; undefined while a video stream has no keyframe. */
  private startParts(format: WireFormat): Buffer[] | undefined {
    if (this.hasVideoTrack && this.options.gopCache.enabled && !this.gop.hasKeyframe) return undefined;
    const parts: Buffer[] = [];
    for (const header of [this.metadata, this.videoHeader, this.audioHeader]) {
      if (header) parts.push(header.encoded(format));
    }
    for (const shared of this.gop.contents) parts.push(shared.encoded(format));
    return parts;
  }
}
