import { newContextId } from '../defs/context-id.js';
import { checkCodecConfig } from './codec-config-check.js';
import { asError, type FaultReporter } from './consumer-fault.js';
import { FormatChannel } from './format-channel.js';
import { GopCache, type GopCacheLimits } from './gop-cache.js';
import type { MediaKind, MediaPacket } from './media-packet.js';
import { Reader, type ReaderExit, type ReaderInfo } from './reader.js';
import type { ReaderLimits, ReaderSink } from './reader-sink.js';
import { type StreamKey, streamKeyId } from './stream-key.js';
import { StreamStats } from './stream-stats.js';
import type { StreamTrack } from './stream-track.js';
import { type JitterMode, TimestampCorrector } from './timestamp-corrector.js';
import {
  type AudioPreference,
  CONTAINER_AUDIO,
  CONTAINER_AUDIO_NO_OPUS,
  routesTo,
  selectTrack,
} from './track-selection.js';
import { type AnyWireFormat, isPacketFormat, SharedPacket } from './wire-format.js';

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
  /** How long a stream outlives its publisher, readers waiting, for a new one to continue it. */
  publisherGraceMs: number;
  /**
   * A publisher that has sent no media for this long gives its stream up to a new publisher that asks for it
   * (its connection hangs after a network change; the new one is the same encoder reconnecting). 0 or absent:
   * a stream with a publisher is always busy.
   */
  publisherTakeoverMs?: number;
  now: () => number;
  /** Where consumer faults go (logged and counted by the composition root). */
  reportFault: FaultReporter;
}

/** In-process consumers (segmenters, DVR, stats) see every packet; they must not block. */
export interface PacketSubscriber {
  /** Names the subscriber in fault reports (hls, dash, dvr...). */
  readonly name?: string;
  /** The audio codecs it takes, best first; absent: what containers take. It sees one audio track only. */
  readonly audioCodecs?: AudioPreference;
  onPacket(shared: SharedPacket): void;
  /** The stream really ended (its grace window passed without a new publisher, or the server closes). */
  onEnd?(): void;
  /** The publisher left (false; readers wait) or a new one took over (true; new headers and a new GOP follow). */
  onPublisherChange?(publishing: boolean): void;
  /** It threw and was removed: release what it holds. Must not throw. */
  onFault?(error: Error): void;
}

/** What a late in-process subscriber needs to start cleanly. */
export interface SourceSnapshot {
  metadata?: SharedPacket;
  /** Every track's sequence header, by track id. */
  headers: SharedPacket[];
  gop: readonly SharedPacket[];
}

type MediaTrackKind = Exclude<MediaKind, 'data'>;

/**
 * One stream: the publisher's packets, the state a new reader needs (metadata, each track's sequence header,
 * GOP), the per-format fan-out channels and the in-process subscribers. It outlives a publisher that leaves:
 * readers stay connected and silent until a new publisher continues it or the registry ends it.
 */
export class StreamSource {
  /** Registry key: vhost/app/stream. */
  readonly id: string;
  /** Short URL-safe id the API uses (`/api/v1/streams/{streamId}`): one per stream, kept across a blip. */
  readonly streamId = `vid-${newContextId()}`;
  readonly stats: StreamStats;
  metadata?: SharedPacket;
  private publisher_: PublisherInfo;
  private publishing = true;
  private idleSince = 0;
  /** When the current publisher last sent a packet (or attached). */
  private lastMediaAt: number;
  private readonly tracks_ = new Map<number, StreamTrack>();
  private readonly gop: GopCache;
  /** Video keyframes seen: a reader that fell behind rejoins at one that came after it fell behind. */
  private keyframes = 0;
  private readonly corrector: TimestampCorrector;
  private readonly channels = new Map<string, FormatChannel>();
  private readonly subscribers = new Set<PacketSubscriber>();
  private readonly statefulFormats = new Map<string, AnyWireFormat>();
  private readonly readerListeners = new Set<(reader: Reader, change: 'join' | ReaderExit) => void>();
  private flushScheduled = false;
  private ended = false;
  /** What consumers that name no audio codecs get (containers: FLV, MPEG-TS, fMP4). */
  private containerAudio: AudioPreference = CONTAINER_AUDIO;

  constructor(
    readonly key: StreamKey,
    publisher: PublisherInfo,
    private readonly options: SourceOptions,
  ) {
    this.id = streamKeyId(key);
    this.publisher_ = publisher;
    this.gop = new GopCache(options.gopCache);
    this.corrector = new TimestampCorrector(options.jitter);
    this.stats = new StreamStats(options.now());
    this.lastMediaAt = options.now();
  }

  /** How long the current publisher has sent nothing. */
  get publisherSilentMs(): number {
    return this.options.now() - this.lastMediaAt;
  }

