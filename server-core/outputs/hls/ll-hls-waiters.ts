import type { MediaFile } from '../../defs/media-file.js';

interface Waiter {
  ready: () => MediaFile | undefined;
  resolve: (file: MediaFile) => void;
  timer: NodeJS.Timeout;
  onTimeout: () => MediaFile;
}

/**
 * Requests held until what they ask for exists (LL-HLS blocking playlist reload, a preload-hinted part). Each is
 * re-checked when the stream changes and answered by `onTimeout` when its wait runs out, so none hangs; past
 * `max` held requests a new one is answered at once with `whenFull` (one stream cannot pile up sockets).
 */
export class LlHlsWaiters {
  private readonly waiting = new Set<Waiter>();

  constructor(private readonly max: () => number) {}

  get size(): number {
    return this.waiting.size;
  }

  /** Answers now when `ready` already gives a file; otherwise when it does, or at the timeout. */
  wait(
    ready: () => MediaFile | undefined,
    timeoutMs: number,
    onTimeout: () => MediaFile,
    whenFull: () => MediaFile,
  ): MediaFile | Promise<MediaFile> {
    const now = ready();
    if (now) return now;
    if (this.waiting.size >= this.max()) return whenFull();
    return new Promise<MediaFile>((resolve) => {
      const waiter: Waiter = {
        ready,
        resolve,
        onTimeout,
        timer: setTimeout(() => {
          this.waiting.delete(waiter);
          resolve(onTimeout());
        }, timeoutMs),
      };
      waiter.timer.unref();
      this.waiting.add(waiter);
    });
  }

  /** The stream changed (a new part, a segment, the end): answer every request that can be answered now. */
  poke(): void {
    for (const waiter of this.waiting) {
      const file = waiter.ready();
      if (!file) continue;
      clearTimeout(waiter.timer);
      this.waiting.delete(waiter);
      waiter.resolve(file);
    }
  }

  /** The output closes: every held request gets its timeout answer now. */
  releaseAll(): void {
    for (const waiter of this.waiting) {
      clearTimeout(waiter.timer);
      waiter.resolve(waiter.onTimeout());
    }
    this.waiting.clear();
  }
}
