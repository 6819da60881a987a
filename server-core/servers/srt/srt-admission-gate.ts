import type { Logger } from 'pino';
import type { ClientContext } from '../../defs/admission.js';
import type { SrtAuthorization, SrtPeer, SrtStreamId } from '../../protocol/srt/index.js';
import type { PlaySession, PublishSession } from '../session/session-path.js';
import type { SrtPlaySink } from './srt-play-sink.js';

/** A refusal is answered again, without asking admission again, to a caller repeating its conclusion. */
export const REMEMBER_REFUSAL_MS = 10_000;

/**
 * One caller's conclusion waiting for (or answered by) admission. The handshake's authorize hook is synchronous
 * and admission (secret, IP rules, on_publish hooks, the registry) is not: the first conclusion is held here
 * unanswered while SessionPath decides, then handed to the handshake again, which now finds the verdict.
 */
export interface PendingAdmission {
  key: string;
  cid: string;
  peer: SrtPeer;
  streamId: SrtStreamId;
  client: ClientContext;
  log: Logger;
  state: 'pending' | 'ready';
  /** The conclusion to answer once the verdict is in. */
  datagram?: Buffer;
  authorization?: SrtAuthorization;
  session?: PublishSession | PlaySession;
  /** Players only: where the hub writes from the moment the reader is added. */
  sink?: SrtPlaySink;
  /** The session was ended (kicked, server closing) before the handshake completed. */
  cancelled?: string;
  atMs: number;
}

export function admissionKey(peer: SrtPeer, streamId: string): string {
  return `${peer.address}|${peer.port}|${streamId}`;
}

/** The handshakes between their first conclusion and the verdict, and refusals remembered for a while. */
export class SrtAdmissionGate {
  private readonly entries = new Map<string, PendingAdmission>();
  private pendingCount = 0;

  get pending(): number {
    return this.pendingCount;
  }

  get(key: string): PendingAdmission | undefined {
    return this.entries.get(key);
  }

  open(entry: PendingAdmission): void {
    this.entries.set(entry.key, entry);
    this.pendingCount++;
  }

  /** The verdict is in. */
  settle(entry: PendingAdmission, authorization: SrtAuthorization, session?: PublishSession | PlaySession): void {
    if (entry.state === 'pending') this.pendingCount--;
    entry.state = 'ready';
    entry.authorization = authorization;
    if (session) entry.session = session;
  }

  /** The entry is done with (its connection is up, or its session ended). */
  remove(entry: PendingAdmission): void {
    if (this.entries.get(entry.key) !== entry) return;
    this.entries.delete(entry.key);
    if (entry.state === 'pending') this.pendingCount--;
  }

  /** Forgets refusals older than REMEMBER_REFUSAL_MS. */
  sweep(nowMs: number): void {
    for (const entry of this.entries.values()) {
      if (nowMs - entry.atMs < REMEMBER_REFUSAL_MS) break;
      if (entry.state === 'ready' && !entry.session) this.remove(entry);
    }
  }

  all(): PendingAdmission[] {
    return [...this.entries.values()];
  }
}
