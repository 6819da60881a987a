import { seqInc, seqOffset } from './seq.js';

/**
 * The receiver's buffer: a ring of slots for the sequence numbers from `head` (next to deliver) up to
 * `capacity` ahead of it. Slot of seq s = (base + offset(head, s)) mod capacity; advancing clears the head slot.
 */
export interface BufferedPacket {
  seq: number;
  payload: Buffer;
  messageNumber: number;
  timestampUs: number;
}

export class ReceiveBuffer {
  private readonly slots: (BufferedPacket | undefined)[];
  private base = 0;
  private count = 0;

  constructor(
    readonly capacity: number,
    private headSeq: number,
  ) {
    this.slots = new Array(capacity);
  }

  get head(): number {
    return this.headSeq;
  }

  get size(): number {
    return this.count;
  }

  /** Where seq falls: negative before the head, >= capacity beyond the window. */
  offsetOf(seq: number): number {
    return seqOffset(this.headSeq, seq);
  }

  get(seq: number): BufferedPacket | undefined {
    const off = this.offsetOf(seq);
    return off >= 0 && off < this.capacity ? this.slots[(this.base + off) % this.capacity] : undefined;
  }

  /** Stores a packet inside the window; false for a duplicate or outside it. */
  put(packet: BufferedPacket): boolean {
    const off = this.offsetOf(packet.seq);
    if (off < 0 || off >= this.capacity) return false;
    const i = (this.base + off) % this.capacity;
    if (this.slots[i]) return false;
    this.slots[i] = packet;
    this.count++;
    return true;
  }

  /** Removes and returns the head slot's packet (undefined when missing), moving the head on by one. */
  shift(): BufferedPacket | undefined {
    const p = this.slots[this.base];
    if (p) {
      this.slots[this.base] = undefined;
      this.count--;
    }
    this.base = (this.base + 1) % this.capacity;
    this.headSeq = seqInc(this.headSeq);
    return p;
  }

  /** The first buffered packet at or after the head, looking at most `limit` slots ahead. */
  firstBuffered(limit: number): BufferedPacket | undefined {
    if (this.count === 0) return undefined;
    const n = Math.min(limit, this.capacity);
    for (let off = 0; off < n; off++) {
      const p = this.slots[(this.base + off) % this.capacity];
      if (p) return p;
    }
    return undefined;
  }
}
