/** More uncaught errors than this within the window means the process is failing, not unlucky: it exits. */
export const LAST_RESORT_MAX_ERRORS = 20;
export const LAST_RESORT_WINDOW_MS = 60_000;

export interface LastResortOptions {
  /** Logs and counts one error that reached the process. */
  report: (error: Error, origin: 'uncaughtException' | 'unhandledRejection') => void;
  /** Called when errors keep coming (defaults to exiting with status 70). */
  giveUp?: () => void;
  now?: () => number;
}

/**
 * The process-level last resort. Every per-stream consumer already has its own fault boundary; an error that
 * still reaches the process (a bug in a callback no boundary wraps) is logged and the server keeps serving
 * the other streams. A burst of them exits, so a supervisor can restart a process that is truly broken.
 * Returns the teardown.
 */
export function installLastResortHandler(options: LastResortOptions): () => void {
  const now = options.now ?? Date.now;
  const giveUp = options.giveUp ?? (() => process.exit(70));
  let recent: number[] = [];
  const handle = (origin: 'uncaughtException' | 'unhandledRejection') => (value: unknown) => {
    const error = value instanceof Error ? value : new Error(String(value));
    options.report(error, origin);
    const t = now();
    recent = recent.filter((at) => t - at < LAST_RESORT_WINDOW_MS);
    recent.push(t);
    if (recent.length > LAST_RESORT_MAX_ERRORS) giveUp();
  };
  const onException = handle('uncaughtException');
  const onRejection = handle('unhandledRejection');
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
