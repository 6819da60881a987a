import { type DestinationStream, type Logger, pino } from 'pino';
import type { LogRing } from './log-ring.js';
import { RotatingFile } from './rotating-file.js';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level: string;
  /** Where lines go; stdout when absent. Tests and the desktop app pass their own. */
  destination?: DestinationStream;
  /** Also write to this file, rotated by size. */
  file?: { path: string; maxBytes: number; keep: number };
  /** In-memory ring the API and UI search by context id. */
  ring?: LogRing;
}

/**
 * The root logger. Every connection logs through `logger.child({ cid })` so one session can be followed
 * through the log by its context id.
 */
export function createLogger(options: LoggerOptions): Logger {
  const streams: { stream: DestinationStream | NodeJS.WritableStream; level: pino.Level }[] = [];
  const level = (options.level === 'silent' ? 'fatal' : options.level) as pino.Level;
  streams.push({ stream: options.destination ?? pino.destination({ dest: 1, sync: false }), level });
  if (options.file) streams.push({ stream: new RotatingFile(options.file), level });
  if (options.ring) streams.push({ stream: options.ring, level });
  return pino(
    {
      level: options.level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    pino.multistream(streams),
  );
}
