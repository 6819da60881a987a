import type { StreamRegistry } from '../../hub/stream-registry.js';
import { RateMeter } from './rate-meter.js';

export interface Rates {
  recvKbps: number;
  sendKbps: number;
}

/**
 * Samples every stream's and client's byte counters every few seconds, so the API, metrics and UI can
 * report 30-second bitrates (SRS's kbps.recv_30s / send_30s) without work on the media path.
 */
export class TrafficSampler {
  private readonly meters = new Map<string, { recv: RateMeter; send: RateMeter }>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly registry: StreamRegistry,
    private readonly now: () => number,
    private readonly intervalMs = 2000,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Rates of a stream (by streamId) or a client (by cid). */
  rates(id: string): Rates {
    const meter = this.meters.get(id);
    return meter ? { recvKbps: meter.recv.kbps(), sendKbps: meter.send.kbps() } : { recvKbps: 0, sendKbps: 0 };
  }

  sample(): void {
    const now = this.now();
    const seen = new Set<string>();
    const record = (id: string, recv: number, send: number) => {
      seen.add(id);
      let meter = this.meters.get(id);
      if (!meter) {
        meter = { recv: new RateMeter(), send: new RateMeter() };
        this.meters.set(id, meter);
      }
      meter.recv.sample(recv, now);
      meter.send.sample(send, now);
    };
    for (const source of this.registry.list()) {
      record(source.streamId, source.stats.recvBytes, source.sentBytes());
      record(source.publisher.cid, source.stats.recvBytes, 0);
      for (const reader of source.readers()) record(reader.info.cid, 0, reader.bytesSent);
    }
    for (const id of this.meters.keys()) if (!seen.has(id)) this.meters.delete(id);
  }
}
