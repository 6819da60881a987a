import { describe, expect, it } from 'vitest';
import { PacketQueue } from './packet-queue.js';
import type { ReaderSink } from './reader-sink.js';
import { StreamSource } from './stream-source.js';
import { header, nextTurn, sourceOptions, video } from './test-support.js';
import type { PacketWireFormat } from './wire-format.js';

const key = { vhost: '__defaultVhost__', app: 'live', stream: 's' };
const publisher = { cid: 'pub', protocol: 'test', ip: '127.0.0.1', query: '', disconnect: () => {} };
const info = (cid: string) => ({ cid, protocol: 'test', ip: '127.0.0.1' });

/** Cuts each packet's payload into 300-byte "datagrams" (what an RTP packetizer or a TS datagram cutter does). */
let encodes = 0;
const cutter: PacketWireFormat = {
  id: 'cut300',
  packets: true,
  encodePackets: (shared) => {
    encodes++;
    const out: Buffer[] = [];
    const p = shared.packet.payload;
    for (let at = 0; at < p.length; at += 300) out.push(p.subarray(at, at + 300));
    return out;
  },
};

/** A viewer whose transport adds its own 4-byte header per packet (an RTP header rewrite), paced by a queue. */
class HeaderSink implements ReaderSink {
  readonly sent: Buffer[][] = [];
  readonly queue = new PacketQueue(20_000);
  destroyed?: string;
  constructor(private readonly id: number) {}
  backlog() {
    return this.queue.bytes;
  }
  write(): void {
    throw new Error('a packet sink gets packets');
  }
  writePackets(packets: readonly Buffer[]): void {
    if (!this.queue.push(packets)) return;
    for (const p of packets) this.sent.push([Buffer.from([this.id, 0, 0, 0]), p]);
  }
  end(): void {}
  destroy(reason: string): void {
    this.destroyed = reason;
  }
}

describe('packet egress', () => {
  it('serializes each media packet once and hands every reader the same payload Buffers', async () => {
    encodes = 0;
    const source = new StreamSource(key, publisher, sourceOptions({ now: 0 }));
    source.push(header('video'));
    source.push(video(0, true));
    const sinks = [new HeaderSink(1), new HeaderSink(2), new HeaderSink(3)];
    for (const [i, sink] of sinks.entries()) source.addReader(cutter, info(`v${i}`), sink);
    await nextTurn();
    source.push(video(33));
    await nextTurn();
    // Header (28 bytes: 1 packet), keyframe (1000 bytes: 4), the next frame (4): 3 media packets encoded once each.
    expect(encodes).toBe(3);
    for (const sink of sinks) expect(sink.sent).toHaveLength(9);
    for (let i = 0; i < 9; i++) {
      // The payload is the very same Buffer for all three; only each reader's own header differs.
      expect(sinks[1].sent[i][1]).toBe(sinks[0].sent[i][1]);
      expect(sinks[2].sent[i][1]).toBe(sinks[0].sent[i][1]);
      expect(sinks[2].sent[i][0][0]).toBe(3);
    }
  });

  it('drops a reader whose queue backs up to the next keyframe, and it rejoins there', async () => {
    const clock = { now: 0 };
    const source = new StreamSource(
      key,
      publisher,
      sourceOptions(clock, {
        readerLimits: { maxQueueBytes: 5000, maxQueueMs: 100_000, stuckTimeoutMs: 60_000 },
      }),
    );
    source.push(header('video'));
    source.push(video(0, true));
    const slow = new HeaderSink(9);
    const reader = source.addReader(cutter, info('slow'), slow);
    await nextTurn();
    // The transport sends nothing: the queue fills past the limit.
    for (let i = 1; i <= 8; i++) {
      source.push(video(i * 33));
      await nextTurn();
    }
    expect(reader.state).toBe('lagging');
    expect(reader.framesDropped).toBeGreaterThan(0);
    // It drains, and starts again at the next keyframe with the GOP.
    slow.queue.clear();
    const before = slow.sent.length;
    source.push(video(300, true));
    await nextTurn();
    expect(reader.state).toBe('live');
    expect(slow.sent.length - before).toBe(5); // the new keyframe (4 packets) after the header (1)
    expect(slow.destroyed).toBeUndefined();
  });
});
