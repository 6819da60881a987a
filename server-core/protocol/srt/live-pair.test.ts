import { describe, expect, it } from 'vitest';
import { datagramBytes, type SrtOutputs } from './connection-outputs.js';
import { PayloadCipher } from './payload-cipher.js';
import { SrtReceiver } from './receiver.js';
import { SrtSender } from './sender.js';
import { SEQ_MAX } from './seq.js';

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Link {
  at: number;
  bytes: Buffer;
  to: 'receiver' | 'sender';
}

/**
 * A sender and a receiver joined by an in-memory link with a one-way delay and random loss in both directions
 * (data, ACK, NAK and ACKACK alike), stepped 1 ms at a time.
 */
function run(opts: {
  seed: number;
  loss: number;
  count: number;
  latencyMs: number;
  initialSeq: number;
  cipher?: PayloadCipher;
}) {
  const random = rng(opts.seed);
  const delayMs = 15;
  const start = 1000;
  const sender = new SrtSender({
    socketId: 1,
    peerSocketId: 2,
    initialSeq: opts.initialSeq,
    latencyMs: opts.latencyMs,
    startMs: start,
    cipher: opts.cipher,
  });
  const receiver = new SrtReceiver({
    socketId: 2,
    peerSocketId: 1,
    initialSeq: opts.initialSeq,
    latencyMs: opts.latencyMs,
    peerTimestampUs: 0,
    startMs: start,
    cipher: opts.cipher,
  });
  const wire: Link[] = [];
  const delivered: string[] = [];
  const deliveredAt: number[] = [];
  const events: SrtOutputs['events'] = [];
  let lost = 0;
  const ship = (out: SrtOutputs, to: Link['to'], now: number) => {
    for (const datagram of out.send) {
      if (random() < opts.loss) lost++;
      else wire.push({ at: now + delayMs, bytes: datagramBytes(datagram), to });
    }
    for (const p of out.payloads) {
      delivered.push(p.payload.toString());
      deliveredAt.push(now);
    }
    events.push(...out.events);
  };
  let sentCount = 0;
  const end = start + opts.count * 2 + 3000;
  for (let now = start; now < end; now++) {
    if (sentCount < opts.count && now % 2 === 0) {
      ship(sender.send(Buffer.from(`payload-${sentCount}`), now), 'receiver', now);
      sentCount++;
    }
    for (let i = 0; i < wire.length; ) {
      const l = wire[i];
      if (l.at > now) {
        i++;
        continue;
      }
      wire.splice(i, 1);
      if (l.to === 'receiver') ship(receiver.push(l.bytes, now), 'sender', now);
      else ship(sender.push(l.bytes, now), 'receiver', now);
    }
    ship(receiver.poll(now), 'sender', now);
    ship(sender.poll(now), 'receiver', now);
  }
  return { delivered, deliveredAt, events, lost, sender, receiver, start };
}

const expected = (n: number) => Array.from({ length: n }, (_, i) => `payload-${i}`);

describe('sender and receiver over a lossy link', () => {
  it('deliver every payload in order with 5 % loss both ways', () => {
    for (const seed of [1, 2, 3]) {
      const r = run({ seed, loss: 0.05, count: 2000, latencyMs: 300, initialSeq: 1234 });
      expect(r.lost).toBeGreaterThan(100);
      expect(r.delivered).toEqual(expected(2000));
      expect(r.receiver.stats.dropped).toBe(0);
      expect(r.sender.stats.retransmitted).toBeGreaterThan(0);
      expect(r.receiver.stats.rttMs).toBeGreaterThan(25);
      expect(r.receiver.stats.rttMs).toBeLessThan(60);
      expect(r.events.filter((e) => e.type === 'dropped')).toEqual([]);
    }
  });

  it('deliver each payload one latency after it was sent', () => {
    const r = run({ seed: 9, loss: 0.05, count: 500, latencyMs: 300, initialSeq: 0 });
    r.deliveredAt.forEach((at, i) => {
      expect(at - (r.start + i * 2)).toBe(300);
    });
  });

  it('across the sequence wrap, encrypted', () => {
    const cipher = new PayloadCipher({ salt: Buffer.alloc(16, 5), keyLength: 32, even: Buffer.alloc(32, 6) });
    const r = run({ seed: 4, loss: 0.05, count: 1000, latencyMs: 300, initialSeq: SEQ_MAX - 500, cipher });
    expect(r.delivered).toEqual(expected(1000));
  });

  it('give up (and count) what cannot arrive in time at 30 % loss and a short latency, still in order', () => {
    const r = run({ seed: 5, loss: 0.3, count: 1000, latencyMs: 40, initialSeq: 77 });
    const indexes = r.delivered.map((s) => Number(s.slice(8)));
    expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
    expect(r.receiver.stats.dropped).toBeGreaterThan(0);
    expect(r.receiver.stats.dropped + r.delivered.length).toBeLessThanOrEqual(1000);
  });
});
