import type { ConsumerFault } from '../../hub/consumer-fault.js';

/** Consumer faults by kind (encoder, subscriber, reader, ingest...); read by the Prometheus exporter and the API. */
export class FaultCounter {
  readonly counts = new Map<string, number>();
  last?: { time: number; fault: ConsumerFault };

  record(fault: ConsumerFault, time: number): void {
    this.counts.set(fault.kind, (this.counts.get(fault.kind) ?? 0) + 1);
    this.last = { time, fault };
  }

  get total(): number {
    let n = 0;
    for (const count of this.counts.values()) n += count;
    return n;
  }
}
