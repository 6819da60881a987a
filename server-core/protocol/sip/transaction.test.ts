import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cseqHeader, toHeader, topVia } from './accessors.js';
import { buildResponse } from './builders.js';
import { ackForFailure, ClientTransaction } from './client-transaction.js';
import { INVITE, REGISTER } from './fixtures.js';
import type { SipRequest } from './message.js';
import { parseSipDatagram } from './parser.js';
import { ServerTransaction } from './server-transaction.js';
import { clientTransactionKey, serverTransactionKey } from './transaction-key.js';
import type { TransactionOutput } from './transaction-timers.js';

const register = parseSipDatagram(REGISTER) as SipRequest;
const invite = parseSipDatagram(INVITE) as SipRequest;
const respond = (req: SipRequest, status: number) => buildResponse(req, status, { toTag: 'tt' });

/** Times at which the request went out again, running tick() every 10 ms up to untilMs. */
function run(tx: { tick(n: number): TransactionOutput[] }, untilMs: number) {
  const sends: number[] = [];
  const events: { at: number; out: TransactionOutput }[] = [];
  for (let t = 0; t <= untilMs; t += 10) {
    for (const out of tx.tick(t)) {
      events.push({ at: t, out });
      if (out.type === 'send') sends.push(t);
    }
  }
  return { sends, events };
}

describe('client transactions (RFC 3261 17.1)', () => {
  it('non-INVITE over UDP: Timer E doubles to T2, Timer F times out at 64*T1', () => {
    const tx = new ClientTransaction({ request: register, reliable: false });
    expect(tx.start(0)).toEqual([{ type: 'send', message: register, retransmission: false }]);
    const { sends, events } = run(tx, 40_000);
    expect(sends).toEqual([500, 1500, 3500, 7500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500]);
    expect(events.slice(-2).map((e) => [e.at, e.out.type])).toEqual([
      [32_000, 'timeout'],
      [32_000, 'terminated'],
    ]);
    expect(tx.state).toBe('terminated');
  });

  it('non-INVITE: 1xx moves to proceeding (E at T2), a final one completes, Timer K ends it', () => {
    const tx = new ClientTransaction({ request: register, reliable: false });
    tx.start(0);
    expect(tx.push(respond(register, 100), 100)[0]).toMatchObject({ type: 'deliver' });
    expect(tx.state).toBe('proceeding');
    expect(tx.tick(500).map((o) => o.type)).toEqual(['send']);
    expect(tx.nextTimerMs).toBe(4500);
    expect(tx.push(respond(register, 200), 600).map((o) => o.type)).toEqual(['deliver']);
    expect(tx.state).toBe('completed');
    expect(tx.push(respond(register, 200), 700)).toEqual([]); // retransmission absorbed
    expect(tx.tick(5599)).toEqual([]);
    expect(tx.tick(5600)).toEqual([{ type: 'terminated' }]);
  });

  it('over TCP nothing is retransmitted and a final response terminates at once', () => {
    const tx = new ClientTransaction({ request: register, reliable: true });
    tx.start(0);
    expect(run(tx, 31_990).sends).toEqual([]);
    expect(tx.push(respond(register, 401), 1000).map((o) => o.type)).toEqual(['deliver', 'terminated']);
  });

  it('INVITE over UDP: Timer A doubles without cap until Timer B', () => {
    const tx = new ClientTransaction({ request: invite, reliable: false });
    tx.start(0);
    const { sends, events } = run(tx, 33_000);
    expect(sends).toEqual([500, 1500, 3500, 7500, 15_500, 31_500]);
    expect(events.at(-2)?.out).toEqual({ type: 'timeout', timer: 'B' });
  });

  it('INVITE: a failure is ACKed (same branch, To tag of the response), the ACK resent on retransmissions, Timer D', () => {
    const tx = new ClientTransaction({ request: invite, reliable: false });
    tx.start(0);
    tx.push(respond(invite, 100), 10);
    const busy = respond(invite, 486);
    const out = tx.push(busy, 20);
    expect(out.map((o) => o.type)).toEqual(['send', 'deliver']);
    const ack = (out[0] as { message: SipRequest }).message;
    expect(ack.method).toBe('ACK');
    expect(topVia(ack).branch).toBe(topVia(invite).branch);
    expect(toHeader(ack).params.get('tag')).toBe('tt');
    expect(cseqHeader(ack)).toEqual({ seq: 20, method: 'ACK' });
    expect(tx.push(busy, 30)).toEqual([{ type: 'send', message: ack, retransmission: true }]);
    expect(tx.tick(32_019)).toEqual([]);
    expect(tx.tick(32_020)).toEqual([{ type: 'terminated' }]);
    expect(ackForFailure(invite, busy)).toEqual(ack);
  });

  it('INVITE: 2xx and its retransmissions are delivered in accepted until Timer M', () => {
    const tx = new ClientTransaction({ request: invite, reliable: true });
    tx.start(0);
    const ok = respond(invite, 200);
    expect(tx.push(ok, 100)).toEqual([{ type: 'deliver', message: ok }]);
    expect(tx.state).toBe('accepted');
    expect(tx.push(ok, 600)).toEqual([{ type: 'deliver', message: ok }]);
    expect(tx.tick(32_100)).toEqual([{ type: 'terminated' }]);
  });
});

