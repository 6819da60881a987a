import type { SharedPacket } from './wire-format.js';

export interface GopCacheLimits {
  enabled: boolean;
  /** Past this many bytes the GOP is not worth caching: the cache empties until the next keyframe. */
  maxBytes: number;
  maxPackets: number;
}

/**
 * The packets from the last video keyframe onward, so a new reader starts decoding at once.
 * Streams without video cache nothing: audio frames are all independently decodable.
 */
export class GopCache {
  private packets: SharedPacket[] = [];
  private bytes = 0;
  private overflowed = false;

  constructor(private readonly limits: GopCacheLimits) {}

  add(shared: SharedPacket): void {
    if (!this.limits.enabled) return;
    const p = shared.packet;
    if (p.sequenceHeader || p.kind === 'data') return;
    if (p.kind === 'video' && p.keyframe) {
      this.packets = [];
      this.bytes = 0;
      this.overflowed = false;
    } else if (this.packets.length === 0 || this.overflowed) {
      return;
    }
    this.packets.push(shared);
    this.bytes += p.payload.length;
    if (this.bytes > this.limits.maxBytes || this.packets.length > this.limits.maxPackets) {
      this.packets = [];
      this.bytes = 0;
      this.overflowed = true;
    }
  }

  /** True once a keyframe starts the cache: a reader joining now can decode from the first packet. */
  get hasKeyframe(): boolean {
    return this.packets.length > 0;
  }

  get contents(): readonly SharedPacket[] {
    return this.packets;
  }

  get byteLength(): number {
    return this.bytes;
  }

  clear(): void {
    this.packets = [];
    this.bytes = 0;
    this.overflowed = false;
  }
}
