/**
 * Ingest clock: a sender's media clocks (MPEG-TS 90 kHz with 33-bit wrap, RTP 90/48 kHz with 32-bit wrap, any
 * other rate) to the hub's integer milliseconds.
 *
 * One IngestClock per published stream holds the timeline its tracks share, so audio and video keep their
 * relative offset. The timeline runs in epochs: the first timestamp seen starts epoch one at 0 ms; a sender that
 * restarts (its DTS jumps back, or forward by more than a gap we would wait out) starts a new epoch that continues
 * just after the latest output, so the hub sees one monotonic timeline across senders. Each TrackClock unwraps its
 * own ticks against its previous value (convert) and keeps what it emits monotonic and non-negative (settle).
 */

/** TS PES timestamps are 33-bit (ISO/IEC 13818-1 2.4.3.7). */
export const TS_TIMESTAMP_WRAP = 2 ** 33;
/** RTP timestamps are 32-bit (RFC 3550 5.1). */
export const RTP_TIMESTAMP_WRAP = 2 ** 32;
export const TS_CLOCK_RATE = 90_000;

/** A DTS this far behind the track's previous one means a new sender, not reordering. */
export const DEFAULT_MAX_BACKWARD_JUMP_MS = 500;
/** A DTS this far ahead means a new sender (or an outage we do not reproduce as a gap). */
export const DEFAULT_MAX_FORWARD_JUMP_MS = 10_000;
/** Where a new epoch starts after the latest output DTS: about one video frame. */
export const DEFAULT_RESTART_GAP_MS = 40;

export interface IngestClockOptions {
  maxBackwardJumpMs?: number;
  maxForwardJumpMs?: number;
  restartGapMs?: number;
}

export interface ClockTime {
  dts: number;
  pts: number;
}

interface Epoch {
  /** The sender time (ms, unwrapped ticks / rate) that maps to outputOriginMs. */
  readonly senderOriginMs: number;
  readonly outputOriginMs: number;
}

/** The extended tick value congruent to `ticks` modulo `wrapTicks` nearest to `reference`. */
export function unwrapTicks(ticks: number, reference: number, wrapTicks: number): number {
  if (!Number.isFinite(wrapTicks)) return ticks;
  const raw = ((ticks % wrapTicks) + wrapTicks) % wrapTicks;
  return raw + Math.round((reference - raw) / wrapTicks) * wrapTicks;
}

export class IngestClock {
  readonly maxBackwardJumpMs: number;
  readonly maxForwardJumpMs: number;
  readonly restartGapMs: number;
  private epoch: Epoch | undefined;
  private epochCount = 0;
  private jumpCount = 0;
  private latestMs = 0;

  constructor(options: IngestClockOptions = {}) {
    this.maxBackwardJumpMs = options.maxBackwardJumpMs ?? DEFAULT_MAX_BACKWARD_JUMP_MS;
    this.maxForwardJumpMs = options.maxForwardJumpMs ?? DEFAULT_MAX_FORWARD_JUMP_MS;
    this.restartGapMs = options.restartGapMs ?? DEFAULT_RESTART_GAP_MS;
  }

  /**
   * A clock for one track; `wrapTicks` Infinity for a clock that never wraps. `after`: the clock this one replaces
   * (same kind of media, e.g. a new PID for video), whose last output it must not go below.
   */
  track(rateHz: number, wrapTicks: number = TS_TIMESTAMP_WRAP, after?: TrackClock): TrackClock {
    return new TrackClock(this, rateHz, wrapTicks, after?.lastDts ?? 0);
  }

  /** The next timestamp of any track starts a new epoch (e.g. the sender's program changed). */
  restart(): void {
    this.epoch = undefined;
  }

  /** Epochs started because a track's timestamps jumped (a restarted sender). */
  get jumps(): number {
    return this.jumpCount;
  }

  /** Epochs started so far, the first included. */
  get epochs(): number {
    return this.epochCount;
  }

  /** @internal */
  current(): Epoch | undefined {
    return this.epoch;
  }

  /** @internal Starts an epoch whose origin is this sender time. */
  startEpoch(senderMs: number, jumped: boolean): Epoch {
    const outputOriginMs = this.epochCount === 0 ? 0 : this.latestMs + this.restartGapMs;
    this.epoch = { senderOriginMs: senderMs, outputOriginMs };
    this.epochCount++;
    if (jumped) this.jumpCount++;
    return this.epoch;
  }

