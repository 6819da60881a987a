/**
 * Typed errors of the DVR. Codes are stable: the logs and the API report them as they are.
 *
 * - DVR_DISK_FULL: free space fell below the configured minimum, or a write hit ENOSPC / EDQUOT.
 * - DVR_OPEN_FAILED: the file or its folder could not be created.
 * - DVR_WRITE_FAILED: a write, truncate or close failed for another reason (EIO, EBADF, ...).
 * - DVR_NO_TRACKS: the stream has nothing the chosen container can hold.
 * - DVR_INTERNAL: anything else thrown inside the recorder (a bug); the recording ends, the stream goes on.
 */
export type DvrErrorCode =
  | 'DVR_DISK_FULL'
  | 'DVR_OPEN_FAILED'
  | 'DVR_WRITE_FAILED'
  | 'DVR_NO_TRACKS'
  | 'DVR_INTERNAL'
  | 'DVR_TOO_MANY';

export class DvrError extends Error {
  constructor(
    readonly code: DvrErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DvrError';
  }

  /** Wraps anything thrown into a DvrError (kept as is when it already is one). */
  static from(error: unknown, code: DvrErrorCode, context: string): DvrError {
    if (error instanceof DvrError) return error;
    const errno = (error as NodeJS.ErrnoException | undefined)?.code;
    const actual = errno === 'ENOSPC' || errno === 'EDQUOT' ? 'DVR_DISK_FULL' : code;
    const message = error instanceof Error ? error.message : String(error);
    return new DvrError(actual, `${context}: ${message}`, { cause: error });
  }
}
