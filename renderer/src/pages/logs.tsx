import { useEffect, useState } from 'react';
import type { LogLine } from '../../../app/contract';
import { useBackend } from '../backend-context';
import { CopyButton } from '../components/copy-button';
import { dateTime } from '../format';
import { useTally } from '../store';

const LEVELS = ['debug', 'info', 'warn', 'error'];
const RANK: Record<string, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, fatal: 5 };
const SHOWN = 500;

const field = (line: LogLine, name: string): string | undefined => {
  const v = line.fields[name];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
};

/** One line as text, for the clipboard and bug reports. */
function lineText(l: LogLine): string {
  const extra = Object.entries(l.fields)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${dateTime(l.time)} ${l.level.toUpperCase()} ${l.cid ?? '-'} ${l.msg}${extra ? ` ${extra}` : ''}`;
}

/**
 * The server log, newest first: follow mode shows lines as they come (off: the list holds still), filters by
 * level, stream and context id (click an id or a stream to follow it), and a copy button per line.
 */
export function LogsPage() {
  const backend = useBackend();
  const logs = useTally((s) => s.logs);
  const setLogs = useTally((s) => s.setLogs);
  const [level, setLevel] = useState('info');
  const [cid, setCid] = useState('');
  const [stream, setStream] = useState('');
  const [follow, setFollow] = useState(true);
  const [frozen, setFrozen] = useState<LogLine[]>();

  useEffect(() => {
    void backend.call('getLogs', { limit: 1000 }).then(setLogs);
  }, [backend, setLogs]);

  const source = follow ? logs : (frozen ?? logs);
  // A connection's later lines (play ended…) name the stream and peer its first lines did: carry them by cid.
  const known = new Map<string, { stream?: string; peer?: string }>();
  for (const l of logs) {
    if (!l.cid) continue;
    const seen = known.get(l.cid) ?? {};
    const path = field(l, 'stream')?.startsWith('/') ? field(l, 'stream') : undefined;
    known.set(l.cid, { stream: seen.stream ?? path, peer: seen.peer ?? field(l, 'peer') });
  }
  // Some lines name only the stream (`ui`), others its path (`/live/ui`): show and filter by the path.
  const streamOf = (l: LogLine) => {
    const own = field(l, 'stream');
    if (own?.startsWith('/')) return own;
    return (l.cid ? known.get(l.cid)?.stream : undefined) ?? own;
  };
  const peerOf = (l: LogLine) => field(l, 'peer') ?? (l.cid ? known.get(l.cid)?.peer : undefined);
  const streams = [...new Set(logs.flatMap((l) => (field(l, 'stream') ? [field(l, 'stream') as string] : [])))].sort();
  const shown = source
    .filter(
      (l) =>
        (RANK[l.level] ?? 2) >= (RANK[level] ?? 2) && (!cid || l.cid === cid) && (!stream || streamOf(l) === stream),
    )
    .slice(-SHOWN)
    .reverse();

  return (
    <section className="page">
      <header className="page-header">
        <h1>Logs</h1>
        <label className="field inline follow">
          <input
            type="checkbox"
            name="follow"
            checked={follow}
            onChange={(e) => {
              setFollow(e.target.checked);
              setFrozen(e.target.checked ? undefined : logs);
            }}
          />
          <span>{follow ? 'Following new lines' : 'Paused (new lines held back)'}</span>
        </label>
      </header>
      <div className="row filters">
        <label className="field inline">
          <span>Level</span>
          <select name="level" value={level} onChange={(e) => setLevel(e.target.value)}>
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                {l} and above
              </option>
            ))}
          </select>
        </label>
        <label className="field inline">
          <span>Stream</span>
          <select name="stream" value={stream} onChange={(e) => setStream(e.target.value)}>
            <option value="">All streams</option>
            {streams.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label className="field inline">
          <span>Context id</span>
          <input name="cid" value={cid} placeholder="all" size={10} onChange={(e) => setCid(e.target.value.trim())} />
        </label>
        {(cid || stream) && (
          <button
            type="button"
            className="button small"
            onClick={() => {
              setCid('');
              setStream('');
            }}
          >
            Clear filters
          </button>
        )}
      </div>
      <div className="card log-view" role="log" aria-live={follow ? 'polite' : 'off'} data-testid="log-view">
        {shown.map((l, i) => {
          const s = streamOf(l);
          const peer = peerOf(l);
          return (
            <div
              // biome-ignore lint/suspicious/noArrayIndexKey: log lines have no id.
              key={`${l.time}-${i}`}
              className={`log-line level-${l.level}`}
              data-time={l.time}
              data-stream={s}
            >
              <span className="log-time num">{dateTime(l.time)}</span>
              <span className="log-level">{l.level.toUpperCase()}</span>
              {l.cid ? (
                <button
                  type="button"
                  className="link cid"
                  title="Show only this connection"
                  onClick={() => setCid(l.cid ?? '')}
                >
                  {l.cid}
                </button>
              ) : (
                <span className="cid">–</span>
              )}
              <span className="log-msg">
                {l.msg}
                {s && (
                  <button
                    type="button"
                    className="link log-stream"
                    title="Show only this stream"
                    onClick={() => setStream(s)}
                  >
                    {s}
                  </button>
                )}
                {peer && <span className="log-peer">from {peer}</span>}
              </span>
              <CopyButton text={lineText(l)} label={`Copy log line ${dateTime(l.time)} ${l.msg}`} />
            </div>
          );
        })}
        {shown.length === 0 && <p className="muted">Nothing logged yet with these filters.</p>}
      </div>
    </section>
  );
}
