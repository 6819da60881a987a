import { describe, expect, it } from 'vitest';
import { AppendFile } from './append-file.js';
import type { DvrError } from './dvr-error.js';
import { MemoryFileSystem } from './memory-file-system.js';

const unit = (n: number, fill: number) => Buffer.alloc(n, fill);

function open(fs: MemoryFileSystem, path = '/rec/a.mp4', minFreeBytes = 0) {
  const errors: DvrError[] = [];
  const file = new AppendFile({ fs, path, minFreeBytes, onError: (e) => errors.push(e) });
  return { file, errors };
}

describe('AppendFile', () => {
  it('continues short writes until each unit is on disk, in order', async () => {
    const fs = new MemoryFileSystem();
    fs.maxWriteBytes = 7;
    const { file, errors } = open(fs);
    file.append(unit(20, 1));
    file.append(unit(5, 2));
    await file.close();
    expect(errors).toEqual([]);
    expect(fs.file('/rec/a.mp4')).toEqual(Buffer.concat([unit(20, 1), unit(5, 2)]));
    expect(fs.writes.map((w) => [w.position, w.written])).toEqual([
      [0, 7],
      [7, 7],
      [14, 6],
      [20, 5],
    ]);
    expect(file.size).toBe(25);
    expect(file.units).toBe(2);
  });

  it('never overwrites: a taken name gets -1, -2', async () => {
    const fs = new MemoryFileSystem();
    fs.files.set('/rec/a.mp4', unit(3, 9));
    fs.files.set('/rec/a-1.mp4', unit(3, 9));
    const { file } = open(fs);
    expect(await file.opened).toBe('/rec/a-2.mp4');
    file.append(unit(4, 1));
    await file.close();
    expect(file.currentPath).toBe('/rec/a-2.mp4');
    expect(fs.file('/rec/a.mp4')).toEqual(unit(3, 9));
    expect(fs.file('/rec/a-2.mp4')).toEqual(unit(4, 1));
  });

  it('cuts a unit that hit ENOSPC part-way back off, reports DVR_DISK_FULL once and writes nothing more', async () => {
    const fs = new MemoryFileSystem();
    fs.capacity = 30;
    const { file, errors } = open(fs);
    file.append(unit(20, 1));
    file.append(unit(20, 2));
    file.append(unit(5, 3));
    await file.close();
    expect(errors.map((e) => e.code)).toEqual(['DVR_DISK_FULL']);
    expect(fs.file('/rec/a.mp4')).toEqual(unit(20, 1));
    expect(file.size).toBe(20);
    expect(file.units).toBe(1);
    expect(fs.writes.map((w) => w.written)).toEqual([20, 10]);
  });

  it('checks the free space before each unit, counting the unit itself', async () => {
    const fs = new MemoryFileSystem();
    fs.reportFree = () => 100 - fs.used;
    const { file, errors } = open(fs, '/rec/a.mp4', 50);
    file.append(unit(30, 1));
    file.append(unit(30, 2));
    await file.close();
    expect(errors.map((e) => e.code)).toEqual(['DVR_DISK_FULL']);
    expect(fs.file('/rec/a.mp4')).toEqual(unit(30, 1));
    expect(fs.freeChecks).toBe(3);
  });

  it('reports what is on disk even when a cut back failed', async () => {
    const fs = new MemoryFileSystem();
    fs.capacity = 30;
    const create = fs.createExclusive.bind(fs);
    fs.createExclusive = async (path) => {
      const handle = await create(path);
      return { ...handle, truncate: async () => Promise.reject(new Error('EIO: i/o error, ftruncate')) };
    };
    const { file, errors } = open(fs);
    file.append(unit(20, 1));
    file.append(unit(20, 2));
    await file.close();
    expect(errors[0].code).toBe('DVR_DISK_FULL');
    expect(errors[0].message).toMatch(/truncating back to 20 bytes failed too/);
    expect(file.size).toBe(30);
  });
});
