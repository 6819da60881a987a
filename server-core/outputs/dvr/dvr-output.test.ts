import { describe, expect, it } from 'vitest';
import { ASC_48K_STEREO, AVCC_720 } from '../../codec/fmp4/test-fixtures.js';
import type { MediaPacket } from '../../hub/media-packet.js';
import { StreamRegistry } from '../../hub/stream-registry.js';
import { nextTurn, sourceOptions } from '../../hub/test-support.js';
import { DvrOutput } from './dvr-output.js';
import { MemoryFileSystem } from './memory-file-system.js';
import { memoryLogger, T0 } from './test-stream.js';

const publisher = { cid: 'pub1', protocol: 'test', ip: '127.0.0.1', query: '', disconnect: () => {} };
const key = { vhost: '__defaultVhost__', app: 'live', stream: 'cam' };
const media = (kind: 'video' | 'audio', dts: number, keyframe = false): MediaPacket => ({
  track: kind === 'video' ? 1 : 2,
  kind,
  codec: kind === 'video' ? 'h264' : 'aac',
  dts,
  pts: dts,
  keyframe,
  sequenceHeader: false,
  payload: Buffer.alloc(kind === 'video' ? 1000 : 100, 7),
});

describe('DvrOutput', () => {
  it('on a full disk: "recording closed" with the reason and the size on disk, the error in the stream state', async () => {
    const clock = { now: T0 };
    const registry = new StreamRegistry(sourceOptions(clock));
    const fs = new MemoryFileSystem();
    fs.capacity = 60_000;
    const { logger, lines } = memoryLogger();
    const closed: string[] = [];
    const dvr = new DvrOutput({
      registry,
      vhost: key.vhost,
      dir: '/nonexistent-tally-dvr-test',
      pathTemplate: '[app]/[stream]-[timestamp]',
      format: 'mp4',
      plan: 'session',
      segmentMs: 30_000,
      recordAll: true,
      minFreeBytes: 0,
      logger,
      now: () => clock.now,
      fs,
      onFileClosed: (_file, reason) => closed.push(reason),
    });
    dvr.start();
    const source = registry.publish(key, publisher);
    source.push({ ...media('video', 0, true), sequenceHeader: true, payload: AVCC_720 });
    source.push({ ...media('audio', 0), sequenceHeader: true, payload: ASC_48K_STEREO });
    for (let dts = 0; dts <= 5000; dts += 40) {
      clock.now = T0 + dts;
      source.push(media('video', dts, dts % 1000 === 0));
      source.push(media('audio', dts + 20));
      await nextTurn();
    }
    await nextTurn();
    const state = dvr.state(key);
    expect(state).toMatchObject({ recording: false, errorCode: 'DVR_DISK_FULL' });
    expect(state.error).toMatch(/ENOSPC/);
    const line = lines.find((l) => l.msg === 'recording closed');
    const file = `/nonexistent-tally-dvr-test/live/cam-${T0}.mp4`;
    expect(line).toMatchObject({ reason: 'DVR_DISK_FULL', file, cid: 'pub1' });
    expect(line?.bytes).toBe(fs.file(file).length);
    expect(closed).toEqual(['DVR_DISK_FULL']);
    const [listed] = await dvr.recordings();
    expect(listed).toMatchObject({ file, size: fs.file(file).length, recording: false });
    // The stream itself is untouched.
    expect(registry.find(key)).toBe(source);
    await dvr.close();
  });
});