  /** The latest dts any track settled. */
  get latest(): number {
    return this.latestMs;
  }

  /** @internal */
  observe(dtsMs: number): void {
    if (dtsMs > this.latestMs) this.latestMs = dtsMs;
  }
}

export class TrackClock {
  private epoch: Epoch | undefined;
  private lastTicks = 0;

  /** Use IngestClock.track(). */
  constructor(
    private readonly clock: IngestClock,
    readonly rateHz: number,
    readonly wrapTicks: number,
    private lastDtsMs: number,
  ) {}

  /** The last dts settle() returned (or the floor it started from). */
  get lastDts(): number {
    return this.lastDtsMs;
  }

  /**
   * Milliseconds for a DTS/PTS pair in ticks (pts defaults to dts); undefined for values that are not finite
   * non-negative numbers. pts is unwrapped next to dts, so a PTS that wrapped before its DTS stays ahead of it.
   * The result is the plain mapping: a track that starts before the epoch's origin gets negative times, which
   * the normalizers spread over the frames of a payload before settle() clamps each packet.
   */
  convert(dtsTicks: number, ptsTicks: number = dtsTicks): ClockTime | undefined {
    if (!isTicks(dtsTicks) || !isTicks(ptsTicks)) return undefined;
    const ticks = this.place(dtsTicks);
    this.lastTicks = ticks;
    const epoch = this.epoch!;
    const pts = unwrapTicks(ptsTicks, ticks, this.wrapTicks);
    return { dts: this.toMs(ticks, epoch), pts: this.toMs(pts, epoch) };
  }

  /**
   * The times to emit for one packet of this track: dts never below 0 or the track's previous dts, pts never
   * below its dts. Every packet of the track goes through here, in order.
   */
  settle(dts: number, pts: number = dts): ClockTime {
    const settledDts = Math.max(dts, this.lastDtsMs, 0);
    this.lastDtsMs = settledDts;
    this.clock.observe(settledDts);
    return { dts: settledDts, pts: Math.max(pts, settledDts) };
  }

  /** Unwraps dts and settles which epoch it belongs to; returns the extended ticks. */
  private place(dtsTicks: number): number {
    const current = this.clock.current();
    if (this.epoch !== undefined && current !== undefined) {
      const ticks = unwrapTicks(dtsTicks, this.lastTicks, this.wrapTicks);
      if (!this.jumped(ticks - this.lastTicks)) return ticks;
      if (current !== this.epoch) {
        // Another track already saw the sender restart: join its epoch, if this time fits it.
        const joined = unwrapTicks(dtsTicks, (current.senderOriginMs * this.rateHz) / 1000, this.wrapTicks);
        if (!this.jumpedFrom(this.clock.latest, this.toMs(joined, current))) {
          this.epoch = current;
          return joined;
        }
      }
      this.epoch = this.clock.startEpoch((ticks * 1000) / this.rateHz, true);
      return ticks;
    }
    if (current !== undefined) {
      // A new track joining the running epoch.
      this.epoch = current;
      return unwrapTicks(dtsTicks, (current.senderOriginMs * this.rateHz) / 1000, this.wrapTicks);
    }
    // No epoch yet, or restart() asked for a new one.
    const ticks = unwrapTicks(dtsTicks, this.epoch === undefined ? 0 : this.lastTicks, this.wrapTicks);
    this.epoch = this.clock.startEpoch((ticks * 1000) / this.rateHz, false);
    return ticks;
  }

  private jumped(deltaTicks: number): boolean {
    return this.jumpedFrom(0, (deltaTicks * 1000) / this.rateHz);
  }

  private jumpedFrom(fromMs: number, toMs: number): boolean {
    const deltaMs = toMs - fromMs;
    return deltaMs < -this.clock.maxBackwardJumpMs || deltaMs > this.clock.maxForwardJumpMs;
  }

  private toMs(ticks: number, epoch: Epoch): number {
    return Math.round((ticks * 1000) / this.rateHz - epoch.senderOriginMs + epoch.outputOriginMs);
  }
}

function isTicks(value: number): boolean {
  return Number.isFinite(value) && value >= 0;
}
