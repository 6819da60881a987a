import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { datagramBytes, encodeControl, type SrtDatagram } from './connection-outputs.js';
import { type ControlPacket, parseControlPacket } from './control-packet.js';
import { type DataPacket, encodeDataPacket } from './data-packet.js';
import { PayloadCipher } from './payload-cipher.js';
import { SrtReceiver, type SrtReceiverOptions } from './receiver.js';
import { SEQ_MAX, seqAdd } from './seq.js';

const START = 10_000;
const base = (o: Partial<SrtReceiverOptions> = {}) =>
  new SrtReceiver({
    socketId: 1,
    peerSocketId: 2,
    initialSeq: 100,
    latencyMs: 120,
    peerTimestampUs: 0,
    startMs: START,
    ...o,
  });

/** A data packet sent `atMs` after the connection start (the peer's timestamp is µs since then). */
const data = (seq: number, atMs: number, extra: Partial<DataPacket> = {}) =>
  encodeDataPacket({
    type: 'data',
    seq,
    position: 3,
    inOrder: false,
    keyFlag: 0,
    retransmitted: false,
    messageNumber: 1,
    timestamp: (atMs * 1000) % 2 ** 32,
    destSocketId: 1,
    payload: Buffer.from(`p${seq}`),
    ...extra,
  });

const controls = (sent: SrtDatagram[]): ControlPacket[] => sent.map((d) => parseControlPacket(datagramBytes(d)));

