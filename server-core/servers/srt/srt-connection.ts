import type { Logger } from 'pino';
import type {
  SrtConnectionParams,
  SrtDatagram,
  SrtOutputs,
  SrtReceiver,
  SrtSender,
  SrtStreamId,
} from '../../protocol/srt/index.js';
import { commonCounters, type SrtConnectionStats } from './srt-connection-stats.js';
import type { SrtPlaySink } from './srt-play-sink.js';
import type { SrtPlayTicker } from './srt-play-ticker.js';
import type { SrtPublishFeed } from './srt-publish-feed.js';

/** Sender poll period while payloads are in flight (too-late drop, tail retransmission), and when idle (keepalive). */
export const SENDER_BUSY_POLL_MS = 10;
export const SENDER_IDLE_POLL_MS = 250;
/**
 * A player that has sent nothing (no ACK, no keepalive) for this long is probably gone: its sender is polled at the
 * idle period, so the idle-tail retransmission does not flood a dead peer until the idle timeout closes it.
 */
export const QUIET_PEER_MS = 1000;
/** A finished player gets this long for its last payloads to be acknowledged before the shutdown. */
export const FINISH_DRAIN_MS = 1000;
/** Bitrate sampling period of the stats. */
export const RATE_WINDOW_MS = 1000;

export type SrtDirection =
  | { role: 'publish'; receiver: SrtReceiver; feed: SrtPublishFeed }
  | { role: 'play'; sender: SrtSender; sink: SrtPlaySink };

export interface SrtConnectionOptions {
  cid: string;
  params: SrtConnectionParams;
  streamId: SrtStreamId;
  direction: SrtDirection;
  /** Sends one datagram to the peer. */
  send: (datagram: SrtDatagram) => void;
  /** Ends the publish or play session (idempotent). */
  endSession: () => void;
  onClosed: (connection: SrtConnection) => void;
  peerIdleTimeoutMs: number;
  /** Polls a player with all the others (a publisher keeps its own timer: TSBPD release wants its exact time). */
  ticker?: SrtPlayTicker;
  logger: Logger;
  now: () => number;
}

/**
 * One accepted SRT connection: datagrams addressed to its socket id go to its live-mode state machine (a
 * receiver for a publisher, a sender for a player), which a timer polls when it next has something to do (the
 * listener's shared tick for a player).
 * Its outputs go back to the UDP socket, released payloads to the publish feed. Closing it (peer shutdown, idle
 * peer, kick, server closing) sends our shutdown when the peer is still there and ends the session.
 */
export class SrtConnection {
  readonly cid: string;
  readonly socketId: number;
  readonly params: SrtConnectionParams;
  private readonly direction: SrtDirection;
  private timer?: NodeJS.Timeout;
  private dueAt = Number.POSITIVE_INFINITY;
  private closed = false;
  private finishBy?: number;
  private lastHeardMs: number;
  private rate = { atMs: 0, bytes: 0, kbps: 0 };

  constructor(private readonly options: SrtConnectionOptions) {
    this.cid = options.cid;
    this.params = options.params;
    this.socketId = options.params.socketId;
    this.direction = options.direction;
    this.rate.atMs = options.params.acceptedAtMs;
    this.lastHeardMs = options.params.acceptedAtMs;
  }

  get role(): 'publish' | 'play' {
    return this.direction.role;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Starts the timers (and, for a player, the payloads that waited for the handshake). */
  start(): void {
    const d = this.direction;
    if (d.role === 'play') {
      d.sink.attach({
        send: (payload) => {
          this.handle(d.sender.send(payload, this.options.now()));
          this.schedule();
        },
        inFlight: () => d.sender.inFlight,
        rttMs: () => d.sender.stats.rttMs,
        rttVarMs: () => d.sender.stats.rttVarMs,
        finish: () => this.finish(),
        destroy: (reason) => this.close(reason),
      });
      if (this.options.ticker) {
        this.options.ticker.add(this);
        return;
      }
    }
    this.schedule();
  }

  /** The shared tick (players). */
  tick(): void {
    this.poll();
  }

  /** One datagram from the peer. */
  push(datagram: Buffer): void {
    if (this.closed) return;
    const now = this.options.now();
    this.lastHeardMs = now;
    const d = this.direction;
    this.handle(d.role === 'publish' ? d.receiver.push(datagram, now) : d.sender.push(datagram, now));
    this.schedule();
  }

  /** Closes the connection (idempotent): our shutdown when the peer did not end it, then the session ends. */
  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.options.ticker?.delete(this);
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const d = this.direction;
    const engine = d.role === 'publish' ? d.receiver : d.sender;
    if (!engine.isClosed) for (const datagram of engine.close(this.options.now()).send) this.options.send(datagram);
    if (d.role === 'publish') {
      try {
        d.feed.flush();
      } catch (error) {
        this.options.logger.error({ err: (error as Error).message }, 'srt publish flush failed');
      }
    }
    this.options.endSession();
    const s = this.stats();
    this.options.logger.info(
      {
        reason,
        role: s.role,
        stream: `/${s.app}/${s.stream}`,
        bytes: s.bytes,
        retransmits: s.retransmits,
        dropped: s.dropped,
        rttMs: Math.round(s.rttMs * 10) / 10,
      },
      'srt connection closed',
    );
    this.options.onClosed(this);
  }

