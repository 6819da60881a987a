/** An open file the DVR appends to. Positional writes: a retried short write never depends on a file offset. */
export interface DvrFileHandle {
  /** Writes `bytes[offset, offset + length)` at `position`; resolves to how many bytes went out (may be fewer). */
  write(bytes: Buffer, offset: number, length: number, position: number): Promise<number>;
  truncate(size: number): Promise<void>;
  /** The file's size on disk now. */
  size(): Promise<number>;
  close(): Promise<void>;
}

/**
 * The file system as the DVR sees it, injected so tests can simulate a full disk (ENOSPC after a short write),
 * low free space or failing writes. `nodeFileSystem` (node-file-system.ts) is the real one.
 */
export interface DvrFileSystem {
  /** Creates a folder and its parents; fine when it exists. */
  mkdir(dir: string): Promise<void>;
  /** Creates a new file for writing; rejects with an error whose `code` is EEXIST when the name is taken. */
  createExclusive(path: string): Promise<DvrFileHandle>;
  /** Bytes this process may still write in the file system holding `dir`; undefined when that is unknown. */
  freeBytes(dir: string): Promise<number | undefined>;
  remove(path: string): Promise<void>;
}
