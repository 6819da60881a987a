import { describe, expect, it } from 'vitest';
import { StreamSource } from './stream-source.js';
import { audio, header, labelFormat, MemorySink, nextTurn, sourceOptions, video } from './test-support.js';

const key = { vhost: '__defaultVhost__', app: 'live', stream: 's' };
const publisher = { cid: 'pub', protocol: 'test', ip: '127.0.0.1', query: '', disconnect: () => {} };
const info = (cid: string) => ({ cid, protocol: 'test', ip: '127.0.0.1' });

function startedSource(clock = { now: 0 }) {
  const source = new StreamSource(key, publisher, sourceOptions(clock));
  source.push(header('video'));
  source.push(header('audio'));
  source.push(video(0, true));
  source.push(audio(10));
  source.push(video(33));
  return source;
}

describe('StreamSource fan-out', () => {
  it('starts a new reader with sequence headers then the GOP from its keyframe', async () => {
    const source = startedSource();
    source.push(video(66, true));
    source.push(video(100));
    const sink = new MemorySink();
    source.addReader(labelFormat, info('r1'), sink);
    await nextTurn();
    expect(sink.text()).toBe('vhk0;ah0;vk66;v100;');
  });

  it('hands every live reader the very same batch Buffer (serialized once)', async () => {
    const source = startedSource();
    const sinks = [new MemorySink(), new MemorySink(), new MemorySink()];
    for (const [i, sink] of sinks.entries()) source.addReader(labelFormat, info(`r${i}`), sink);
    await nextTurn();
    source.push(video(66));
    source.push(audio(70));
    await nextTurn();
    const batches = sinks.map((s) => s.writes[s.writes.length - 1]);
    expect(batches[0].toString()).toBe('v66;a70;');
    expect(batches[1]).toBe(batches[0]);
    expect(batches[2]).toBe(batches[0]);
  });

  it('makes a reader of a video stream wait for a keyframe', async () => {
    const source = new StreamSource(key, publisher, sourceOptions({ now: 0 }));
    source.push(header('video'));
    source.push(video(0));
    const sink = new MemorySink();
    source.addReader(labelFormat, info('r'), sink);
    await nextTurn();
    expect(sink.writes).toHaveLength(0);
    source.push(video(33, true));
    await nextTurn();
    expect(sink.text()).toBe('vhk0;vk33;');
  });

  it('drops a lagging reader to the next keyframe, counts the frames, and leaves others alone', async () => {
    const source = startedSource();
    const slow = new MemorySink();
    const fast = new MemorySink();
    const slowReader = source.addReader(labelFormat, info('slow'), slow);
    source.addReader(labelFormat, info('fast'), fast);
    await nextTurn();
    slow.pending = 200_000; // over maxQueueBytes
    source.push(video(66));
    await nextTurn();
    source.push(video(100));
    await nextTurn();
    expect(slowReader.state).toBe('lagging');
    expect(slowReader.framesDropped).toBe(2);
    expect(fast.text().endsWith('v66;v100;')).toBe(true);
    slow.pending = 0; // drained
    source.push(video(133, true));
    await nextTurn();
    expect(slowReader.state).toBe('live');
    expect(slow.text().endsWith('vhk0;ah0;vk133;')).toBe(true);
  });

  it('rejoins a reader that drained mid-GOP at the next keyframe, never sending it that GOP again', async () => {
    const source = startedSource();
    const slow = new MemorySink();
    const slowReader = source.addReader(labelFormat, info('slow'), slow);
    await nextTurn();
    expect(slow.text()).toBe('vhk0;ah0;vk0;a10;v33;');
    slow.pending = 200_000;
    source.push(video(66));
    await nextTurn();
    expect(slowReader.state).toBe('lagging');
    slow.pending = 0; // drained, but the GOP it fell in is still the cached one
    source.push(video(100));
    await nextTurn();
    source.push(audio(110));
    await nextTurn();
    expect(slowReader.state).toBe('lagging');
    expect(slow.text()).toBe('vhk0;ah0;vk0;a10;v33;');
    source.push(video(133, true));
    source.push(video(166));
    await nextTurn();
    expect(slowReader.state).toBe('live');
    expect(slow.text()).toBe('vhk0;ah0;vk0;a10;v33;vhk0;ah0;vk133;v166;');
    expect(slowReader.framesDropped).toBe(2);
  });

  it('disconnects a reader stuck longer than the timeout', async () => {
    const clock = { now: 0 };
    const source = startedSource(clock);
    const stuck = new MemorySink();
    source.addReader(labelFormat, info('stuck'), stuck);
    await nextTurn();
    stuck.pending = 500_000;
    source.push(video(66));
    await nextTurn();
    clock.now = 6000;
    source.push(video(100));
    await nextTurn();
    expect(stuck.destroyed).toBe('stuck');
    expect(source.readers()).toHaveLength(0);
  });

  it('never takes a sink whose backlog drains without its peer (UDP) for stuck, however long it stays busy', async () => {
    const clock = { now: 0 };
    const source = startedSource(clock);
    const busy = Object.assign(new MemorySink(), { drainsAtPeerPace: false });
    const reader = source.addReader(labelFormat, info('udp'), busy);
    await nextTurn();
    busy.pending = 1; // a shared socket queue that is never empty when asked, below the drop limits
    for (let t = 1; t <= 40; t++) {
      clock.now = t * 1000;
      source.push(video(t * 33));
      await nextTurn();
    }
    expect(busy.destroyed).toBeUndefined();
    expect(reader.state).toBe('live');
    expect(busy.text().endsWith(`v${40 * 33};`)).toBe(true);
  });

  it('ends every reader when the publisher leaves', async () => {
    const source = startedSource();
    const sink = new MemorySink();
    source.addReader(labelFormat, info('r'), sink);
    await nextTurn();
    source.end();
    expect(sink.ended).toBe(true);
    expect(source.readers()).toHaveLength(0);
    expect(source.push(video(200))).toBeUndefined();
  });

  it('serves audio-only streams at once', async () => {
    const source = new StreamSource(key, publisher, sourceOptions({ now: 0 }));
    source.push(header('audio'));
    source.push(audio(0));
    const sink = new MemorySink();
    source.addReader(labelFormat, info('r'), sink);
    await nextTurn();
    source.push(audio(23));
    await nextTurn();
    expect(sink.text()).toBe('ah0;a23;');
  });
});
