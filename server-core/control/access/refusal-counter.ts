/** Counts refusals by action, protocol and kind; read by the Prometheus exporter. */
export class RefusalCounter {
  readonly counts = new Map<string, { action: string; protocol: string; kind: string; count: number }>();

  record(action: string, protocol: string, kind: string): void {
    const key = `${action}/${protocol}/${kind}`;
    const entry = this.counts.get(key);
    if (entry) entry.count++;
    else this.counts.set(key, { action, protocol, kind, count: 1 });
  }
}
