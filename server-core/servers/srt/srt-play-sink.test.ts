import { describe, expect, it } from 'vitest';
import { SrtPlaySink, type SrtPlayTransport, TS_PAYLOAD_BYTES } from './srt-play-sink.js';

function transport() {
  const sent: Buffer[] = [];
  const state = { inFlight: 0, rttMs: 10, finished: 0, destroyed: [] as string[] };
  const t: SrtPlayTransport = {
    send: (p) => {
      sent.push(p);
      state.inFlight++;
    },
    inFlight: () => state.inFlight,
    rttMs: () => state.rttMs,
    rttVarMs: () => 0,
    finish: () => state.finished++,
    destroy: (reason) => state.destroyed.push(reason),
  };
  return { t, sent, state };
}

const ts = (packets: number) => Buffer.alloc(packets * 188, 0x47);

describe('SrtPlaySink', () => {
  it('cuts the TS bytes into payloads of at most 7 × 188 bytes', () => {
    const sink = new SrtPlaySink(() => 0);
    const { t, sent } = transport();
    sink.attach(t);
    sink.write(ts(7));
    sink.write(ts(16));
    expect(sent.map((p) => p.length)).toEqual([1316, 1316, 1316, 2 * 188]);
    expect(sent.every((p) => p.length <= TS_PAYLOAD_BYTES && p.length % 188 === 0)).toBe(true);
  });

  it('hands every player of one batch the very same payload buffers (cut once, never copied)', () => {
    const batch = Buffer.concat([ts(10), Buffer.alloc(188, 1)]);
    const players = [transport(), transport()];
    for (const p of players) {
      const sink = new SrtPlaySink(() => 0);
      sink.attach(p.t);
      sink.write(batch);
    }
    const [a, b] = players.map((p) => p.sent);
    expect(a.map((p) => p.length)).toEqual([1316, 4 * 188]);
    expect(a.every((p, i) => p === b[i] && p.buffer === batch.buffer)).toBe(true);
    expect(Buffer.concat(a).equals(batch)).toBe(true);
  });

  it('holds what the hub writes before the handshake completes, then sends it in order', () => {
    const sink = new SrtPlaySink(() => 0);
    sink.write(ts(10));
    expect(sink.backlog()).toBe(10 * 188);
    const { t, sent } = transport();
    sink.attach(t);
    expect(sent.map((p) => p.length)).toEqual([1316, 3 * 188]);
  });

  it('counts as backlog only what stays unacknowledged longer than a round trip plus slack', () => {
    let now = 0;
    const sink = new SrtPlaySink(() => now);
    const { t, state } = transport();
    sink.attach(t);
    sink.write(ts(14)); // two payloads at t=0
    expect(sink.backlog()).toBe(0);
    now = 100;
    sink.write(ts(7)); // one at t=100
    // rtt 10 + slack 50: the two at t=0 are late, the one at t=100 is not.
    expect(sink.backlog()).toBe(2 * 1316);
    state.inFlight = 1; // the first two acknowledged
    expect(sink.backlog()).toBe(0);
    now = 200;
    expect(sink.backlog()).toBe(1316);
    state.inFlight = 0;
    expect(sink.backlog()).toBe(0);
  });

  it('end finishes the connection; destroy before the handshake destroys it on attach', () => {
    const a = new SrtPlaySink(() => 0);
    const ta = transport();
    a.end();
    a.attach(ta.t);
    expect(ta.state.finished).toBe(1);
    a.write(ts(7));
    expect(ta.sent).toHaveLength(0);

    const b = new SrtPlaySink(() => 0);
    b.write(ts(7));
    b.destroy('stuck');
    expect(b.backlog()).toBe(0);
    const tb = transport();
    b.attach(tb.t);
    expect(tb.state.destroyed).toEqual(['stuck']);
    expect(tb.sent).toHaveLength(0);
  });
});
