import type { SendBatch } from './rtc-send-batch.js';
import type { SrtpProfileId } from './srtp-context.js';

/** Messages between RtcSendPool (main thread) and its send workers (rtc-send-worker.ts). */

/** Where a viewer's socket binds (the server's WebRTC port) and whom it is connected to. */
export interface SendTarget {
  localHost: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  family: 'udp4' | 'udp6';
}

/**
 * Counters the worker updates with Atomics and the main thread reads at any moment (a message would wait for
 * the main loop's turn, and the hub asks for backlogs while it writes): Int32 words, wrapping.
 */
/** The seq of the last batch sent (batches are sent in order). */
export const PROGRESS_SENT_SEQ = 0;
/** Bytes waiting in the worker's socket send queues, all its viewers. */
export const PROGRESS_QUEUED_BYTES = 1;
export const PROGRESS_WORDS = 2;

export type ToSendWorker =
  /** First message: where to report progress. */
  | { op: 'progress'; counters: SharedArrayBuffer }
  | { op: 'add'; viewer: number; target: SendTarget; profile: SrtpProfileId; key: Uint8Array; salt: Uint8Array }
  /** The viewer's path moved to another remote address (the SRTP state stays). */
  | { op: 'retarget'; viewer: number; target: SendTarget }
  | { op: 'remove'; viewer: number }
  | ({ op: 'batch'; seq: number } & SendBatch);

export type FromSendWorker =
  /** The viewer's socket is bound and connected, or could not be (error): the main thread sends itself then. */
  | { op: 'added'; viewer: number; error?: string }
  /** Send errors so far (reported now and then). */
  | { op: 'errors'; sendErrors: number }
  /** Datagrams the viewers sent to their connected sockets (STUN, DTLS, SRTCP): the main thread handles them. */
  | { op: 'received'; viewers: number[]; datagrams: Uint8Array[] };
