import { Writable } from 'node:stream';

export interface LogEntry {
  time: number;
  level: string;
  cid?: string;
  msg: string;
  /** The whole line as pino wrote it. */
  fields: Record<string, unknown>;
}

export interface LogQuery {
  cid?: string;
  /** Epoch ms: only entries at or after this time. */
  since?: number;
  /** Least severe level to return. */
  level?: string;
  limit?: number;
}

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/**
 * The last N log lines in memory, searchable by context id, so the API and the UI can show one client's story.
 * It is a pino destination: it receives the same JSON lines as stdout.
 */
export class LogRing extends Writable {
  private readonly entries: LogEntry[] = [];
  private readonly tails = new Set<(entry: LogEntry) => void>();
  private partial = '';

  constructor(private readonly capacity = 5000) {
    super({ decodeStrings: false });
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    const text = this.partial + chunk.toString();
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) if (line) this.add(line);
    callback();
  }

  query(q: LogQuery = {}): LogEntry[] {
    const minLevel = q.level ? LEVELS.indexOf(q.level) : 0;
    const limit = q.limit ?? 500;
    const out: LogEntry[] = [];
    for (let i = this.entries.length - 1; i >= 0 && out.length < limit; i--) {
      const e = this.entries[i];
      if (q.since !== undefined && e.time < q.since) break;
      if (q.cid && e.cid !== q.cid) continue;
      if (LEVELS.indexOf(e.level) < minLevel) continue;
      out.push(e);
    }
    return out.reverse();
  }

  /** Live tail; returns the teardown. */
  onEntry(listener: (entry: LogEntry) => void): () => void {
    this.tails.add(listener);
    return () => this.tails.delete(listener);
  }

  private add(line: string): void {
    let fields: Record<string, unknown>;
    try {
      fields = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    const time = typeof fields.time === 'string' ? Date.parse(fields.time) : Number(fields.time ?? Date.now());
    const entry: LogEntry = {
      time,
      level: String(fields.level ?? 'info'),
      cid: typeof fields.cid === 'string' ? fields.cid : undefined,
      msg: String(fields.msg ?? ''),
      fields,
    };
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    for (const listener of this.tails) listener(entry);
  }
}
