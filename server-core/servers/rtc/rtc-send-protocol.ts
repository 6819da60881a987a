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

export type ToSendWorker =
  | { op: 'add'; viewer: number; target: SendTarget; profile: SrtpProfileId; key: Uint8Array; salt: Uint8Array }
  /** The viewer's path moved to another remote address (the SRTP state stays). */
  | { op: 'retarget'; viewer: number; target: SendTarget }
  | { op: 'remove'; viewer: number }
  | ({ op: 'batch'; seq: number } & SendBatch);

export type FromSendWorker =
  /** The viewer's socket is bound and connected, or could not be (error): the main thread sends itself then. */
  | { op: 'added'; viewer: number; error?: string }
  /** A batch was sent; queued: bytes waiting in the worker's socket send queues. */
  | { op: 'done'; seq: number; queued: number; sendErrors: number }
  /** Datagrams the viewers sent to their connected sockets (STUN, DTLS, SRTCP): the main thread handles them. */
  | { op: 'received'; viewers: number[]; datagrams: Uint8Array[] };