  /** The current publisher, or the last one while the stream waits for a new one. */
  get publisher(): PublisherInfo {
    return this.publisher_;
  }

  /** False during the grace window after a publisher left (the API shows the stream as idle). */
  get isPublishing(): boolean {
    return this.publishing && !this.ended;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  get tracks(): ReadonlyMap<number, StreamTrack> {
    return this.tracks_;
  }

  /**
   * The track of a kind with a valid configuration that a consumer with this audio preference gets (the
   * lowest id among equals); without one, what single-track containers carry.
   */
  track(kind: MediaTrackKind, audio: AudioPreference = this.containerAudio): StreamTrack | undefined {
    return selectTrack(this.tracks_, kind, audio);
  }

  /** That track's sequence header. */
  header(kind: MediaTrackKind, audio?: AudioPreference): SharedPacket | undefined {
    return this.track(kind, audio)?.header;
  }

  /**
   * The publisher's Opus is being transcoded to AAC for containers: they take the AAC when it comes rather than
   * start on Opus (until the publisher changes).
   */
  expectTranscodedAac(): void {
    this.containerAudio = CONTAINER_AUDIO_NO_OPUS;
  }

  /** The AAC transcode cannot be made (no ffmpeg): containers take the Opus after all. */
  acceptContainerOpus(): void {
    this.containerAudio = CONTAINER_AUDIO;
  }

  /**
   * Ingests a packet the server made from another track (a transcode): on the stream's timeline already, so no
   * timestamp correction, and not counted as the publisher's media.
   */
  pushDerived(packet: MediaPacket): void {
    if (this.ended || !this.publishing || packet.kind === 'data') return;
    let track = this.tracks_.get(packet.track);
    if (!track) {
      track = { id: packet.track, kind: packet.kind, codec: packet.codec, derived: true };
      this.tracks_.set(packet.track, track);
    }
    if (!track.derived || !this.admitTrackPacket(packet)) return;
    this.fanOut(new SharedPacket(packet));
  }

  /** Why a track's media is being dropped (its sequence header was invalid), for the API and the logs. */
  trackProblem(kind: MediaTrackKind): string | undefined {
    for (const t of this.tracks_.values()) if (t.kind === kind && t.problem) return t.problem;
    return undefined;
  }

  /** Ingests one packet. `seed` passes an encoding the ingest already holds (saves re-encoding it). */
  push(packet: MediaPacket, seed?: { formatId: string; bytes: Buffer }): SharedPacket | undefined {
    if (this.ended || !this.publishing) return undefined;
    if (!this.admitTrackPacket(packet)) return undefined;
    if (packet.kind !== 'data') {
      const corrected = this.corrector.correct(packet.track, packet.dts, packet.pts);
      packet.dts = corrected.dts;
      packet.pts = corrected.pts;
    }
    const shared = new SharedPacket(packet);
    if (seed) shared.seed(seed.formatId, seed.bytes);
    const now = this.options.now();
    this.lastMediaAt = now;
    this.stats.onPacket(packet, now);
    this.fanOut(shared);
    return shared;
  }

  private fanOut(shared: SharedPacket): void {
    this.remember(shared);
    const packet = shared.packet;
    for (const channel of this.channels.values()) {
      if (this.routes(channel.format.audioCodecs, packet)) channel.push(shared);
    }
    for (const subscriber of this.subscribers) {
      if (!this.routes(subscriber.audioCodecs, packet)) continue;
      try {
        subscriber.onPacket(shared);
      } catch (error) {
        this.dropSubscriber(subscriber, error);
      }
    }
    this.scheduleFlush();
  }

  /** A stream with one track of each kind (nearly all) skips the selection. */
  private routes(audio: AudioPreference | undefined, packet: MediaPacket): boolean {
    if (this.tracks_.size <= 2 && audio === undefined && this.containerAudio === CONTAINER_AUDIO) return true;
    return routesTo(this.tracks_, packet, audio ?? this.containerAudio);
  }

  /**
   * The publisher left. Readers stay connected (silent) and subscribers close what they have open; the
   * registry ends the stream when no publisher continues it in time.
   */
  detachPublisher(): void {
    if (this.ended || !this.publishing) return;
    this.flush();
    this.publishing = false;
    this.idleSince = this.options.now();
    this.notifyPublisherChange(false);
  }

  /**
   * A new publisher continues the stream: its headers and GOP replace the old ones and its timestamps follow
   * the last ones by the real gap, so readers that waited play on.
   */
  attachPublisher(publisher: PublisherInfo): void {
    if (this.ended || this.publishing) return;
    this.publisher_ = publisher;
    this.publishing = true;
    this.corrector.resume(this.options.now() - this.idleSince);
    this.lastMediaAt = this.options.now();
    this.stats.newPublisher();
    this.tracks_.clear();
    this.containerAudio = CONTAINER_AUDIO;
    this.metadata = undefined;
    this.gop.clear();
    this.notifyPublisherChange(true);
  }

  addReader(format: AnyWireFormat, info: ReaderInfo, sink: ReaderSink): Reader {
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
  statefulFormat<F extends AnyWireFormat>(id: string, create: () => F): F {
    let format = this.statefulFormats.get(id) as F | undefined;
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

  /** Readers that are viewers: every reader but the app's own previews. */
  viewers(): Reader[] {
    return this.readers().filter((r) => !r.info.preview);
  }

  onReaderChange(listener: (reader: Reader, change: 'join' | ReaderExit) => void): () => void {
    this.readerListeners.add(listener);
    return () => this.readerListeners.delete(listener);
  }

  subscribe(subscriber: PacketSubscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  /** What a subscriber with this audio preference needs to start: only the tracks it gets. */
  snapshot(audio?: AudioPreference): SourceSnapshot {
    const picks = (shared: SharedPacket) => this.routes(audio, shared.packet);
    return {
      metadata: this.metadata,
      headers: this.headers().filter(picks),
      gop: this.gop.contents.filter(picks),
    };
  }

  /** The stream is over (grace passed, kicked, server closing): flush, end every reader and subscriber. */
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

  /**
   * Codec configuration is checked once, here, before any output sees it: an invalid one is dropped with its
   * reason and its track's media with it, until a valid configuration arrives.
   */
  private admitTrackPacket(packet: MediaPacket): boolean {
    if (packet.kind === 'data') return true;
    let track = this.tracks_.get(packet.track);
    if (!track) {
      track = { id: packet.track, kind: packet.kind, codec: packet.codec };
      this.tracks_.set(packet.track, track);
    }
    if (!packet.sequenceHeader) return track.problem === undefined;
    const problem = checkCodecConfig(packet);
    if (problem === undefined) {
      track.problem = undefined;
      track.codec = packet.codec;
      return true;
    }
    if (track.problem !== problem) {
      this.options.reportFault({
        kind: 'ingest',
        stream: this.id,
        consumer: `${packet.kind} track ${packet.track} (${packet.codec})`,
        action: 'track dropped until a valid configuration arrives',
        error: new Error(problem),
      });
    }
    track.problem = problem;
    return false;
  }

  private headers(): SharedPacket[] {
    const headers: SharedPacket[] = [];
    for (const id of [...this.tracks_.keys()].sort((a, b) => a - b)) {
      const header = this.tracks_.get(id)?.header;
      if (header) headers.push(header);
    }
    return headers;
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

  private notifyPublisherChange(publishing: boolean): void {
    for (const subscriber of this.subscribers) {
      try {
        subscriber.onPublisherChange?.(publishing);
      } catch (error) {
        this.dropSubscriber(subscriber, error);
      }
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

  private remember(shared: SharedPacket): void {
    const p = shared.packet;
    if (p.kind === 'data') {
      this.metadata = shared;
      return;
    }
    if (p.sequenceHeader) {
      const track = this.tracks_.get(p.track);
      if (track) track.header = shared;
      return;
    }
    if (p.kind === 'video' && p.keyframe) this.keyframes++;
    this.gop.add(shared);
  }

  /** A usable video track means readers start at a keyframe (a refused one does not hold audio readers back). */
  private get hasVideoTrack(): boolean {
    for (const t of this.tracks_.values()) if (t.kind === 'video' && t.problem === undefined) return true;
    return false;
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
      channel.flush(now, () => this.startParts(channel.format), this.hasVideoTrack ? this.keyframes : undefined);
      if (channel.isBroken) this.channels.delete(id);
    }
  }

  /** Metadata, sequence headers and the GOP in one format; undefined while a video stream has no keyframe. */
  private startParts(format: AnyWireFormat): Buffer[] | undefined {
    if (!this.publishing) return undefined;
    if (this.hasVideoTrack && this.options.gopCache.enabled && !this.gop.hasKeyframe) return undefined;
    const parts: Buffer[] = [];
    const add = (shared: SharedPacket) => {
      if (isPacketFormat(format)) for (const p of shared.packetsFor(format)) parts.push(p);
      else parts.push(shared.encoded(format));
    };
    const audio = format.audioCodecs;
    if (this.metadata) add(this.metadata);
    for (const header of this.headers()) if (this.routes(audio, header.packet)) add(header);
    for (const shared of this.gop.contents) if (this.routes(audio, shared.packet)) add(shared);
    return parts;
  }
}
