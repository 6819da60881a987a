/** Exponential backoff: the wait before reconnect `attempt` (0-based), doubling from `initialMs` up to `maxMs`. */
export function retryDelayMs(attempt: number, initialMs: number, maxMs: number): number {
  const doubled = initialMs * 2 ** Math.min(Math.max(attempt, 0), 30);
  return Math.min(doubled, maxMs);
}
