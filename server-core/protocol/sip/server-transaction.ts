import type { SipRequest, SipResponse } from './message.js';
import { SipError } from './sip-error.js';
import {
  DEFAULT_TIMERS,
  TimerSet,
  type TransactionOutput,
  type TransactionTimers,
  transactionTimeout,
} from './transaction-timers.js';

export type ServerTransactionState = 'trying' | 'proceeding' | 'accepted' | 'completed' | 'confirmed' | 'terminated';

export interface ServerTransactionOptions {
  /** The request that created the transaction (already handed to the TU by whoever matched it). */
  request: SipRequest;
  reliable: boolean;
  timers?: TransactionTimers;
}

type ServerTimer = 'G' | 'H' | 'I' | 'J' | 'L' | 'R';

/**
 * Server transaction (RFC 3261 17.2; the INVITE 'accepted' state of RFC 6026 7.1), a pure state machine:
 * respond(response, nowMs) sends the TU's responses, push(request, nowMs) takes retransmissions and the
 * ACK, tick(nowMs) fires timers.
 *
 *   INVITE:      proceeding --2xx--> accepted (2xx resent T1 doubling to T2 until ackReceived(); Timer L)
 *                          --300-699--> completed (resent on Timer G and retransmissions; Timer H waits for
 *                          the ACK) --ACK--> confirmed (Timer I) --> terminated
 *   non-INVITE:  trying --1xx--> proceeding --final--> completed (final resent on retransmissions; Timer J)
 *
 * Retransmitting the 2xx is the UAS core's job in RFC 3261 13.3.1.4; it lives here so the TU only has to
 * report the ACK (whose own branch matches no transaction) with ackReceived().
 */
export class ServerTransaction {
  readonly request: SipRequest;
  private readonly reliable: boolean;
  private readonly timers: TransactionTimers;
  private readonly due = new TimerSet<ServerTimer>();
  private readonly invite: boolean;
  private current: ServerTransactionState;
  private last?: SipResponse;
  private interval = 0;

  constructor(options: ServerTransactionOptions) {
    if (options.request.method === 'ACK') throw new SipError('SIP_BAD_INPUT', 'ACK has no server transaction');
    this.request = options.request;
    this.reliable = options.reliable;
    this.timers = options.timers ?? DEFAULT_TIMERS;
    this.invite = options.request.method === 'INVITE';
    this.current = this.invite ? 'proceeding' : 'trying';
  }

  get state(): ServerTransactionState {
    return this.current;
  }

  get nextTimerMs(): number | undefined {
    return this.due.next();
  }

  /** The TU's response to the request. Responses after a final one are ignored. */
  respond(response: SipResponse, nowMs: number): TransactionOutput[] {
    if (this.current !== 'trying' && this.current !== 'proceeding') return [];
    this.last = response;
    const send: TransactionOutput = { type: 'send', message: response, retransmission: false };
    const s = response.status;
    if (s < 200) {
      this.current = 'proceeding';
      return [send];
    }
    const timeout = transactionTimeout(this.timers);
    if (this.invite && s < 300) {
      this.current = 'accepted';
      this.interval = this.timers.t1;
      if (!this.reliable) this.due.set('R', nowMs + this.interval);
      this.due.set('L', nowMs + timeout);
      return [send];
    }
    this.current = 'completed';
    if (this.invite) {
      this.interval = this.timers.t1;
      if (!this.reliable) this.due.set('G', nowMs + this.interval);
      this.due.set('H', nowMs + timeout);
      return [send];
    }
    if (this.reliable) return [send, ...this.terminate()];
    this.due.set('J', nowMs + timeout);
    return [send];
  }

  /** A request matched to this transaction: a retransmission of its request, or the ACK of a non-2xx. */
  push(request: SipRequest, nowMs: number): TransactionOutput[] {
    if (request.method === 'ACK') {
      if (this.current === 'completed' && this.invite) {
        this.due.clear('G', 'H');
        this.current = 'confirmed';
        if (this.reliable) return this.terminate();
        this.due.set('I', nowMs + this.timers.t4);
      } else if (this.current === 'accepted') {
        return this.ackReceived(request);
      }
      return [];
    }
    // A retransmission: resend the last response (a provisional or the final), nothing before the first one.
    if ((this.current === 'proceeding' || this.current === 'completed') && this.last) {
      return [{ type: 'send', message: this.last, retransmission: true }];
    }
    return [];
  }

  /** The ACK of our 2xx arrived (matched by the TU on its dialog): stop resending, end the transaction. */
  ackReceived(ack?: SipRequest): TransactionOutput[] {
    if (this.current !== 'accepted') return [];
    const out: TransactionOutput[] = ack ? [{ type: 'deliver', message: ack }] : [];
    return [...out, ...this.terminate()];
  }

  tick(nowMs: number): TransactionOutput[] {
    const out: TransactionOutput[] = [];
    for (let timer = this.due.takeDue(nowMs); timer !== undefined; timer = this.due.takeDue(nowMs)) {
      switch (timer) {
        case 'G':
        case 'R':
          out.push({ type: 'send', message: this.last!, retransmission: true });
          this.interval = Math.min(2 * this.interval, this.timers.t2);
          this.due.set(timer, nowMs + this.interval);
          break;
        case 'H':
        case 'L':
          out.push({ type: 'timeout', timer }, ...this.terminate());
          break;
        case 'I':
        case 'J':
          out.push(...this.terminate());
          break;
      }
      if (this.current === 'terminated') break;
    }
    return out;
  }

  private terminate(): TransactionOutput[] {
    this.due.clearAll();
    this.current = 'terminated';
    return [{ type: 'terminated' }];
  }
}
