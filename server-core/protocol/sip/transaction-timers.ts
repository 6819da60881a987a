import type { SipMessage } from './message.js';

/**
 * Transaction timer values (RFC 3261 17, Table 4 of appendix A; RFC 6026 for L and M).
 * Over a reliable transport (TCP) nothing is retransmitted and the wait timers D, I, J, K are zero.
 */
export interface TransactionTimers {
  /** RTT estimate: first retransmission interval. */
  t1: number;
  /** Cap of the non-INVITE and response retransmission interval. */
  t2: number;
  /** How long the network may hold a message. */
  t4: number;
}

export const DEFAULT_TIMERS: TransactionTimers = { t1: 500, t2: 4000, t4: 5000 };

/** Timer B / F / H / L / M / J(UDP): 64 * T1. */
export const transactionTimeout = (t: TransactionTimers) => 64 * t.t1;
/** Timer D (UDP): at least 32 s. */
export const TIMER_D_UNRELIABLE_MS = 32_000;

export type TransactionOutput =
  /** Bytes to put on the wire: first sends, retransmissions, ACKs of non-2xx finals. */
  | { type: 'send'; message: SipMessage; retransmission: boolean }
  /** A message for the transaction user: responses (client side), ACK of a 2xx seen by an accepted server. */
  | { type: 'deliver'; message: SipMessage }
  /** Timer B / F (no final response), H (no ACK) or L (no ACK of a 2xx) fired. */
  | { type: 'timeout'; timer: 'B' | 'F' | 'H' | 'L' }
  | { type: 'terminated' };

/** Absolute deadlines by timer name; the one that fires first is processed first. */
export class TimerSet<Name extends string> {
  private readonly deadlines = new Map<Name, number>();

  set(name: Name, atMs: number): void {
    this.deadlines.set(name, atMs);
  }

  clear(...names: Name[]): void {
    for (const n of names) this.deadlines.delete(n);
  }

  clearAll(): void {
    this.deadlines.clear();
  }

  /** The earliest deadline, undefined when none is set. */
  next(): number | undefined {
    let min: number | undefined;
    for (const at of this.deadlines.values()) if (min === undefined || at < min) min = at;
    return min;
  }

  /** Removes and returns the timer due first at nowMs, if any. */
  takeDue(nowMs: number): Name | undefined {
    let due: Name | undefined;
    let dueAt = Number.POSITIVE_INFINITY;
    for (const [name, at] of this.deadlines) {
      if (at <= nowMs && at < dueAt) {
        due = name;
        dueAt = at;
      }
    }
    if (due !== undefined) this.deadlines.delete(due);
    return due;
  }
}
