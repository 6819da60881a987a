import type { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { startWorker } from '../../defs/start-worker.js';
import { SendBatchWriter } from './rtc-send-batch.js';
import {
  type FromSendWorker,
  PROGRESS_QUEUED_BYTES,
  PROGRESS_SENT_SEQ,
  PROGRESS_WORDS,
  type SendTarget,
  type ToSendWorker,
} from './rtc-send-protocol.js';
import type { SrtpProfileId } from './srtp-context.js';

/** What a session sends through instead of its own SRTP context and the shared socket. */
export interface RtcMediaSender {
  sendRtp(header: Buffer, payload: Buffer): void;
  sendRtcp(packet: Buffer): void;
  /** Bytes given to this sender's worker and not yet on the wire (the worker's queue, all its viewers). */
  pendingBytes(): number;
  /** The session's path moved to another address. */
  retarget(remoteAddress: string, remotePort: number): void;
  close(): void;
}

export interface RtcSendKeys {
  profile: SrtpProfileId;
  key: Buffer;
  salt: Buffer;
}

export interface RtcSendPoolOptions {
  workers: number;
  /** The worker's entry (rtc-send-worker.ts, or the bundled .cjs in the desktop app). */
  script: URL | string;
  /** The server's WebRTC socket: each viewer's worker socket binds the same address and port. */
  localHost: string;
  localPort: number;
  /** A datagram a viewer sent to its worker's socket, given back to the main thread's demultiplexer. */
  receive(data: Buffer, remoteAddress: string, remotePort: number): void;
  logger?: Logger;
}

/** A new worker starts only once every running one carries this many viewers (a preview needs just one). */
export const VIEWERS_BEFORE_NEXT_WORKER = 20;

interface LaneViewer {
  id: number;
  remoteAddress: string;
  remotePort: number;
  /** Bytes of this viewer in each batch not yet sent, as [batch seq, bytes] pairs, oldest first. */
  unsent: number[];
  /** Called when the worker cannot carry this viewer: the session sends itself from then on. */
  fallBack: () => void;
}

/**
 * WHEP viewers' SRTP and sends spread over worker threads (issue: one event loop saturates near 150 viewers).
 * The hub and each viewer's header rewrite stay on the main thread; each hub flush becomes one message per
 * worker holding every shared payload once and a record per viewer packet (rtc-send-batch.ts). A viewer's
 * backlog is its own bytes in batches the worker has not sent yet (the worker publishes the last batch it sent
 * in a SharedArrayBuffer), so the hub's drop-to-keyframe and stuck rules still work per viewer.
 */
export class RtcSendPool {
  private readonly lanes: SendLane[] = [];
  private nextViewer = 1;
  private closed = false;
  /** Errors of workers that have died, so the total never goes down. */
  private retiredSendErrors = 0;

  constructor(private readonly options: RtcSendPoolOptions) {}

  get workers(): number {
    return this.lanes.length;
  }

  /** Sends the workers' sockets refused, as last reported by each worker. */
  get sendErrors(): number {
    return this.lanes.reduce((n, lane) => n + lane.sendErrors, this.retiredSendErrors);
  }

  /** Hands a connected session's sending to the least loaded worker (started on first use). */
  attach(keys: RtcSendKeys, remoteAddress: string, remotePort: number, fallBack: () => void): RtcMediaSender {
    const lane = this.pickLane();
    const id = this.nextViewer++;
    const viewer: LaneViewer = { id, remoteAddress, remotePort, unsent: [], fallBack };
    lane.viewers.set(id, viewer);
    lane.post({
      op: 'add',
      viewer: id,
      target: this.target(remoteAddress, remotePort),
      profile: keys.profile,
      key: new Uint8Array(keys.key),
      salt: new Uint8Array(keys.salt),
    });
    return {
      sendRtp: (header, payload) => lane.queueRtp(viewer, header, payload),
      sendRtcp: (packet) => lane.queueRtcp(viewer, packet),
      pendingBytes: () => lane.pendingBytes(viewer),
      retarget: (address, port) => {
        viewer.remoteAddress = address;
        viewer.remotePort = port;
        lane.post({ op: 'retarget', viewer: id, target: this.target(address, port) });
      },
      close: () => {
        if (lane.viewers.delete(id)) lane.post({ op: 'remove', viewer: id });
      },
    };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const lane of this.lanes) lane.terminate();
    this.lanes.length = 0;
  }

  private target(remoteAddress: string, remotePort: number): SendTarget {
    const { localHost, localPort } = this.options;
    return { localHost, localPort, remoteAddress, remotePort, family: localHost.includes(':') ? 'udp6' : 'udp4' };
  }

  private pickLane(): SendLane {
    const busy = this.lanes.every((lane) => lane.viewers.size >= VIEWERS_BEFORE_NEXT_WORKER);
    if (this.lanes.length < this.options.workers && busy) {
      const lane = new SendLane(this.options, () => {
        const at = this.lanes.indexOf(lane);
        if (at >= 0) this.lanes.splice(at, 1);
        this.retiredSendErrors += lane.sendErrors;
      });
      this.lanes.push(lane);
      return lane;
    }
    return this.lanes.reduce((a, b) => (b.viewers.size < a.viewers.size ? b : a));
  }
}

