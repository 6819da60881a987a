import { get } from 'node:http';
import { FlvStreamReader } from '../server-core/codec/flv/index.js';

/**
 * One HTTP-FLV reader in the publisher's process: for each video frame it sees, delay = arrival time minus the
 * time the publisher sent that timestamp (same host, same clock). The publisher starts at timestamp 0, so both
 * servers under test hand readers the publisher's own timestamps.
 */
export class LatencyProbe {
  readonly delays: number[] = [];
  private close: () => void = () => {};

  constructor(private readonly sentAt: Map<number, number>) {}

  start(url: string): void {
    const reader = new FlvStreamReader();
    const req = get(url, { agent: false }, (res) => {
      res.on('data', (chunk: Buffer) => {
        const now = Date.now();
        for (const tag of reader.push(chunk)) {
          if (tag.tagType !== 9) continue;
          const sent = this.sentAt.get(tag.timestamp);
          if (sent !== undefined) this.delays.push(now - sent);
        }
      });
      res.on('error', () => {});
    });
    req.on('error', () => {});
    this.close = () => req.destroy();
  }

  /** Forgets what was measured so far (the GOP-cache burst at join time is not steady-state delay). */
  reset(): void {
    this.delays.length = 0;
  }

  stop(): void {
    this.close();
  }
}