describe('SrtReceiver', () => {
  it('releases payloads in order at packet time + latency', () => {
    const r = base();
    expect(r.push(data(100, 0), START).payloads).toEqual([]);
    r.push(data(101, 5), START + 5);
    expect(r.poll(START + 119).payloads).toHaveLength(0);
    expect(r.poll(START + 120).payloads.map((p) => p.seq)).toEqual([100]);
    expect(r.poll(START + 125).payloads.map((p) => p.payload.toString())).toEqual(['p101']);
    expect(r.stats.delivered).toBe(2);
  });

  it('NAKs a gap at once and delivers the retransmission in order', () => {
    const r = base();
    r.push(data(100, 0), START);
    const out = r.push(data(103, 3), START + 3);
    const naks = controls(out.send).filter((c) => c.type === 'nak');
    expect(naks).toHaveLength(1);
    expect(naks[0].type === 'nak' && naks[0].loss).toEqual([{ from: 101, to: 102 }]);
    r.push(data(102, 2, { retransmitted: true }), START + 20);
    r.push(data(101, 1, { retransmitted: true }), START + 21);
    const released = [...r.poll(START + 200).payloads].map((p) => p.seq);
    expect(released).toEqual([100, 101, 102, 103]);
    expect(r.stats.dropped).toBe(0);
  });

  it('repeats the loss list in periodic NAKs until the packets come', () => {
    const r = base({ latencyMs: 1000 });
    r.push(data(100, 0), START);
    r.push(data(102, 2), START + 2);
    let naks = 0;
    for (let t = 3; t < 200; t++) naks += controls(r.poll(START + t).send).filter((c) => c.type === 'nak').length;
    expect(naks).toBeGreaterThanOrEqual(1);
    r.push(data(101, 1), START + 200);
    let after = 0;
    for (let t = 201; t < 300; t++) after += controls(r.poll(START + t).send).filter((c) => c.type === 'nak').length;
    expect(after).toBe(0);
  });

  it('drops packets that are still missing when a later one is due, and counts them', () => {
    const r = base();
    r.push(data(100, 0), START);
    r.push(data(104, 4), START + 4);
    const out = r.poll(START + 124);
    expect(out.payloads.map((p) => p.seq)).toEqual([100, 104]);
    expect(out.events).toContainEqual({ type: 'dropped', from: 101, to: 103, count: 3 });
    expect(r.stats.dropped).toBe(3);
    r.push(data(102, 2), START + 130);
    expect(r.stats.belated).toBe(1);
  });

  it('gives a gap up in poll only: a retransmission read right after a stall still fills it', () => {
    const r = base();
    r.push(data(100, 0), START);
    // The loop stalled past 104's delivery time; 104 is read first, the retransmitted 101-103 queue behind it.
    const late = START + 200;
    const first = r.push(data(104, 4), late);
    expect(first.events).toEqual([]);
    const released = first.payloads.map((p) => p.seq);
    for (const seq of [101, 102, 103])
      released.push(...r.push(data(seq, seq - 100, { retransmitted: true }), late).payloads.map((p) => p.seq));
    released.push(...r.poll(late).payloads.map((p) => p.seq));
    expect(released).toEqual([100, 101, 102, 103, 104]);
    expect(r.stats.dropped).toBe(0);
    // With nothing to fill it, the next poll gives the gap up.
    r.push(data(107, 7), late);
    expect(r.poll(late + 1).events).toContainEqual({ type: 'dropped', from: 105, to: 106, count: 2 });
  });

  it('keeps waiting without too-late drop', () => {
    const r = base({ tooLateDrop: false });
    r.push(data(100, 0), START);
    r.push(data(102, 2), START + 2);
    expect(r.poll(START + 500).payloads.map((p) => p.seq)).toEqual([100]);
    const late = r.push(data(101, 1), START + 501).payloads;
    expect(late.map((p) => p.seq)).toEqual([101, 102]);
  });

  it('repeats an unconfirmed full ACK every RTT + 4 RTTVar until its ACKACK comes', () => {
    const r = base();
    r.push(data(100, 0), START);
    const acksAt = (t: number) => controls(r.poll(t).send).filter((c) => c.type === 'ack');
    const [first] = acksAt(START + 10);
    // Before any RTT sample: RTT 100 ms, RTTVar 50 ms, so 300 ms.
    for (let t = START + 20; t < START + 310; t += 10) expect(acksAt(t)).toHaveLength(0);
    const [again] = acksAt(START + 310);
    if (first.type !== 'ack' || again?.type !== 'ack') throw new Error('no repeated ACK');
    expect(again.ack.lastAckedSeq).toBe(101);
    expect(again.ackNumber).not.toBe(first.ackNumber);
    r.push(encodeControl({ type: 'ackack', ackNumber: again.ackNumber }, START + 312, START, 1), START + 312);
    for (let t = START + 320; t < START + 2000; t += 10) expect(acksAt(t)).toHaveLength(0);
  });

  it('sends a full ACK every 10 ms when there is news, and takes RTT from the ACKACK', () => {
    const r = base();
    r.push(data(100, 0), START);
    const acks = controls(r.poll(START + 10).send).filter((c) => c.type === 'ack');
    expect(acks).toHaveLength(1);
    const ack = acks[0];
    if (ack.type !== 'ack') throw new Error();
    expect(ack.ack.lastAckedSeq).toBe(101);
    expect(ack.ack.packetRate).toBeDefined();
    expect(controls(r.poll(START + 20).send).filter((c) => c.type === 'ack')).toHaveLength(0);
    r.push(encodeControl({ type: 'ackack', ackNumber: ack.ackNumber }, START + 40, START, 1), START + 40);
    expect(r.stats.rttMs).toBe(30);
  });

  it('sends a light ACK after 64 packets', () => {
    const r = base();
    const sent: ControlPacket[] = [];
    for (let i = 0; i < 64; i++) sent.push(...controls(r.push(data(100 + i, 0), START).send));
    const light = sent.filter((c) => c.type === 'ack' && c.ackNumber === 0);
    expect(light).toHaveLength(1);
    expect(light[0].type === 'ack' && light[0].ack).toEqual({ lastAckedSeq: 164 });
  });

  it('survives the 31-bit sequence wrap and the 32-bit timestamp wrap', () => {
    const tsStartMs = 2 ** 32 / 1000 - 50; // 50 ms before the timestamp wraps
    const r = base({ initialSeq: SEQ_MAX - 2, peerTimestampUs: Math.round(tsStartMs * 1000) });
    const seqs: number[] = [];
    for (let i = 0; i < 10; i++) {
      r.push(data(seqAdd(SEQ_MAX - 2, i), tsStartMs + i * 10), START + i * 10);
      seqs.push(...r.poll(START + i * 10).payloads.map((p) => p.seq));
    }
    seqs.push(...r.poll(START + 300).payloads.map((p) => p.seq));
    expect(seqs).toEqual([SEQ_MAX - 2, SEQ_MAX - 1, SEQ_MAX, 0, 1, 2, 3, 4, 5, 6]);
    expect(r.stats.dropped).toBe(0);
  });

  it('releases at the right time across the timestamp wrap', () => {
    const tsStartMs = 2 ** 32 / 1000 - 5;
    const r = base({ peerTimestampUs: Math.round(tsStartMs * 1000) });
    r.push(data(100, tsStartMs + 20), START + 20);
    expect(r.poll(START + 139).payloads).toHaveLength(0);
    expect(r.poll(START + 140).payloads).toHaveLength(1);
  });

  it('decrypts with the stream key', () => {
    const salt = Buffer.alloc(16, 9);
    const cipher = new PayloadCipher({ salt, keyLength: 16, even: Buffer.alloc(16, 3) });
    const r = base({ cipher });
    r.push(data(100, 0, { keyFlag: 1, payload: cipher.apply(Buffer.from('secret'), 100, 1) }), START);
    expect(r.poll(START + 200).payloads[0].payload.toString()).toBe('secret');
    r.push(data(101, 0, { keyFlag: 2 }), START);
    expect(r.stats.undecryptable).toBe(1);
    expect(base().push(data(100, 0, { keyFlag: 1 }), START).payloads).toHaveLength(0);
  });

  it('skips what a drop request gives up', () => {
    const r = base();
    r.push(data(100, 0), START);
    r.push(data(103, 3), START + 3);
    r.push(
      encodeControl({ type: 'dropreq', messageNumber: 0, firstSeq: 101, lastSeq: 102 }, START + 5, START, 1),
      START + 5,
    );
    expect(r.poll(START + 130).payloads.map((p) => p.seq)).toEqual([100, 103]);
    expect(controls(r.poll(START + 200).send).filter((c) => c.type === 'nak')).toHaveLength(0);
  });

  it('sends keepalives when idle, times out a silent peer, ends on shutdown', () => {
    const r = base();
    expect(controls(r.poll(START + 999).send)).toHaveLength(0);
    const ka = controls(r.poll(START + 1000).send).filter((c) => c.type === 'keepalive');
    expect(ka).toHaveLength(1);
    expect(controls(r.poll(START + 1500).send)).toHaveLength(0);
    expect(r.poll(START + 5000).events).toEqual([{ type: 'closed', reason: 'timeout' }]);
    expect(r.isClosed).toBe(true);
    const s = base();
    expect(s.push(encodeControl({ type: 'shutdown' }, START, START, 1), START).events).toEqual([
      { type: 'closed', reason: 'shutdown' },
    ]);
    const c = base();
    const closing = c.close(START + 1);
    expect(controls(closing.send)[0].type).toBe('shutdown');
    expect(c.close(START + 2).send).toHaveLength(0);
  });

  it('never throws on random datagrams', () => {
    const r = base();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.nat(1000), (a, t) => {
        r.push(Buffer.from(a), START + t);
        r.poll(START + t);
      }),
      { numRuns: 1000 },
    );
  });
});
