import { describe, expect, it } from 'vitest';
import { type Box, findBox, parseTrun, readBoxes } from '../../codec/fmp4/index.js';
import type { ContainerWriter } from './container-writer.js';
import { DvrError } from './dvr-error.js';
import { type CloseReason, DvrRecorder, type RecordedFile } from './dvr-recorder.js';
import { FlvContainerWriter } from './flv-container-writer.js';
import { Fmp4ContainerWriter } from './fmp4-container-writer.js';
import { MemoryFileSystem } from './memory-file-system.js';
import { completeFlvBytes, memoryLogger, T0, testStream } from './test-stream.js';

interface RecordOptions {
  fs?: MemoryFileSystem;
  format?: 'mp4' | 'flv';
  plan?: 'session' | 'segment';
  minFreeBytes?: number;
  createWriter?: () => ContainerWriter;
  /** The owner's handlers throw (a bug on the other side). */
  throwingHandlers?: boolean;
}

function record(opts: RecordOptions = {}) {
  const fs = opts.fs ?? new MemoryFileSystem();
  const { source, feed, clock } = testStream();
  const { logger, lines } = memoryLogger();
  const opened: RecordedFile[] = [];
  const closed: { file: RecordedFile; reason: CloseReason }[] = [];
  const failed: DvrError[] = [];
  const recorder = new DvrRecorder({
    source,
    plan: opts.plan ?? 'session',
    segmentMs: 3000,
    createWriter:
      opts.createWriter ?? (() => (opts.format === 'flv' ? new FlvContainerWriter() : new Fmp4ContainerWriter())),
    pathFor: (at, extension) => `/rec/live/cam-${at.getTime() - T0}.${extension}`,
    minFreeBytes: opts.minFreeBytes ?? 0,
    logger,
    now: () => clock.now,
    fs,
    onFileOpened: (file) => {
      opened.push({ ...file });
      if (opts.throwingHandlers) throw new Error('opened handler bug');
    },
    onFileClosed: (file, reason) => {
      closed.push({ file: { ...file }, reason });
      if (opts.throwingHandlers) throw new Error('closed handler bug');
    },
    onFailed: (error) => {
      failed.push(error);
      if (opts.throwingHandlers) throw new Error('failed handler bug');
    },
  });
  recorder.start();
  return { fs, source, feed, clock, recorder, lines, opened, closed, failed };
}

/**
 * Checks a fragmented MP4 file box by box: ftyp, moov, then whole moof+mdat pairs to the last byte, every trun
 * data offset inside its mdat. Returns the number of fragments and video samples.
 */
function checkFmp4(file: Buffer): { fragments: number; videoSamples: number } {
  const boxes = readBoxes(file); // throws on a truncated box
  expect(boxes.slice(0, 2).map((b) => b.type)).toEqual(['ftyp', 'moov']);
  const rest = boxes.slice(2);
  expect(rest.length % 2).toBe(0);
  let videoSamples = 0;
  for (let i = 0; i < rest.length; i += 2) {
    const [moof, mdat] = [rest[i], rest[i + 1]] as [Box, Box];
    expect([moof.type, mdat.type]).toEqual(['moof', 'mdat']);
    for (const traf of moof.children?.filter((b) => b.type === 'traf') ?? []) {
      const trun = parseTrun(findBox(traf.children ?? [], 'trun')!);
      const start = moof.start + (trun.dataOffset ?? 0);
      const size = trun.samples.reduce((n, s) => n + (s.size ?? 0), 0);
      expect(start).toBeGreaterThanOrEqual(mdat.start + mdat.headerSize);
      expect(start + size).toBeLessThanOrEqual(mdat.start + mdat.size);
      if (traf.children?.some((b) => b.type === 'tfhd' && b.payload.readUInt32BE(4) === 1))
        videoSamples += trun.sampleCount;
    }
  }
  return { fragments: rest.length / 2, videoSamples };
}

