import { describe, expect, it } from 'vitest';
import type { ConsumerFault } from './consumer-fault.js';
import { MAX_CONSECUTIVE_ENCODE_FAULTS } from './format-channel.js';
import { StreamSource } from './stream-source.js';
import { audio, header, labelFormat, MemorySink, nextTurn, sourceOptions, video } from './test-support.js';
import type { WireFormat } from './wire-format.js';

const key = { vhost: '__defaultVhost__', app: 'live', stream: 's' };
const publisher = { cid: 'pub', protocol: 'test', ip: '127.0.0.1', query: '', disconnect: () => {} };
const info = (cid: string) => ({ cid, protocol: 'test', ip: '127.0.0.1' });

function faultySource(clock = { now: 0 }) {
  const faults: ConsumerFault[] = [];
  const source = new StreamSource(key, publisher, sourceOptions(clock, { reportFault: (f) => faults.push(f) }));
  return { source, faults };
}

/** Encodes like labelFormat but throws on packets the test picks. */
function failingFormat(fails: (dts: number) => boolean): WireFormat {
  return {
    id: 'failing',
    encode: (shared) => {
      if (fails(shared.packet.dts)) throw new RangeError(`cannot encode ${shared.packet.dts}`);
      return labelFormat.encode(shared);
    },
  };
}

describe('StreamSource fault boundary', () => {
  it('removes a subscriber that throws, reports it, and keeps feeding the others', () => {
    const { source, faults } = faultySource();
    const seen: number[] = [];
    let cleanedUp = false;
    source.subscribe({
      name: 'broken',
      onPacket: () => {
        throw new TypeError('boom');
      },
      onFault: () => {
        cleanedUp = true;
      },
    });
    source.subscribe({ name: 'healthy', onPacket: (p) => seen.push(p.packet.dts) });
    source.push(header('video'));
    source.push(video(0, true));
    source.push(video(33));
    expect(seen).toEqual([0, 0, 33]);
    expect(faults).toHaveLength(1);
    expect(faults[0]).toMatchObject({ kind: 'subscriber', consumer: 'broken', stream: '__defaultVhost__/live/s' });
    expect(faults[0].error.message).toBe('boom');
    expect(cleanedUp).toBe(true);
  });

  it('drops a packet its encoder cannot encode and goes on with the next', async () => {
    const { source, faults } = faultySource();
    source.push(header('video'));
    source.push(video(0, true));
    const sink = new MemorySink();
    source.addReader(
      failingFormat((dts) => dts === 33),
      info('r'),
      sink,
    );
    await nextTurn();
    source.push(video(33));
    source.push(video(66));
    await nextTurn();
    expect(sink.text()).toBe('vhk0;vk0;v66;');
    expect(sink.destroyed).toBeUndefined();
    expect(faults.map((f) => f.kind)).toEqual(['wire-format']);
  });

  it('ends only the readers of an encoder that keeps failing; other formats keep playing', async () => {
    const { source, faults } = faultySource();
    source.push(header('video'));
    source.push(video(0, true));
    const broken = new MemorySink();
    const healthy = new MemorySink();
    source.addReader(
      failingFormat((dts) => dts > 0),
      info('broken'),
      broken,
    );
    source.addReader(labelFormat, info('healthy'), healthy);
    await nextTurn();
    for (let i = 1; i <= MAX_CONSECUTIVE_ENCODE_FAULTS + 2; i++) source.push(video(i * 33));
    await nextTurn();
    expect(broken.destroyed).toBe('failed');
    expect(healthy.destroyed).toBeUndefined();
    expect(healthy.text()).toContain('v165;');
    expect(source.readers().map((r) => r.info.cid)).toEqual(['healthy']);
    expect(faults).toHaveLength(MAX_CONSECUTIVE_ENCODE_FAULTS);
    // A later reader of that format gets a fresh encoder channel.
    const later = new MemorySink();
    source.addReader(labelFormat, info('later'), later);
    await nextTurn();
    expect(later.text().startsWith('vhk0;')).toBe(true);
  });

  it('refuses an invalid codec configuration before any consumer sees it, and its track with it', async () => {
    const { source, faults } = faultySource();
    const seen: string[] = [];
    source.subscribe({ onPacket: (p) => seen.push(`${p.packet.kind}${p.packet.sequenceHeader ? 'h' : ''}`) });
    // A 1-byte AVC record: what crashed the MPEG-TS muxer.
    source.push({ ...header('video'), payload: Buffer.from([1]) });
    source.push(video(0, true));
    source.push(header('audio'));
    source.push(audio(10));
    expect(seen).toEqual(['audioh', 'audio']);
    expect(faults).toHaveLength(1);
    expect(faults[0]).toMatchObject({ kind: 'ingest', action: expect.stringContaining('track dropped') });
    expect(source.trackProblem('video')).toMatch(/AVC record/);
    // A valid configuration brings the track back.
    source.push(header('video'));
    source.push(video(33, true));
    expect(seen.slice(2)).toEqual(['videoh', 'video']);
    expect(source.trackProblem('video')).toBeUndefined();
  });

  it('reports the same invalid configuration once, not once per repeat', () => {
    const { source, faults } = faultySource();
    for (let i = 0; i < 5; i++) source.push({ ...header('audio'), payload: Buffer.from([0xff, 0xff]) });
    expect(faults).toHaveLength(1);
  });

  it('disconnects a stalled reader stuckTimeoutMs after it stopped draining, not after its queue overflowed', async () => {
    const clock = { now: 0 };
    const { source } = faultySource(clock);
    source.push(header('video'));
    source.push(video(0, true));
    const sink = new MemorySink();
    source.addReader(labelFormat, info('stall'), sink);
    await nextTurn();
    // The player stops reading: a little is left over, far below the lag limits.
    sink.pending = 10;
    clock.now = 1000;
    source.push(video(33));
    await nextTurn();
    expect(sink.destroyed).toBeUndefined();
    clock.now = 1000 + 5000; // sourceOptions' stuckTimeoutMs
    source.push(video(66));
    await nextTurn();
    expect(sink.destroyed).toBeUndefined();
    clock.now = 1000 + 5001;
    source.push(video(99));
    await nextTurn();
    expect(sink.destroyed).toBe('stuck');
  });

  it('does not count a reader that drains between checks as stuck', async () => {
    const clock = { now: 0 };
    const { source } = faultySource(clock);
    source.push(header('video'));
    source.push(video(0, true));
    const sink = new MemorySink();
    source.addReader(labelFormat, info('slow'), sink);
    await nextTurn();
    for (let t = 1; t <= 20; t++) {
      sink.pending = t % 2 === 0 ? 0 : 10;
      clock.now = t * 1000;
      source.push(video(t * 33));
      await nextTurn();
    }
    expect(sink.destroyed).toBeUndefined();
  });
});
