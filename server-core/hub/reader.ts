import { type Batch, batchSize } from './batch.js';
import type { ReaderLimits, ReaderSink } from './reader-sink.js';

/** The query flag the app's previews add to their play URLs; the session path marks such readers. */
export const PREVIEW_QUERY_FLAG = 'tally_preview';

export function isPreviewQuery(query: string): boolean {
  const flag = new URLSearchParams(query).get(PREVIEW_QUERY_FLAG);
  return flag !== null && flag !== '0';
}

export type ReaderState = 'joining' | 'live' | 'lagging' | 'paused' | 'closed';

export interface ReaderInfo {
  /** Connection context id, the same one the log lines carry. */
  readonly cid: string;
  readonly protocol: string;
  readonly ip: string;
  /** The query string the connection was opened with (no `?`), when the protocol has one; the app reads flags from it. */
  readonly query?: string;
  /** The app's own preview (opened with `?tally_preview=1`): a connection, but never counted as a viewer. */
  readonly preview?: boolean;
}

/** Why a reader left the stream: the listener logs it and the API reports it. */
export type ReaderExit = 'stream-ended' | 'stuck' | 'kicked' | 'failed' | 'closed';

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
  /** The stream's keyframe count when this reader fell behind (undefined: no video, or it has not). */
  private fellAtKeyframe?: number;
  /** Since when the sink has held bytes without draining to empty (undefined: it is drained). */
  private blockedSince?: number;

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

  /**
   * Delivers one shared batch to a live reader, or decides it has fallen behind. keyframes: the stream's
   * keyframe count with this batch (undefined without video), remembered at a fall.
   */
  deliver(batch: Batch, videoFrames: number, bytesPerMs: number, nowMs: number, keyframes?: number): void {
    if (this.state !== 'live') {
      if (this.state === 'lagging') this.framesDropped += videoFrames;
      return;
    }
    const backlog = this.sink.backlog();
    if (this.isStuck(backlog, nowMs)) return;
    const backlogMs = bytesPerMs > 0 ? backlog / bytesPerMs : 0;
    if (backlog > this.limits.maxQueueBytes || backlogMs > this.limits.maxQueueMs) {
      this.state = 'lagging';
      this.fellAtKeyframe = keyframes;
      this.drops++;
      this.framesDropped += videoFrames;
      return;
    }
    this.send(batch);
  }

  /**
   * A joining reader starts now (at the cached GOP). A lagging one that has drained rejoins at the first
   * keyframe after its fall, never at the GOP it was in: that would send it frames again and take its clock
   * back (a WebRTC viewer shows a jump, an FLV player sees time go backwards). One that stays stuck is
   * disconnected.
   */
  needsStart(nowMs: number, keyframes?: number): boolean {
    if (this.state === 'joining') return true;
    if (this.state !== 'lagging') return false;
    const backlog = this.sink.backlog();
    if (this.isStuck(backlog, nowMs)) return false;
    if (backlog !== 0) return false;
    const fell = this.fellAtKeyframe;
    return keyframes === undefined || fell === undefined || keyframes > fell;
  }

  /**
   * The stuck clock starts when the sink stops draining (bytes left over at a check) and stops when it is empty
   * again: a player that stalls goes after stuckTimeoutMs from the stall, not from when its queue overflowed.
   */
  private isStuck(backlog: number, nowMs: number): boolean {
    if (backlog === 0 || this.sink.drainsAtPeerPace === false) {
      this.blockedSince = undefined;
      return false;
    }
    this.blockedSince ??= nowMs;
    if (nowMs - this.blockedSince <= this.limits.stuckTimeoutMs) return false;
    this.exit('stuck');
    return true;
  }

  /** Sends the stream start (headers + GOP) and goes live. */
  start(bytes: Batch): void {
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

  /** Its wire format or transport failed (a fault the hub reported): the connection is closed now. */
  fail(): void {
    this.exit('failed');
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

  private send(batch: Batch): void {
    if (Buffer.isBuffer(batch)) this.sink.write(batch);
    else if (this.sink.writePackets) this.sink.writePackets(batch);
    else throw new Error(`reader ${this.info.cid}: its sink cannot take packets`);
    this.bytesSent += batchSize(batch);
  }
}
