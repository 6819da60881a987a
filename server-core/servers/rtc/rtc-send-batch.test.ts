import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readSendBatch, SEND_RTCP, SEND_RTP, SendBatchWriter } from './rtc-send-batch.js';

describe('SendBatchWriter / readSendBatch', () => {
  it('gives back every record in order, with each shared payload stored once', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 1300 }), { minLength: 1, maxLength: 6 }),
        fc.array(
          fc.record({
            viewer: fc.nat(1000),
            rtcp: fc.boolean(),
            payload: fc.nat(5),
            head: fc.uint8Array({ maxLength: 40 }),
          }),
          { maxLength: 60 },
        ),
        (payloadBytes, items) => {
          // One slab holding all payloads, as the hub's shared packets: each viewer gets its own subarray object.
          const slab = Buffer.concat(payloadBytes.map((b) => Buffer.from(b)));
          const starts = payloadBytes.map((_, i) => payloadBytes.slice(0, i).reduce((n, b) => n + b.length, 0));
          const payloadOf = (i: number) => {
            const k = i % payloadBytes.length;
            return slab.subarray(starts[k], starts[k] + payloadBytes[k].length);
          };
          const writer = new SendBatchWriter();
          for (const item of items) {
            if (item.rtcp) writer.rtcp(item.viewer, Buffer.from(item.head));
            else writer.rtp(item.viewer, Buffer.from(item.head), payloadOf(item.payload));
          }
          const batch = writer.take();
          expect(writer.empty).toBe(true);
          const seen: { viewer: number; kind: number; head: string; payload: string }[] = [];
          readSendBatch(batch, (r) =>
            seen.push({
              viewer: r.viewer,
              kind: r.kind,
              head: r.head.toString('hex'),
              payload: r.payload.toString('hex'),
            }),
          );
          expect(seen).toEqual(
            items.map((item) => ({
              viewer: item.viewer,
              kind: item.rtcp ? SEND_RTCP : SEND_RTP,
              head: Buffer.from(item.head).toString('hex'),
              payload: item.rtcp ? '' : payloadOf(item.payload).toString('hex'),
            })),
          );
          const heads = items.reduce((n, item) => n + item.head.length, 0);
          const distinct = new Set(items.filter((i) => !i.rtcp).map((i) => i.payload % payloadBytes.length));
          const payloads = [...distinct].reduce((n, k) => n + payloadBytes[k].length, 0);
          expect(batch.data.byteLength).toBe(heads + payloads);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses a record that names a chunk the batch does not hold', () => {
    const writer = new SendBatchWriter();
    writer.rtp(1, Buffer.alloc(12), Buffer.alloc(100));
    const batch = writer.take();
    new Uint32Array(batch.records)[3] = 9;
    expect(() => readSendBatch(batch, () => {})).toThrow(RangeError);
  });
});
