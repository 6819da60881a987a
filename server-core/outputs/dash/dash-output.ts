import type { MediaFile, MediaFileProvider } from '../../defs/media-file.js';
import { streamKeyId } from '../../hub/stream-key.js';
import type { StreamRegistry } from '../../hub/stream-registry.js';
import type { StreamSource } from '../../hub/stream-source.js';
import { DashStream } from './dash-stream.js';

export interface DashOutputOptions {
  registry: StreamRegistry;
  vhost: string;
  fragmentMs: number;
  windowMs: number;
  disposeMs: number;
  now: () => number;
}

const SWEEP_INTERVAL_MS = 5_000;

/** MPEG-DASH for every published stream: `name.mpd`, `name-<rep>-init.mp4`, `name-<rep>-<n>.m4s`. */
export class DashOutput implements MediaFileProvider {
  private readonly streams = new Map<string, DashStream>();
  private unsubscribe?: () => void;
  private sweeper?: NodeJS.Timeout;

  constructor(private readonly options: DashOutputOptions) {}

  start(): void {
    this.unsubscribe = this.options.registry.onStream((event) => {
      if (event.type === 'publish') this.begin(event.source);
    });
    // Switched on at run time: streams already live get their MPD from their next keyframe.
    for (const source of this.options.registry.list()) this.begin(source);
    this.sweeper = setInterval(() => {
      const now = this.options.now();
      for (const [id, s] of this.streams)
        if (!s.isLive && now - s.lastActivity > this.options.disposeMs) this.streams.delete(id);
    }, SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  private begin(source: StreamSource): void {
    let stream = this.streams.get(source.id);
    if (!stream) {
      stream = new DashStream(source.key, this.options);
      this.streams.set(source.id, stream);
    }
    stream.attach(source);
  }

  /** Config reload: applies to streams published from now on. */
  configure(change: Pick<DashOutputOptions, 'fragmentMs' | 'windowMs' | 'disposeMs'>): void {
    Object.assign(this.options, change);
  }

  find(app: string, stream: string): DashStream | undefined {
    return this.streams.get(streamKeyId({ vhost: this.options.vhost, app, stream }));
  }

  file(app: string, fileName: string): MediaFile | undefined {
    if (fileName.endsWith('.mpd')) {
      const manifest = this.find(app, fileName.slice(0, -4))?.manifest();
      return manifest ? { body: manifest, contentType: 'application/dash+xml', cacheControl: 'no-cache' } : undefined;
    }
    const init = /^(.+)-(video|audio)-init\.mp4$/.exec(fileName);
    if (init) {
      const body = this.find(app, init[1])?.init(init[2]);
      return body
        ? { body, contentType: init[2] === 'video' ? 'video/mp4' : 'audio/mp4', cacheControl: 'max-age=60' }
        : undefined;
    }
    const media = /^(.+)-(video|audio)-(\d+)\.m4s$/.exec(fileName);
    if (media) {
      const body = this.find(app, media[1])?.media(media[2], Number(media[3]));
      return body
        ? {
            body,
            contentType: media[2] === 'video' ? 'video/iso.segment' : 'audio/iso.segment',
            cacheControl: 'max-age=3600',
          }
        : undefined;
    }
    return undefined;
  }

  close(): void {
    this.unsubscribe?.();
    if (this.sweeper) clearInterval(this.sweeper);
    for (const stream of this.streams.values()) stream.detach();
  }
}
