import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { HlsSegment } from './hls-segment.js';
import type { HlsStream } from './hls-stream.js';

/**
 * Mirrors playlists and segments to a folder (`hls.path`) so nginx or a CDN can serve them. Writes are
 * asynchronous and ordered per stream; the playlist is replaced atomically and only after its segments exist.
 */
export class HlsDiskMirror {
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly root: string,
    private readonly logger: Logger,
  ) {}

  segmentAdded(stream: HlsStream, segment: HlsSegment): void {
    this.enqueue(stream, async (dir) => {
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, segment.name), segment.data);
    });
  }

  segmentExpired(stream: HlsStream, segment: HlsSegment): void {
    this.enqueue(stream, (dir) => rm(join(dir, segment.name), { force: true }));
  }

  playlistChanged(stream: HlsStream, playlist: string): void {
    this.enqueue(stream, async (dir) => {
      await mkdir(dir, { recursive: true });
      const target = join(dir, `${stream.key.stream}.m3u8`);
      await writeFile(`${target}.tmp`, playlist);
      await rename(`${target}.tmp`, target);
    });
  }

  /** Removes a disposed stream's files. */
  disposed(stream: HlsStream): void {
    this.enqueue(stream, async (dir) => {
      for (const segment of stream.allSegments()) await rm(join(dir, segment.name), { force: true });
      await rm(join(dir, `${stream.key.stream}.m3u8`), { force: true });
    });
  }

  async flush(): Promise<void> {
    await Promise.all(this.queues.values());
  }

  private enqueue(stream: HlsStream, task: (dir: string) => Promise<unknown>): void {
    const id = `${stream.key.app}/${stream.key.stream}`;
    const dir = join(this.root, stream.key.app);
    const previous = this.queues.get(id) ?? Promise.resolve();
    const next = previous
      .then(() => task(dir))
      .then(
        () => undefined,
        (error: Error) => this.logger.error({ err: error.message, stream: id }, 'hls disk write failed'),
      );
    this.queues.set(id, next);
  }
}