describe('DvrRecorder', () => {
  it('records whole fragments and reports the size on disk, with the injected clock as start time', async () => {
    const r = record();
    await r.feed(5000);
    expect(r.recorder.state?.size).toBe(r.fs.used);
    await r.recorder.stop();
    expect(r.opened).toHaveLength(1);
    expect(r.closed).toHaveLength(1);
    const { file, reason } = r.closed[0];
    expect(reason).toBe('stopped');
    expect(file).toMatchObject({ file: '/rec/live/cam-0.mp4', start: T0, recording: false, durationMs: 5000 });
    const bytes = r.fs.file(file.file);
    expect(file.size).toBe(bytes.length);
    // 0..5 s at 25 fps, a fragment per keyframe (each holds back its last frame until the next one's time is
    // known; the last holds what was pending at stop).
    expect(checkFmp4(bytes)).toEqual({ fragments: 6, videoSamples: 126 });
    // Free space is not asked about without a minimum.
    expect(r.fs.freeChecks).toBe(0);
    expect(r.failed).toEqual([]);
  });

  it('ENOSPC in the middle of a fragment: the short write is undone, the file ends on its last whole fragment', async () => {
    const fs = new MemoryFileSystem();
    // Room for the init segment, the first two fragments (~30 kB each) and part of the third.
    fs.capacity = 75_000;
    const r = record({ fs });
    await r.feed(6000);
    // The disk filled: one write came back short, the next failed, and the file was cut back.
    expect(fs.writes.some((w) => w.written < w.length)).toBe(true);
    expect(fs.truncations).toHaveLength(1);
    expect(r.failed).toHaveLength(1);
    expect(r.failed[0]).toBeInstanceOf(DvrError);
    expect(r.failed[0].code).toBe('DVR_DISK_FULL');
    expect(r.failed[0].message).toMatch(/ENOSPC/);
    expect(r.recorder.error).toBe(r.failed[0]);
    // The stream goes on and the recorder ignores it.
    await expect(r.feed(7000)).resolves.toBeUndefined();
    await r.recorder.stop();
    const { file, reason } = r.closed[0];
    expect(reason).toBe('DVR_DISK_FULL');
    const bytes = r.fs.file(file.file);
    expect(bytes.length).toBe(fs.truncations[0].size);
    expect(file.size).toBe(bytes.length);
    expect(checkFmp4(bytes)).toEqual({ fragments: 2, videoSamples: 49 });
    const stopped = r.lines.find((l) => l.msg === 'recording stopped');
    expect(stopped).toMatchObject({ code: 'DVR_DISK_FULL', stream: '/live/cam' });
  });

  it('checks free space before every fragment and stops before the one that would go below the minimum', async () => {
    const fs = new MemoryFileSystem();
    const disk = 10_000_000;
    fs.reportFree = () => disk - fs.used;
    // Enough for the init segment and three fragments, not a fourth.
    const r = record({ fs, minFreeBytes: disk - 100_000 });
    await r.feed(8000);
    await r.recorder.stop();
    expect(r.failed.map((e) => e.code)).toEqual(['DVR_DISK_FULL']);
    expect(r.failed[0].message).toMatch(/disk almost full/);
    // Nothing of the refused fragment was written: no short write, nothing to cut back.
    expect(fs.writes.every((w) => w.written === w.length)).toBe(true);
    expect(fs.truncations).toEqual([]);
    // Asked once before creating the file, then before each unit: init + 3 fragments written, the 4th refused.
    expect(fs.writes).toHaveLength(4);
    expect(fs.freeChecks).toBe(1 + 4 + 1);
    const { file, reason } = r.closed[0];
    expect(reason).toBe('DVR_DISK_FULL');
    expect(file.size).toBe(r.fs.file(file.file).length);
    expect(checkFmp4(r.fs.file(file.file))).toEqual({ fragments: 3, videoSamples: 74 });
  });

  it('refuses to start a file on a disk already below the minimum: no file is made', async () => {
    const fs = new MemoryFileSystem();
    fs.reportFree = () => 1000;
    const r = record({ fs, minFreeBytes: 5000 });
    await r.feed(2000);
    await r.recorder.stop();
    expect(r.failed.map((e) => e.code)).toEqual(['DVR_DISK_FULL']);
    expect(fs.files.size).toBe(0);
    expect(r.opened).toEqual([]);
    expect(r.closed).toEqual([]);
  });

  it('a failed write (EIO) ends the recording at its last whole fragment with DVR_WRITE_FAILED', async () => {
    const fs = new MemoryFileSystem();
    let calls = 0;
    fs.failWrite = () =>
      ++calls === 3 ? Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' }) : undefined;
    const r = record({ fs });
    await r.feed(4000);
    await r.recorder.stop();
    expect(r.failed.map((e) => e.code)).toEqual(['DVR_WRITE_FAILED']);
    expect(r.closed[0].reason).toBe('DVR_WRITE_FAILED');
    expect(checkFmp4(r.fs.file(r.closed[0].file.file))).toEqual({ fragments: 1, videoSamples: 24 });
  });

  it('FLV: a full disk leaves whole tags only', async () => {
    const fs = new MemoryFileSystem();
    fs.capacity = 20_500;
    const r = record({ fs, format: 'flv' });
    await r.feed(3000);
    await r.recorder.stop();
    expect(r.failed.map((e) => e.code)).toEqual(['DVR_DISK_FULL']);
    const bytes = r.fs.file(r.closed[0].file.file);
    const walk = completeFlvBytes(bytes);
    expect(walk.bytes).toBe(bytes.length);
    expect(walk.tags).toBeGreaterThan(10);
    expect(r.closed[0].file.size).toBe(bytes.length);
  });

  it('a disk full before the first fragment leaves no header-only file behind', async () => {
    const fs = new MemoryFileSystem();
    fs.capacity = 2000;
    const r = record({ fs });
    await r.feed(2000);
    await r.recorder.stop();
    expect(r.failed.map((e) => e.code)).toEqual(['DVR_DISK_FULL']);
    expect(fs.files.size).toBe(0);
    expect(r.closed).toEqual([]);
    expect(r.lines.some((l) => l.msg === 'recording removed: nothing decodable was written')).toBe(true);
  });

  it('a folder that cannot be made fails with DVR_OPEN_FAILED naming the cause', async () => {
    const fs = new MemoryFileSystem();
    fs.failMkdir = (dir) => Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${dir}'`), { code: 'ENOTDIR' });
    const r = record({ fs });
    await r.feed(1000);
    await r.recorder.stop();
    expect(r.failed.map((e) => e.code)).toEqual(['DVR_OPEN_FAILED']);
    expect(r.failed[0].message).toMatch(/ENOTDIR/);
    expect(r.closed).toEqual([]);
  });

  it('anything thrown inside the recorder ends the recording with a typed, logged error, never reaching the stream', async () => {
    const real = new Fmp4ContainerWriter();
    let writes = 0;
    const broken: ContainerWriter = {
      extension: 'mp4',
      begin: (headers) => real.begin(headers),
      write: (shared) => {
        if (++writes === 60) throw new TypeError('a bug');
        return real.write(shared);
      },
      end: () => real.end(),
    };
    const r = record({ createWriter: () => broken });
    await expect(r.feed(4000)).resolves.toBeUndefined();
    await r.recorder.stop();
    expect(r.failed.map((e) => e.code)).toEqual(['DVR_INTERNAL']);
    expect(r.failed[0].message).toMatch(/a bug/);
    expect(r.lines.find((l) => l.msg === 'recording stopped')).toMatchObject({ code: 'DVR_INTERNAL' });
    expect(r.closed[0].reason).toBe('DVR_INTERNAL');
    const bytes = r.fs.file(r.closed[0].file.file);
    expect(r.closed[0].file.size).toBe(bytes.length);
    checkFmp4(bytes);
  });

  it('handlers that throw end the recording with DVR_INTERNAL; stop still resolves and the file is whole', async () => {
    const r = record({ throwingHandlers: true });
    await expect(r.feed(3000)).resolves.toBeUndefined();
    await expect(r.recorder.stop()).resolves.toBeUndefined();
    expect(r.failed.map((e) => e.code)).toEqual(['DVR_INTERNAL']);
    expect(r.failed[0].message).toMatch(/opened handler bug/);
    expect(r.closed).toHaveLength(1);
    checkFmp4(r.fs.file(r.closed[0].file.file));
  });

  it('a stream fMP4 cannot hold fails with DVR_NO_TRACKS', async () => {
    const r = record({
      createWriter: () => ({
        extension: 'mp4',
        begin: () => {
          throw new DvrError('DVR_NO_TRACKS', 'nothing to record');
        },
        write: () => Buffer.alloc(0),
        end: () => Buffer.alloc(0),
      }),
    });
    await r.feed(500);
    await r.recorder.stop();
    expect(r.failed.map((e) => e.code)).toEqual(['DVR_NO_TRACKS']);
  });

  it('segment plan: files cut at keyframes on the injected clock, every one whole', async () => {
    const r = record({ plan: 'segment' });
    await r.feed(7000);
    await r.recorder.stop();
    expect(r.closed.map((c) => [c.file.file, c.reason, c.file.durationMs])).toEqual([
      ['/rec/live/cam-0.mp4', 'segment', 3000],
      ['/rec/live/cam-3000.mp4', 'segment', 3000],
      ['/rec/live/cam-6000.mp4', 'stopped', 1000],
    ]);
    const samples = r.closed.map((c) => checkFmp4(r.fs.file(c.file.file)).videoSamples);
    expect(samples).toEqual([75, 75, 26]);
    for (const c of r.closed) expect(c.file.size).toBe(r.fs.file(c.file.file).length);
  });
});
