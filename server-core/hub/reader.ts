import type { ReaderLimits, ReaderSink } from './reader-sink.js';

export type ReaderState = 'joining' | 'live' | 'lagging' | 'paused' | 'closed';

export interface ReaderInfo {
  /** Connection context id, the same one the log lines carry. */
  readonly cid: string;
  readonly protocol: string;
  readonly ip: string;
}

/** Why a reader left the stream: the listener logs it and the API reports it. */
export type ReaderExit = 'stream-ended' | 'stuck' | 'kicked' | 'closed';

/**
 * One reader of one wire format: its position in the stream (joining, live, lagging behind), counters, and the
 * sink it writes to. All decisions are per batch, never per packet.
 */
export class Reader {
  state: ReaderState = 'joining';
  bytesSent = 0;
  /** Video frames this reader skipped because it fell behind. */
  framesDropped = 0;
  /** How many times it fell behind and was resynchronised at a keyframe. */
  drops = 0;
  readonly startedAt: number;
  private laggingSince = 0;

  constructor(
    readonly info: ReaderInfo,
    readonly formatId: string,
    private readonly sink: ReaderSink,
    private readonly limits: ReaderLimits,
    nowMs: number,
    private readonly onExit: (reader: Reader, exit: ReaderExit) => void,
  ) {
    this.startedAt = nowMs;
  }

  /** Delivers one shared batch to a live reader, or decides it has fallen behind. */
  deliver(batch: Buffer, videoFrames: number, bytesPerMs: number, nowMs: number): void {
    if (this.state !== 'live') {
      if (this.state === 'lagging') this.framesDropped += videoFrames;
      return;
    }
    const backlog = this.sink.backlog();
    const backlogMs = bytesPerMs > 0 ? backlog / bytesPerMs : 0;
    if (backlog > this.limits.maxQueueBytes || backlogMs > this.limits.maxQueueMs) {
      this.state = 'lagging';
      this.laggingSince = nowMs;
      this.drops++;
      this.framesDropped += videoFrames;
      return;
    }
    this.send(batch);
  }

  /** A lagging reader that has drained rejoins at the GOP; one that stays stuck is disconnected. */
  needsStart(nowMs: number): boolean {
    if (this.state === 'joining') return true;
    if (this.state !== 'lagging') return false;
    if (this.sink.backlog() === 0) return true;
    if (nowMs - this.laggingSince > this.limits.stuckTimeoutMs) this.exit('stuck');
    return false;
  }

  /** Sends the stream start (headers + GOP) and goes live. */
  start(bytes: Buffer): void {
    this.send(bytes);
    this.state = 'live';
  }

  pause(paused: boolean): void {
    if (this.state === 'closed') return;
    this.state = paused ? 'paused' : 'joining';
  }

  /** The stream is over: let the sink flush and close. */
  end(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.sink.end();
    this.onExit(this, 'stream-ended');
  }

  /** An operator removed this reader (API kick): its connection is closed now. */
  kick(): void {
    this.exit('kicked');
  }

  /** The listener closed the connection (client left, server closing). */
  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.onExit(this, 'closed');
  }

  private exit(reason: ReaderExit): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.sink.destroy(reason);
    this.onExit(this, reason);
  }

  private send(bytes: Buffer): void {
    this.sink.write(bytes);
    this.bytesSent += bytes.length;
  }
}
