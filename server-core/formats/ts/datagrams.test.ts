import { describe, expect, it } from 'vitest';
import { StreamSource } from '../../hub/stream-source.js';
import { AAC_CONFIG, AVC_RECORD, sourceOptions } from '../../hub/test-support.js';
import { TS_DATAGRAM_SIZE, tsDatagramFormatFor } from './datagrams.js';
import { tsFormatFor } from './from-packets.js';

const key = { vhost: '__defaultVhost__', app: 'live', stream: 's' };
const publisher = { cid: 'pub', protocol: 'test', ip: '127.0.0.1', query: '', disconnect: () => {} };

describe('TS datagrams', () => {
  it('cuts the stream’s one TS encoding into whole-packet datagrams of at most 1316 bytes', () => {
    const source = new StreamSource(key, publisher, sourceOptions({ now: 0 }));
    const datagrams = tsDatagramFormatFor(source);
    const ts = tsFormatFor(source);
    const base = { dts: 0, pts: 0, keyframe: false };
    const packets = [
      source.push({
        ...base,
        track: 1,
        kind: 'video',
        codec: 'h264',
        keyframe: true,
        sequenceHeader: true,
        payload: AVC_RECORD,
      }),
      source.push({ ...base, track: 2, kind: 'audio', codec: 'aac', sequenceHeader: true, payload: AAC_CONFIG }),
      source.push({
        ...base,
        track: 1,
        kind: 'video',
        codec: 'h264',
        keyframe: true,
        sequenceHeader: false,
        payload: Buffer.concat([Buffer.from([0, 0, 0x1f, 0x40, 0x65]), Buffer.alloc(0x1f40 - 1, 7)]),
      }),
    ];
    for (const shared of packets) {
      if (!shared) throw new Error('packet refused');
      const cut = shared.packetsFor(datagrams);
      const whole = shared.encoded(ts);
      expect(Buffer.concat(cut).equals(whole)).toBe(true);
      for (const d of cut) {
        expect(d.length).toBeLessThanOrEqual(TS_DATAGRAM_SIZE);
        expect(d.length % 188).toBe(0);
        expect(d[0]).toBe(0x47);
      }
      // Encoded once: asking again gives the same list.
      expect(shared.packetsFor(datagrams)).toBe(cut);
    }
    expect(packets[2]?.packetsFor(datagrams).length).toBeGreaterThan(5);
  });
});
