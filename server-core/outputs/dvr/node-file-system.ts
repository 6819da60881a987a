import { mkdir, open, rm, statfs } from 'node:fs/promises';
import type { DvrFileHandle, DvrFileSystem } from './dvr-file-system.js';

/** The real file system (node:fs/promises). */
export const nodeFileSystem: DvrFileSystem = {
  async mkdir(dir) {
    await mkdir(dir, { recursive: true });
  },
  async createExclusive(path): Promise<DvrFileHandle> {
    const handle = await open(path, 'wx');
    return {
      write: async (bytes, offset, length, position) =>
        (await handle.write(bytes, offset, length, position)).bytesWritten,
      truncate: (size) => handle.truncate(size),
      size: async () => (await handle.stat()).size,
      close: () => handle.close(),
    };
  },
  async freeBytes(dir) {
    try {
      const s = await statfs(dir);
      return s.bavail * s.bsize;
    } catch {
      return undefined; // Creating or writing the file reports real problems.
    }
  },
  async remove(path) {
    await rm(path, { force: true });
  },
};
