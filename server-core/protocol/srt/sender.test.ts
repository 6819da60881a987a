import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { datagramBytes, encodeControl, type SrtOutputs } from './connection-outputs.js';
import { parseControlPacket } from './control-packet.js';
import { parseDataPacket } from './data-packet.js';
import { PayloadCipher } from './payload-cipher.js';
import { MAX_RESEND_CREDIT, SrtSender, type SrtSenderOptions } from './sender.js';
import { SEQ_MAX } from './seq.js';
import { SrtError } from './srt-error.js';

const START = 5_000;
const make = (o: Partial<SrtSenderOptions> = {}) =>
  new SrtSender({ socketId: 7, peerSocketId: 8, initialSeq: 50, latencyMs: 120, startMs: START, ...o });
const ctl = (s: SrtSender, body: Parameters<typeof encodeControl>[0], at: number) =>
  s.push(encodeControl(body, at, START, 7), at);
/** The datagrams of some outputs as bytes (a data packet goes out as header + payload). */
const wire = (out: SrtOutputs): Buffer[] => out.send.map(datagramBytes);

describe('SrtSender', () => {
  it('sends each payload at once as a solo data packet with its send time', () => {
    const s = make();
    const out = s.send(Buffer.from('hello'), START + 3);
    const p = parseDataPacket(wire(out)[0]);
    expect(p).toMatchObject({ seq: 50, position: 3, retransmitted: false, timestamp: 3000, destSocketId: 8 });
    expect(p.payload.toString()).toBe('hello');
    expect(parseDataPacket(wire(s.send(Buffer.from('x'), START + 4))[0]).messageNumber).toBe(p.messageNumber + 1);
    expect(() => s.send(Buffer.alloc(1457), START)).toThrow(SrtError);
  });

  it('retransmits what a NAK lists, with the R flag and the original timestamp', () => {
    const s = make();
    for (let i = 0; i < 5; i++) s.send(Buffer.from(`p${i}`), START + i);
    const out = ctl(
      s,
      {
        type: 'nak',
        loss: [
          { from: 51, to: 52 },
          { from: 54, to: 54 },
        ],
      },
      START + 30,
    );
    const again = wire(out).map((b) => parseDataPacket(b));
    expect(again.map((p) => [p.seq, p.retransmitted, p.timestamp])).toEqual([
      [51, true, 1000],
      [52, true, 2000],
      [54, true, 4000],
    ]);
    expect(s.stats.retransmitted).toBe(3);
  });

  it('resends each packet once per NAK however its ranges overlap, and again for a NAK that repeats it later', () => {
    const s = make();
    for (let i = 0; i < 10; i++) s.send(Buffer.from(`p${i}`), START + i);
    const all = { from: 50, to: 59 };
    const first = wire(ctl(s, { type: 'nak', loss: [all, all, { from: 52, to: 53 }] }, START + 20));
    expect(first.map((b) => parseDataPacket(b).seq)).toEqual([50, 51, 52, 53, 54, 55, 56, 57, 58, 59]);
    // Asked again within MIN_RESEND_GAP_MS: nothing.
    expect(wire(ctl(s, { type: 'nak', loss: [all] }, START + 21))).toHaveLength(0);
    // A receiver's periodic NAK, 20 ms on, is answered in full.
    expect(wire(ctl(s, { type: 'nak', loss: [all] }, START + 40))).toHaveLength(10);
  });

  it('never resends more than the stream it sent plus a bounded credit, whatever the NAKs ask', () => {
    const s = make({ dropDelayMs: 60_000 });
    for (let i = 0; i < 8192; i++) s.send(Buffer.alloc(10), START);
    const hostile = Array.from({ length: 180 }, () => ({ from: 50, to: 50 + 8191 }));
    const resends = (at: number) =>
      wire(ctl(s, { type: 'nak', loss: hostile }, at)).filter((b) => (b[0] & 0x80) === 0).length;
    let resent = 0;
    for (let t = 0; t < 50; t++) resent += resends(START + 10 * t);
    expect(resent).toBe(MAX_RESEND_CREDIT);
    // Each new packet adds one resend to the budget (the oldest 100 fall out of the full buffer).
    for (let i = 0; i < 100; i++) s.send(Buffer.alloc(10), START + 600);
    expect(resends(START + 700)).toBe(100);
  });

  it('frees acknowledged packets, answers full ACKs with ACKACK and adopts the RTT', () => {
    const s = make();
    for (let i = 0; i < 5; i++) s.send(Buffer.from(`p${i}`), START);
    const out = ctl(
      s,
      {
        type: 'ack',
        ackNumber: 9,
        ack: {
          lastAckedSeq: 53,
          rttUs: 20_000,
          rttVarUs: 5000,
          availableBuffer: 100,
          packetRate: 0,
          linkCapacity: 0,
          receiveRate: 0,
        },
      },
      START + 10,
    );
    expect(s.inFlight).toBe(2);
    expect(wire(out).map((b) => parseControlPacket(b))).toMatchObject([{ type: 'ackack', ackNumber: 9 }]);
    expect(s.stats.rttMs).toBe(20);
    expect(ctl(s, { type: 'ack', ackNumber: 0, ack: { lastAckedSeq: 55 } }, START + 11).send).toHaveLength(0);
    expect(s.inFlight).toBe(0);
    // An ACK beyond what was sent is ignored.
    ctl(s, { type: 'ack', ackNumber: 0, ack: { lastAckedSeq: 999 } }, START + 12);
    s.send(Buffer.from('n'), START + 13);
    expect(s.inFlight).toBe(1);
  });

  it('sends a data packet as its own header in front of the very payload it was given', () => {
    const s = make();
    const payload = Buffer.from('shared by every player');
    const [datagram] = s.send(payload, START).send;
    expect(Array.isArray(datagram)).toBe(true);
    expect((datagram as readonly Buffer[])[1]).toBe(payload);
    expect((datagram as readonly Buffer[])[0]).toHaveLength(16);
  });

  it('answers full ACKs with at most one ACKACK per ACKACK_INTERVAL_MS, and still frees what each ACK covers', () => {
    const s = make();
    for (let i = 0; i < 10; i++) s.send(Buffer.from([i]), START);
    const ackAt = (n: number, seq: number, t: number) =>
      wire(ctl(s, { type: 'ack', ackNumber: n, ack: { lastAckedSeq: seq, rttUs: 1000, rttVarUs: 0 } }, t));
    const answered: number[] = [];
    for (let n = 1; n <= 10; n++) {
      const sent = ackAt(n, 50 + n, START + n * 10);
      for (const b of sent) answered.push((parseControlPacket(b) as { ackNumber: number }).ackNumber);
      expect(s.inFlight).toBe(10 - n);
    }
    // ACKs every 10 ms, ACKACKs at most every 50 ms (ACKACK_INTERVAL_MS): the ones at 10 and 60 ms.
    expect(answered).toEqual([1, 6]);
  });

  it('gives up packets past the drop delay and tells the receiver', () => {
    const s = make({ latencyMs: 1000 });
    s.send(Buffer.from('a'), START);
    s.send(Buffer.from('b'), START + 100);
    const out = s.poll(START + 1251);
    expect(out.events).toContainEqual({ type: 'dropped', from: 50, to: 50, count: 1 });
    expect(
      wire(out)
        .filter((b) => b[0] & 0x80)
        .map((b) => parseControlPacket(b)),
    ).toContainEqual(expect.objectContaining({ type: 'dropreq', firstSeq: 50, lastSeq: 50 }));
    const nak = ctl(s, { type: 'nak', loss: [{ from: 50, to: 51 }] }, START + 1260);
    const kinds = wire(nak).map((b) => (b[0] & 0x80 ? parseControlPacket(b).type : 'data'));
    expect(kinds).toEqual(['dropreq', 'data']);
  });

  it('keeps at most the buffer size in flight', () => {
    const s = make({ bufferPackets: 4 });
    for (let i = 0; i < 6; i++) s.send(Buffer.from([i]), START);
    expect(s.inFlight).toBe(4);
    expect(s.stats.overflowDropped).toBe(2);
  });

  it('resends an unacknowledged tail when nothing new goes out', () => {
    const s = make();
    s.send(Buffer.from('last'), START);
    expect(s.poll(START + 100).send).toHaveLength(0);
    const out = s.poll(START + 400);
    expect(wire(out).map((b) => parseDataPacket(b))).toMatchObject([{ seq: 50, retransmitted: true }]);
  });

  it('does not resend a tail blindly while ACKs keep coming (late ACKs of a loaded peer) or the stream flows', () => {
    const s = make({ latencyMs: 1000 });
    for (let i = 0; i < 10; i++) s.send(Buffer.from([i]), START);
    let resent = 0;
    for (let t = START + 10; t <= START + 500; t += 10) {
      // Every 20 ms an ACK that covers one more packet (RTO 10 + 20 ms): the receiver is behind, not missing anything.
      if (t % 20 === 0) {
        const ack = { lastAckedSeq: 50 + Math.min(10, (t - START) / 20), rttUs: 10_000, rttVarUs: 0 };
        ctl(s, { type: 'ack', ackNumber: 0, ack }, t);
      }
      resent += wire(s.poll(t)).filter((b) => (b[0] & 0x80) === 0).length;
    }
    expect(resent).toBe(0);
    expect(s.inFlight).toBe(0);
    // A flush every 40 ms, its ACKs up to 200 ms late: the next packets would show a loss, nothing is resent.
    const f = make({ latencyMs: 1000 });
    let seq = 50;
    for (let t = START; t <= START + 1000; t += 10) {
      if (t % 40 === 0) for (let i = 0; i < 5; i++, seq++) f.send(Buffer.from([i]), t);
      if (t % 200 === 0) ctl(f, { type: 'ack', ackNumber: 0, ack: { lastAckedSeq: seq, rttUs: 1000, rttVarUs: 0 } }, t);
      resent += wire(f.poll(t)).filter((b) => (b[0] & 0x80) === 0).length;
    }
    expect(resent).toBe(0);
    expect(f.stats.sent).toBe(130);
  });

  it('bounds the tail resends to a silent peer: backoff, a few tries, then the drop request', () => {
    const s = make({ latencyMs: 1000 });
    for (let i = 0; i < 10; i++) s.send(Buffer.from([i]), START);
    let resent = 0;
    const at: number[] = [];
    const kinds: string[] = [];
    const ack = (t: number) =>
      ctl(s, { type: 'ack', ackNumber: 0, ack: { lastAckedSeq: 50, rttUs: 10_000, rttVarUs: 0 } }, t);
    ack(START + 1);
    for (let t = START + 10; t <= START + 4990; t += 10) {
      if (t % 100 === 0) ack(t); // a peer that reports, and has lost the tail
      const out = s.poll(t);
      for (const b of wire(out)) {
        if ((b[0] & 0x80) === 0) {
          resent++;
          if (parseDataPacket(b).seq === 50) at.push(t - START);
        } else kinds.push(parseControlPacket(b).type);
      }
    }
    // Each packet at most MAX_TAIL_RESENDS times, once the stream has paused for TAIL_PAUSE_MS (250 ms), each
    // after an RTO (10 + 20 ms) without an ACK and after waits of RTO, 2 RTO, 4 RTO since its last send: ACKs
    // every 100 ms put them at 250, 330 and 450 ms.
    expect(at).toEqual([250, 330, 450]);
    expect(resent).toBe(30);
    expect(s.stats.tailResends).toBe(30);
    expect(kinds).toContain('dropreq');
    expect(s.inFlight).toBe(0);
  });

  it('does not resend the tail to a peer silent for a second (frozen player)', () => {
    const s = make({ latencyMs: 3000 });
    s.send(Buffer.from('a'), START);
    ctl(s, { type: 'keepalive' }, START + 1);
    expect(s.poll(START + 330).send).toHaveLength(1); // RTO 320 ms before any RTT sample
    // A peer that keeps acknowledging something still gets the bounded resends.
    expect(wire(s.poll(START + 1500)).filter((b) => (b[0] & 0x80) === 0)).toHaveLength(0);
    ctl(s, { type: 'keepalive' }, START + 1600);
    expect(wire(s.poll(START + 1610)).filter((b) => (b[0] & 0x80) === 0)).toHaveLength(1);
  });

  it('wraps the sequence number and encrypts with the even key', () => {
    const cipher = new PayloadCipher({ salt: Buffer.alloc(16, 1), keyLength: 16, even: Buffer.alloc(16, 2) });
    const s = make({ initialSeq: SEQ_MAX, cipher });
    const a = parseDataPacket(wire(s.send(Buffer.from('one'), START))[0]);
    const b = parseDataPacket(wire(s.send(Buffer.from('two'), START))[0]);
    expect([a.seq, b.seq]).toEqual([SEQ_MAX, 0]);
    expect(a.keyFlag).toBe(1);
    expect(cipher.apply(b.payload, 0, 1).toString()).toBe('two');
  });

  it('keepalive, timeout, shutdown and close', () => {
    const s = make();
    expect(wire(s.poll(START + 1000)).map((b) => parseControlPacket(b).type)).toEqual(['keepalive']);
    expect(s.poll(START + 5000).events).toEqual([{ type: 'closed', reason: 'timeout' }]);
    const t = make();
    expect(ctl(t, { type: 'shutdown' }, START).events).toEqual([{ type: 'closed', reason: 'shutdown' }]);
    expect(t.send(Buffer.from('x'), START).send).toHaveLength(0);
    expect(wire(make().close(START)).map((b) => parseControlPacket(b).type)).toEqual(['shutdown']);
  });

  it('never throws on random datagrams, huge NAK ranges included', () => {
    const s = make();
    for (let i = 0; i < 10; i++) s.send(Buffer.from([i]), START);
    ctl(s, { type: 'nak', loss: [{ from: 0, to: 0x3fffffff }] }, START + 1);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (a) => {
        s.push(Buffer.from(a), START + 2);
      }),
      { numRuns: 1000 },
    );
  });
});
