/** How often every player's sender is polled (too-late drop, tail retransmission, keepalive, idle timeout). */
export const PLAY_TICK_MS = 10;

export interface Tickable {
  tick(): void;
}

/**
 * One interval for all the players of a listener. A timer per connection, re-armed after every send and every
 * ACK, cost more than the polls it ran; a sender with nothing due answers a poll without allocating, so polling
 * hundreds of players every tick is cheap. The interval runs only while there are players.
 */
export class SrtPlayTicker {
  private readonly members = new Set<Tickable>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly periodMs = PLAY_TICK_MS) {}

  get size(): number {
    return this.members.size;
  }

  add(member: Tickable): void {
    this.members.add(member);
    this.timer ??= setInterval(() => this.tickAll(), this.periodMs);
  }

  delete(member: Tickable): void {
    this.members.delete(member);
    if (this.members.size > 0 || !this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private tickAll(): void {
    // A member may close (and leave the set) during its tick: Set iteration allows it.
    for (const member of this.members) member.tick();
  }
}