  stats(): SrtConnectionStats {
    const d = this.direction;
    const counters = commonCounters(
      d.role === 'publish' ? { role: 'publish', stats: d.receiver.stats } : { role: 'play', stats: d.sender.stats },
    );
    const { params, streamId } = this.options;
    const out: SrtConnectionStats = {
      cid: this.cid,
      role: d.role,
      peer: `${params.peer.address}:${params.peer.port}`,
      streamId: params.streamId,
      app: streamId.app,
      stream: streamId.stream,
      encrypted: params.keys !== undefined,
      latencyMs: d.role === 'publish' ? params.receiverLatencyMs : params.senderLatencyMs,
      connectedAt: params.acceptedAtMs,
      ...counters,
      kbps: this.rate.kbps,
    };
    if (d.role === 'play') out.inFlight = d.sender.inFlight;
    else if (params.keys) out.keySwitches = d.receiver.stats.keySwitches;
    return out;
  }

  /** The player's stream ended: shut down once the last payloads are acknowledged (or after a second). */
  private finish(): void {
    if (this.closed || this.finishBy !== undefined) return;
    this.finishBy = this.options.now() + FINISH_DRAIN_MS;
    this.schedule();
  }

  private handle(out: SrtOutputs): void {
    for (const datagram of out.send) this.options.send(datagram);
    const d = this.direction;
    if (d.role === 'publish') for (const p of out.payloads) d.feed.push(p.payload);
    for (const event of out.events) {
      if (event.type !== 'closed') continue;
      if (event.reason === 'shutdown') this.close('peer shut down');
      else if (event.reason === 'timeout') this.close(`peer silent for ${this.options.peerIdleTimeoutMs} ms`);
      else this.close('closed');
    }
  }

  private poll(): void {
    this.timer = undefined;
    this.dueAt = Number.POSITIVE_INFINITY;
    if (this.closed) return;
    const now = this.options.now();
    const d = this.direction;
    try {
      this.handle(d.role === 'publish' ? d.receiver.poll(now) : d.sender.poll(now));
      if (this.closed) return;
      this.sampleRate(now);
      if (d.role === 'play' && this.finishBy !== undefined && (d.sender.inFlight === 0 || now >= this.finishBy)) {
        this.close('stream ended');
        return;
      }
    } catch (error) {
      this.options.logger.error({ err: (error as Error).message }, 'srt connection failed');
      this.close(`internal error: ${(error as Error).message}`);
      return;
    }
    this.schedule();
  }

  /** Arms the timer for the engine's next deadline, unless it is already armed for an earlier one. */
  private schedule(): void {
    if (this.closed || (this.options.ticker && this.direction.role === 'play')) return;
    const now = this.options.now();
    const d = this.direction;
    let at: number;
    if (d.role === 'publish') at = d.receiver.nextPollMs(now);
    else {
      const busy = (d.sender.inFlight > 0 && now - this.lastHeardMs < QUIET_PEER_MS) || this.finishBy !== undefined;
      at = now + (busy ? SENDER_BUSY_POLL_MS : SENDER_IDLE_POLL_MS);
    }
    at = Math.max(at, now + 1);
    if (this.timer && this.dueAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.dueAt = at;
    // The poll runs after the loop's pending I/O (setImmediate follows the poll phase): after a stall, the
    // datagrams already in the socket, retransmissions among them, are read before a gap is given up as too late.
    this.timer = setTimeout(() => setImmediate(() => this.poll()), at - now);
  }

  private sampleRate(now: number): void {
    const elapsed = now - this.rate.atMs;
    if (elapsed < RATE_WINDOW_MS) return;
    const d = this.direction;
    const bytes = d.role === 'publish' ? d.receiver.stats.bytesReceived : d.sender.stats.bytesSent;
    this.rate = { atMs: now, bytes, kbps: Math.round(((bytes - this.rate.bytes) * 8) / elapsed) };
  }
}