describe('server transactions (RFC 3261 17.2)', () => {
  it('non-INVITE: absorbs retransmissions before a response, resends the last one after, Timer J', () => {
    const tx = new ServerTransaction({ request: register, reliable: false });
    expect(tx.push(register, 10)).toEqual([]);
    const trying = respond(register, 100);
    tx.respond(trying, 20);
    expect(tx.push(register, 30)).toEqual([{ type: 'send', message: trying, retransmission: true }]);
    const ok = respond(register, 200);
    expect(tx.respond(ok, 40)).toEqual([{ type: 'send', message: ok, retransmission: false }]);
    expect(tx.push(register, 50)).toEqual([{ type: 'send', message: ok, retransmission: true }]);
    expect(tx.respond(respond(register, 500), 60)).toEqual([]);
    expect(tx.tick(32_039)).toEqual([]);
    expect(tx.tick(32_040)).toEqual([{ type: 'terminated' }]);
  });

  it('INVITE failure over UDP: Timer G resends (to T2) until the ACK, then Timer I', () => {
    const tx = new ServerTransaction({ request: invite, reliable: false });
    tx.respond(respond(invite, 488), 0);
    const { sends } = run(tx, 9000);
    expect(sends).toEqual([500, 1500, 3500, 7500]);
    const ack = ackForFailure(invite, respond(invite, 488));
    expect(serverTransactionKey(ack)).toBe(serverTransactionKey(invite));
    expect(tx.push(ack, 9000)).toEqual([]);
    expect(tx.state).toBe('confirmed');
    expect(tx.tick(14_000)).toEqual([{ type: 'terminated' }]);
  });

  it('INVITE failure without ACK: Timer H times out', () => {
    const tx = new ServerTransaction({ request: invite, reliable: true });
    tx.respond(respond(invite, 404), 0);
    expect(run(tx, 40_000).events.map((e) => [e.at, e.out])).toEqual([
      [32_000, { type: 'timeout', timer: 'H' }],
      [32_000, { type: 'terminated' }],
    ]);
  });

  it('INVITE 2xx over UDP: resent until ackReceived(), or Timer L', () => {
    const tx = new ServerTransaction({ request: invite, reliable: false });
    const ok = respond(invite, 200);
    tx.respond(ok, 0);
    expect(run(tx, 4000).sends).toEqual([500, 1500, 3500]);
    expect(tx.push(invite, 4000)).toEqual([]); // INVITE retransmissions absorbed once accepted
    expect(tx.ackReceived()).toEqual([{ type: 'terminated' }]);
    const lost = new ServerTransaction({ request: invite, reliable: true });
    lost.respond(ok, 0);
    expect(lost.tick(32_000)).toEqual([{ type: 'timeout', timer: 'L' }, { type: 'terminated' }]);
  });

  it('keys match responses to client transactions and retransmissions to server ones', () => {
    expect(clientTransactionKey(respond(register, 200))).toBe(clientTransactionKey(register));
    expect(clientTransactionKey(respond(invite, 200))).not.toBe(clientTransactionKey(register));
    const again = parseSipDatagram(REGISTER) as SipRequest;
    expect(serverTransactionKey(again)).toBe(serverTransactionKey(register));
  });

  it('property: any sequence of responses, requests and ticks keeps the machines consistent', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('tick' as const), dt: fc.integer({ min: 0, max: 5000 }) }),
      fc.record({ kind: fc.constant('response' as const), status: fc.constantFrom(100, 180, 200, 401, 486, 500) }),
      fc.record({ kind: fc.constant('request' as const), ack: fc.boolean() }),
    );
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), fc.array(step, { maxLength: 40 }), (isInvite, reliable, steps) => {
        const request = isInvite ? invite : register;
        const client = new ClientTransaction({ request, reliable });
        const server = new ServerTransaction({ request, reliable });
        client.start(0);
        let now = 0;
        let terminatedClient = 0;
        let terminatedServer = 0;
        const count = (outs: TransactionOutput[], side: 'c' | 's') => {
          for (const o of outs) {
            if (o.type === 'terminated') side === 'c' ? terminatedClient++ : terminatedServer++;
          }
        };
        for (const s of steps) {
          if (s.kind === 'tick') {
            now += s.dt;
            count(client.tick(now), 'c');
            count(server.tick(now), 's');
          } else if (s.kind === 'response') {
            const r = respond(request, s.status);
            count(client.push(r, now), 'c');
            count(server.respond(r, now), 's');
          } else {
            count(server.push(s.ack && isInvite ? ackForFailure(invite, respond(invite, 486)) : request, now), 's');
          }
          const next = client.nextTimerMs;
          if (next !== undefined) expect(next).toBeGreaterThanOrEqual(now - 5000);
        }
        expect(terminatedClient).toBeLessThanOrEqual(1);
        expect(terminatedServer).toBeLessThanOrEqual(1);
        if (client.state === 'terminated') expect(client.nextTimerMs).toBeUndefined();
        if (server.state === 'terminated') expect(server.nextTimerMs).toBeUndefined();
      }),
    );
  });
});
