import { cseqHeader, topVia } from './accessors.js';
import { formatCSeq } from './cseq.js';
import { type SipHeader, type SipRequest, type SipResponse, splitList } from './message.js';
import { SipError } from './sip-error.js';
import {
  DEFAULT_TIMERS,
  TIMER_D_UNRELIABLE_MS,
  TimerSet,
  type TransactionOutput,
  type TransactionTimers,
  transactionTimeout,
} from './transaction-timers.js';

export type ClientTransactionState = 'calling' | 'trying' | 'proceeding' | 'accepted' | 'completed' | 'terminated';

export interface ClientTransactionOptions {
  request: SipRequest;
  /** TCP: no retransmissions, no wait in completed. */
  reliable: boolean;
  timers?: TransactionTimers;
}

type ClientTimer = 'A' | 'B' | 'D' | 'E' | 'F' | 'K' | 'M';

/**
 * Client transaction (RFC 3261 17.1; 2xx handling of RFC 6026 7.2), a pure state machine:
 * start(nowMs), push(response, nowMs) and tick(nowMs) return what to send and what to hand the TU.
 *
 *   INVITE:      calling --1xx--> proceeding --2xx--> accepted (2xx retransmissions delivered; Timer M)
 *                      \--300-699--> completed (ACK sent, resent on retransmissions; Timer D) --> terminated
 *                Timer A retransmits (T1, doubling), Timer B (64*T1) times out in calling.
 *   non-INVITE:  trying --1xx--> proceeding --final--> completed (Timer K) --> terminated
 *                Timer E retransmits (T1 doubling to T2, then T2), Timer F (64*T1) times out.
 */
export class ClientTransaction {
  readonly request: SipRequest;
  private readonly reliable: boolean;
  private readonly timers: TransactionTimers;
  private readonly due = new TimerSet<ClientTimer>();
  private readonly invite: boolean;
  private current: ClientTransactionState;
  private interval = 0;
  private ack?: SipRequest;

  constructor(options: ClientTransactionOptions) {
    if (options.request.method === 'ACK') throw new SipError('SIP_BAD_INPUT', 'ACK has no client transaction');
    this.request = options.request;
    this.reliable = options.reliable;
    this.timers = options.timers ?? DEFAULT_TIMERS;
    this.invite = options.request.method === 'INVITE';
    this.current = this.invite ? 'calling' : 'trying';
  }

  get state(): ClientTransactionState {
    return this.current;
  }

  /** When tick() should next be called; undefined when no timer runs. */
  get nextTimerMs(): number | undefined {
    return this.due.next();
  }

  /** Sends the request and starts the timers. */
  start(nowMs: number): TransactionOutput[] {
    const timeout = transactionTimeout(this.timers);
    this.interval = this.timers.t1;
    if (this.invite) {
      if (!this.reliable) this.due.set('A', nowMs + this.interval);
      this.due.set('B', nowMs + timeout);
    } else {
      if (!this.reliable) this.due.set('E', nowMs + this.interval);
      this.due.set('F', nowMs + timeout);
    }
    return [{ type: 'send', message: this.request, retransmission: false }];
  }

  /** A response matched to this transaction (see clientTransactionKey). */
  push(response: SipResponse, nowMs: number): TransactionOutput[] {
    const s = response.status;
    switch (this.current) {
      case 'calling':
      case 'proceeding':
        if (s < 200) {
          if (this.current === 'calling' && this.invite) this.due.clear('A', 'B');
          this.current = 'proceeding';
          return [{ type: 'deliver', message: response }];
        }
        if (this.invite && s < 300) {
          this.due.clearAll();
          this.current = 'accepted';
          this.due.set('M', nowMs + transactionTimeout(this.timers));
          return [{ type: 'deliver', message: response }];
        }
        if (this.invite) {
          this.due.clearAll();
          this.current = 'completed';
          this.ack = ackForFailure(this.request, response);
          if (this.reliable)
            return [...this.sendAck(false), { type: 'deliver', message: response }, ...this.terminate()];
          this.due.set('D', nowMs + TIMER_D_UNRELIABLE_MS);
          return [...this.sendAck(false), { type: 'deliver', message: response }];
        }
        return this.complete(response, nowMs);
      case 'trying':
        if (s < 200) {
          this.current = 'proceeding';
          return [{ type: 'deliver', message: response }];
        }
        return this.complete(response, nowMs);
      case 'accepted':
        return s >= 200 && s < 300 ? [{ type: 'deliver', message: response }] : [];
      case 'completed':
        return this.invite && s >= 300 ? this.sendAck(true) : [];
      case 'terminated':
        return [];
    }
  }

  tick(nowMs: number): TransactionOutput[] {
    const out: TransactionOutput[] = [];
    for (let timer = this.due.takeDue(nowMs); timer !== undefined; timer = this.due.takeDue(nowMs)) {
      switch (timer) {
        case 'A':
          out.push({ type: 'send', message: this.request, retransmission: true });
          this.interval *= 2;
          this.due.set('A', nowMs + this.interval);
          break;
        case 'E':
          out.push({ type: 'send', message: this.request, retransmission: true });
          this.interval = this.current === 'proceeding' ? this.timers.t2 : Math.min(2 * this.interval, this.timers.t2);
          this.due.set('E', nowMs + this.interval);
          break;
        case 'B':
        case 'F':
          out.push({ type: 'timeout', timer }, ...this.terminate());
          break;
        case 'D':
        case 'K':
        case 'M':
          out.push(...this.terminate());
          break;
      }
      if (this.current === 'terminated') break;
    }
    return out;
  }

  private complete(response: SipResponse, nowMs: number): TransactionOutput[] {
    this.due.clearAll();
    this.current = 'completed';
    const out: TransactionOutput[] = [{ type: 'deliver', message: response }];
    if (this.reliable) return [...out, ...this.terminate()];
    this.due.set('K', nowMs + this.timers.t4);
    return out;
  }

  private sendAck(retransmission: boolean): TransactionOutput[] {
    return this.ack ? [{ type: 'send', message: this.ack, retransmission }] : [];
  }

  private terminate(): TransactionOutput[] {
    this.due.clearAll();
    this.current = 'terminated';
    return [{ type: 'terminated' }];
  }
}

/**
 * The ACK of a 300-699 to an INVITE (17.1.1.3): Request-URI, Call-ID, From, top Via and Route of the
 * INVITE, To of the response (with its tag), CSeq number of the INVITE with method ACK.
 */
export function ackForFailure(invite: SipRequest, response: SipResponse): SipRequest {
  const pick = (name: string, from: SipHeader[]) => from.filter((h) => h.name === name);
  const via = invite.headers.find((h) => h.name === 'Via');
  topVia(invite); // the INVITE must have a Via to copy
  const headers: SipHeader[] = [
    { name: 'Via', value: splitList(via!.value)[0] },
    ...pick('From', invite.headers),
    ...pick('To', response.headers),
    ...pick('Call-ID', invite.headers),
    { name: 'CSeq', value: formatCSeq({ seq: cseqHeader(invite).seq, method: 'ACK' }) },
    ...pick('Route', invite.headers),
    { name: 'Max-Forwards', value: '70' },
  ];
  return { kind: 'request', method: 'ACK', uri: invite.uri, headers, body: Buffer.alloc(0) };
}
