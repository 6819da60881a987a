import type { Logger } from 'pino';
import type { MediaFile, MediaFileProvider } from '../../defs/media-file.js';
import { type StreamKey, streamKeyId } from '../../hub/stream-key.js';
import type { StreamRegistry } from '../../hub/stream-registry.js';
import type { StreamSource } from '../../hub/stream-source.js';
import { HlsDiskMirror } from './hls-disk-mirror.js';
import { describeVariant, renderMasterPlaylist } from './hls-master-playlist.js';
import type { HlsSegment } from './hls-segment.js';
import { HlsStream } from './hls-stream.js';

export interface HlsOutputOptions {
  registry: StreamRegistry;
  vhost: string;
  fragmentMs: number;
  windowMs: number;
  /** How long an ended playlist stays available (for a reconnecting publisher and late players). */
  disposeMs: number;
  /** Optional folder to mirror playlists and segments into. */
  path?: string;
  logger: Logger;
  now: () => number;
  /** on_hls hook point. */
  onSegment?: (key: StreamKey, segment: HlsSegment) => void;
  /** A stream with an ABR ladder: its rendition stream names; its playlist is then a master playlist. */
  renditionsOf?: (app: string, stream: string) => readonly string[] | undefined;
}

const SWEEP_INTERVAL_MS = 5_000;

/** HLS for every published stream: one HlsStream per stream name, from publish until disposal. */
export class HlsOutput implements MediaFileProvider {
  private readonly streams = new Map<string, HlsStream>();
  private readonly mirror?: HlsDiskMirror;
  private unsubscribe?: () => void;
  private sweeper?: NodeJS.Timeout;

  constructor(private readonly options: HlsOutputOptions) {
    if (options.path) this.mirror = new HlsDiskMirror(options.path, options.logger);
  }

  start(): void {
    this.unsubscribe = this.options.registry.onStream((event) => {
      if (event.type === 'publish') this.begin(event.source);
    });
    // Switched on at run time: streams already live get their playlist from their next keyframe.
    for (const source of this.options.registry.list()) this.begin(source);
    this.sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  private begin(source: StreamSource): void {
    const previous = this.streams.get(source.id);
    // A stream that really ended left an ENDLIST playlist, which must never change: a new publish starts a
    // new playlist, numbered after the old one so no segment name is reused.
    if (previous) this.mirror?.disposed(previous);
    const stream = this.createStream(source.key, previous?.sequenceAfter ?? 0);
    this.streams.set(source.id, stream);
    stream.attach(source);
  }

  /** Config reload: new segment durations and windows apply to streams published from now on. */
  configure(change: Pick<HlsOutputOptions, 'fragmentMs' | 'windowMs' | 'disposeMs'>): void {
    Object.assign(this.options, change);
  }

  /** Serves `name.m3u8` and `name-N.ts` for a stream of `app`. */
  file(app: string, fileName: string): MediaFile | undefined {
    if (fileName.endsWith('.m3u8')) {
      const name = fileName.slice(0, -'.m3u8'.length);
      const master = this.masterPlaylist(app, name);
      if (master) return { body: master, contentType: 'application/vnd.apple.mpegurl', cacheControl: 'no-cache' };
      const stream = this.find(app, name);
      if (!stream || stream.segmentCount === 0) return undefined;
      return {
        body: stream.playlist(),
        contentType: 'application/vnd.apple.mpegurl',
        cacheControl: 'no-cache',
      };
    }
    const match = /^(.+)-(\d+)\.ts$/.exec(fileName);
    if (!match) return undefined;
    const segment = this.find(app, match[1])?.segment(fileName);
    if (!segment) return undefined;
    return { body: segment.data, contentType: 'video/mp2t', cacheControl: 'max-age=3600' };
  }

  /** The master playlist over the renditions that have segments already; undefined without a ladder. */
  private masterPlaylist(app: string, stream: string): string | undefined {
    const variants = (this.options.renditionsOf?.(app, stream) ?? []).flatMap((name) => {
      const hls = this.find(app, name);
      const source = this.options.registry.find({ vhost: this.options.vhost, app, stream: name });
      return hls && hls.segmentCount > 0 ? [describeVariant(`${name}.m3u8`, hls, source)] : [];
    });
    return variants.length ? renderMasterPlaylist(variants) : undefined;
  }

  find(app: string, stream: string): HlsStream | undefined {
    return this.streams.get(streamKeyId({ vhost: this.options.vhost, app, stream }));
  }

  async close(): Promise<void> {
    this.unsubscribe?.();
    if (this.sweeper) clearInterval(this.sweeper);
    for (const stream of this.streams.values()) stream.detach();
    await this.mirror?.flush();
  }

  private createStream(key: StreamKey, firstSequence: number): HlsStream {
    const mirror = this.mirror;
    return new HlsStream(key, {
      firstSequence,
      fragmentMs: this.options.fragmentMs,
      windowMs: this.options.windowMs,
      now: this.options.now,
      onSegment: (stream, segment) => {
        mirror?.segmentAdded(stream, segment);
        this.options.onSegment?.(key, segment);
      },
      onSegmentExpired: mirror ? (stream, segment) => mirror.segmentExpired(stream, segment) : undefined,
      onPlaylist: mirror ? (stream, playlist) => mirror.playlistChanged(stream, playlist) : undefined,
    });
  }

  /** Drops ended playlists nobody republished within `disposeMs`: nothing is kept for streams that are gone. */
  private sweep(): void {
    const now = this.options.now();
    for (const [id, stream] of this.streams) {
      if (!stream.isLive && now - stream.lastActivity > this.options.disposeMs) {
        this.streams.delete(id);
        this.mirror?.disposed(stream);
      }
    }
  }
}
