import { createSocket, type Socket } from 'node:dgram';
import { parentPort } from 'node:worker_threads';
import { readSendBatch, SEND_RTCP, type SendBatch } from './rtc-send-batch.js';
import {
  type FromSendWorker,
  PROGRESS_QUEUED_BYTES,
  PROGRESS_SENT_SEQ,
  type SendTarget,
  type ToSendWorker,
} from './rtc-send-protocol.js';
import { SrtpContext } from './srtp-context.js';

/**
 * A send worker: SRTP and the UDP send for its share of the WHEP viewers. Each viewer has a socket of its own,
 * bound to the server's WebRTC port (SO_REUSEADDR, as the main socket) and connected to the viewer, so what it
 * sends leaves from that port and what the viewer sends back (consent checks, RTCP) arrives here first and is
 * passed to the main thread, which owns ICE, DTLS and the sessions.
 */
/** Datagrams kept for a viewer whose socket is still binding (it binds within a tick or two). */
const MAX_WAITING = 256;

interface Viewer {
  srtp: SrtpContext;
  socket?: Socket;
  /** Records that came before the socket was connected. */
  waiting: Buffer[];
  closed: boolean;
}

const port = parentPort;
if (!port) throw new Error('rtc-send-worker runs in a worker thread');
const viewers = new Map<number, Viewer>();
let sendErrors = 0;
let reportedErrors = 0;
let progress: Int32Array | undefined;
let received: { viewers: number[]; datagrams: Uint8Array[] } | undefined;

function post(message: FromSendWorker, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(message, transfer);
}

function connect(id: number, viewer: Viewer, target: SendTarget): void {
  const socket = createSocket({ type: target.family, reuseAddr: true });
  socket.on('error', () => {
    sendErrors++;
  });
  socket.on('message', (data) => {
    if (!received) {
      received = { viewers: [], datagrams: [] };
      setImmediate(flushReceived);
    }
    received.viewers.push(id);
    received.datagrams.push(data);
  });
  socket.bind(target.localPort, target.localHost, () => {
    socket.connect(target.remotePort, target.remoteAddress, () => {
      if (viewer.closed) {
        socket.close();
        return;
      }
      viewer.socket = socket;
      for (const datagram of viewer.waiting) socket.send(datagram);
      viewer.waiting = [];
      post({ op: 'added', viewer: id });
    });
  });
  socket.once('error', (error) => {
    if (viewer.socket) return;
    viewer.closed = true;
    viewers.delete(id);
    post({ op: 'added', viewer: id, error: error.message });
  });
}

function flushReceived(): void {
  const batch = received;
  received = undefined;
  if (batch) post({ op: 'received', ...batch });
}

function send(viewer: Viewer, datagram: Buffer): void {
  if (viewer.socket) viewer.socket.send(datagram);
  else if (viewer.waiting.length < MAX_WAITING) viewer.waiting.push(datagram);
}

function closeViewer(id: number): void {
  const viewer = viewers.get(id);
  if (!viewer) return;
  viewer.closed = true;
  viewers.delete(id);
  viewer.socket?.close();
}

/** Consecutive RTP records of one viewer (the hub writes a viewer's packets together) are protected at once. */
const run: { viewer?: Viewer; headers: Buffer[]; payloads: Buffer[] } = { headers: [], payloads: [] };

function sendRun(): void {
  const viewer = run.viewer;
  if (viewer && run.headers.length) {
    try {
      for (const packet of viewer.srtp.protectRtpMany(run.headers, run.payloads)) send(viewer, packet);
    } catch {
      // A record the context refuses (a header under 12 bytes): those packets are lost, the worker goes on.
      sendErrors++;
    }
  }
  run.viewer = undefined;
  run.headers = [];
  run.payloads = [];
}

function sendBatch(batch: SendBatch): void {
  readSendBatch(batch, (record) => {
    const viewer = viewers.get(record.viewer);
    if (viewer !== run.viewer || record.kind === SEND_RTCP) sendRun();
    if (!viewer) return;
    if (record.kind === SEND_RTCP) {
      try {
        send(viewer, viewer.srtp.protectRtcp(record.head));
      } catch {
        sendErrors++;
      }
      return;
    }
    run.viewer = viewer;
    run.headers.push(record.head);
    run.payloads.push(record.payload);
  });
  sendRun();
}

port.on('message', (message: ToSendWorker) => {
  switch (message.op) {
    case 'progress':
      progress = new Int32Array(message.counters);
      break;
    case 'add': {
      const viewer: Viewer = {
        srtp: new SrtpContext(message.profile, Buffer.from(message.key), Buffer.from(message.salt)),
        waiting: [],
        closed: false,
      };
      viewers.set(message.viewer, viewer);
      connect(message.viewer, viewer, message.target);
      break;
    }
    case 'retarget': {
      const viewer = viewers.get(message.viewer);
      if (!viewer) break;
      viewer.socket?.close();
      viewer.socket = undefined;
      connect(message.viewer, viewer, message.target);
      break;
    }
    case 'remove':
      closeViewer(message.viewer);
      break;
    case 'batch': {
      sendBatch(message);
      if (progress) {
        let queued = 0;
        for (const viewer of viewers.values()) queued += viewer.socket?.getSendQueueSize() ?? 0;
        Atomics.store(progress, PROGRESS_QUEUED_BYTES, queued);
        Atomics.store(progress, PROGRESS_SENT_SEQ, message.seq);
      }
      if (sendErrors !== reportedErrors) {
        reportedErrors = sendErrors;
        post({ op: 'errors', sendErrors });
      }
      break;
    }
  }
});