/** One worker thread and the batch being written for it. */
class SendLane {
  readonly viewers = new Map<number, LaneViewer>();
  private readonly worker: Worker;
  private readonly writer = new SendBatchWriter();
  private flushQueued = false;
  /** The last batch posted (Int32, wrapping like the worker's counter). */
  private seq = 0;
  private readonly progress = new Int32Array(new SharedArrayBuffer(PROGRESS_WORDS * 4));
  private dead = false;
  sendErrors = 0;

  constructor(
    private readonly options: RtcSendPoolOptions,
    private readonly onDead: () => void,
  ) {
    this.worker = startWorker(options.script);
    this.worker.unref();
    this.worker.on('message', (message: FromSendWorker) => this.onMessage(message));
    this.worker.on('error', (error) => this.die(`send worker failed: ${error.message}`));
    this.worker.on('exit', (code) => this.die(`send worker exited (${code})`));
    this.worker.postMessage({
      op: 'progress',
      counters: this.progress.buffer as SharedArrayBuffer,
    } satisfies ToSendWorker);
  }

  queueRtp(viewer: LaneViewer, header: Buffer, payload: Buffer): void {
    this.writer.rtp(viewer.id, header, payload);
    this.count(viewer, header.length + payload.length);
  }

  queueRtcp(viewer: LaneViewer, packet: Buffer): void {
    this.writer.rtcp(viewer.id, packet);
    this.count(viewer, packet.length);
  }

  /**
   * This viewer's bytes in earlier batches the worker has not sent yet, plus, while there are any, its share of
   * the worker's socket queues. The batch being written this turn does not count: the hub asks every viewer in
   * turn while it writes them. A viewer the worker has caught up with reads 0 even while other viewers' sockets
   * hold bytes: a busy worker's queues are rarely all empty, and a viewer dropped to a keyframe rejoins only at 0.
   */
  pendingBytes(viewer: LaneViewer): number {
    const sentSeq = Atomics.load(this.progress, PROGRESS_SENT_SEQ);
    const unsent = viewer.unsent;
    let drop = 0;
    while (drop < unsent.length && ((unsent[drop] - sentSeq) | 0) <= 0) drop += 2;
    if (drop) unsent.splice(0, drop);
    let bytes = 0;
    for (let i = 0; i < unsent.length; i += 2) if (unsent[i] !== ((this.seq + 1) | 0)) bytes += unsent[i + 1];
    const queued = Atomics.load(this.progress, PROGRESS_QUEUED_BYTES);
    if (bytes === 0) return 0;
    return bytes + (queued > 0 ? Math.ceil(queued / Math.max(1, this.viewers.size)) : 0);
  }

  /** Adds bytes to the viewer's entry for the batch being written (seq + 1), and schedules that batch. */
  private count(viewer: LaneViewer, bytes: number): void {
    const unsent = viewer.unsent;
    const seq = (this.seq + 1) | 0;
    const n = unsent.length;
    if (n && unsent[n - 2] === seq) unsent[n - 1] += bytes;
    else unsent.push(seq, bytes);
    // Pruned by pendingBytes, which the hub calls at each delivery; kept short even if nothing asks.
    if (unsent.length > 128) this.pendingBytes(viewer);
    this.scheduleFlush();
  }

  post(message: ToSendWorker): void {
    if (this.dead) return;
    // Batches already written go first: the worker must see them in the order they were made.
    if (message.op !== 'batch') this.flush();
    this.worker.postMessage(message);
  }

  terminate(): void {
    this.dead = true;
    void this.worker.terminate();
  }

  private scheduleFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    // Every sink the hub writes in this turn lands in one batch.
    queueMicrotask(() => this.flush());
  }

  private flush(): void {
    this.flushQueued = false;
    if (this.writer.empty || this.dead) return;
    const batch = this.writer.take();
    this.seq = (this.seq + 1) | 0;
    const seq = this.seq;
    this.worker.postMessage({ op: 'batch', seq, ...batch } satisfies ToSendWorker, [
      batch.data,
      batch.offsets,
      batch.records,
    ]);
  }

  private onMessage(message: FromSendWorker): void {
    switch (message.op) {
      case 'errors':
        this.sendErrors = message.sendErrors;
        break;
      case 'added':
        if (message.error) {
          this.options.logger?.warn({ error: message.error }, 'webrtc send worker could not open a socket');
          this.viewers.get(message.viewer)?.fallBack();
          this.viewers.delete(message.viewer);
        }
        break;
      case 'received':
        message.viewers.forEach((id, i) => {
          const viewer = this.viewers.get(id);
          const data = message.datagrams[i];
          if (viewer && data)
            this.options.receive(
              Buffer.from(data.buffer, data.byteOffset, data.byteLength),
              viewer.remoteAddress,
              viewer.remotePort,
            );
        });
        break;
    }
  }

  private die(reason: string): void {
    if (this.dead) return;
    this.dead = true;
    this.options.logger?.error(
      { reason, viewers: this.viewers.size },
      'webrtc send worker lost: its viewers send from the main thread',
    );
    for (const viewer of this.viewers.values()) viewer.fallBack();
    this.viewers.clear();
    this.onDead();
  }
}
