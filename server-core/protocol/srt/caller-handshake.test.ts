import { describe, expect, it } from 'vitest';
import { CallerHandshake, HANDSHAKE_RETRY_MS } from './caller-handshake.js';
import { ListenerHandshake } from './listener-handshake.js';
import { AccessReason } from './rejection.js';

const PEER = { address: '127.0.0.1', port: 40000 };
const caller = (streamId = '#!::r=live/x,m=request') =>
  new CallerHandshake({ socketId: 77, initialSeq: 1234, streamId, latencyMs: 150, listenerAddress: '127.0.0.1' }, 1000);

/** Runs a caller against a listener until the caller says how it ended (bounded). */
function exchange(c: CallerHandshake, listener: ListenerHandshake) {
  let out = c.poll(1000);
  for (let i = 0; i < 4 && out.kind === 'send'; i++) {
    const answer = listener.push(out.datagram, PEER, 1000 + i);
    if (answer.kind === 'ignored') throw new Error(answer.why);
    out = c.push(answer.reply, 1000 + i);
  }
  return out;
}

describe('CallerHandshake against the listener', () => {
  it('connects through induction and conclusion, and takes the negotiated latency', () => {
    const listener = new ListenerHandshake({ latencyMs: 200, newSocketId: () => 4242 });
    expect(exchange(caller(), listener)).toMatchObject({
      kind: 'connected',
      peerSocketId: 4242,
      receiverLatencyMs: 200,
    });
  });

  it('reports the listener refusing its stream id with the reason', () => {
    const listener = new ListenerHandshake({
      authorize: () => ({ accept: false, reason: AccessReason.NOT_FOUND, why: 'no such stream' }),
    });
    expect(exchange(caller('#!::r=live/none,m=request'), listener)).toEqual({
      kind: 'rejected',
      reason: AccessReason.NOT_FOUND,
    });
  });

  it('repeats an unanswered request after the retry period, and nothing once done', () => {
    const c = caller();
    expect(c.poll(1000).kind).toBe('send');
    expect(c.poll(1000 + HANDSHAKE_RETRY_MS - 1).kind).toBe('none');
    expect(c.poll(1000 + HANDSHAKE_RETRY_MS).kind).toBe('send');
    expect(c.push(Buffer.alloc(3), 1300).kind).toBe('none');
  });
});
