/**
 * A bounded per-reader queue of packets for a transport with no kernel backlog to measure (UDP) or one that
 * paces itself (SRT's send window): the sink pushes, the transport takes when it may send, and `bytes` is the
 * backlog the hub's drop-to-keyframe and stuck policies read. Past the bound it refuses (the hub then drops
 * that reader to the next keyframe instead of queueing without end).
 */
export class PacketQueue {
  private items: Buffer[] = [];
  private head = 0;
  private queuedBytes = 0;

  constructor(private readonly maxBytes: number) {}

  get bytes(): number {
    return this.queuedBytes;
  }

  get length(): number {
    return this.items.length - this.head;
  }

  /** Queues packets in order; false (nothing queued) when they would pass the bound. */
  push(packets: readonly Buffer[]): boolean {
    let size = 0;
    for (const p of packets) size += p.length;
    if (this.queuedBytes + size > this.maxBytes) return false;
    for (const p of packets) this.items.push(p);
    this.queuedBytes += size;
    return true;
  }

  /** The next packet, or undefined when empty. */
  shift(): Buffer | undefined {
    if (this.head >= this.items.length) return undefined;
    const packet = this.items[this.head++];
    this.queuedBytes -= packet.length;
    // Compact now and then so a long-lived queue does not keep a growing array.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return packet;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
    this.queuedBytes = 0;
  }
}
