import { useEffect, useState } from 'react';
import { useBackend } from '../backend-context';
import { time } from '../format';
import { useTally } from '../store';

const LEVELS = ['debug', 'info', 'warn', 'error'];
const RANK: Record<string, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, fatal: 5 };

/** Live tail of the server log, filtered by level and by context id (click an id to follow one client). */
export function LogsPage() {
  const backend = useBackend();
  const logs = useTally((s) => s.logs);
  const setLogs = useTally((s) => s.setLogs);
  const [level, setLevel] = useState('info');
  const [cid, setCid] = useState('');

  useEffect(() => {
    void backend.call('getLogs', { limit: 500 }).then(setLogs);
  }, [backend, setLogs]);

  const shown = logs.filter((l) => (RANK[l.level] ?? 2) >= (RANK[level] ?? 2) && (!cid || l.cid === cid)).slice(-500);
  return (
    <section className="page">
      <header className="page-header">
        <h1>Logs</h1>
        <div className="row">
          <label className="field inline">
            <span>Level</span>
            <select name="level" value={level} onChange={(e) => setLevel(e.target.value)}>
              {LEVELS.map((l) => (
                <option key={l}>{l}</option>
              ))}
            </select>
          </label>
          <label className="field inline">
            <span>Context id</span>
            <input name="cid" value={cid} placeholder="all" onChange={(e) => setCid(e.target.value.trim())} />
          </label>
        </div>
      </header>
      <div className="card log-view" role="log" aria-live="polite">
        {shown.map((l, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: log lines have no id; the list is append-only.
          <div key={`${l.time}-${i}`} className={`log-line level-${l.level}`}>
            <span className="log-time num">{time(l.time)}</span>
            <span className="log-level">{l.level}</span>
            {l.cid ? (
              <button type="button" className="link cid" onClick={() => setCid(l.cid ?? '')}>
                {l.cid}
              </button>
            ) : (
              <span className="cid" />
            )}
            <span className="log-msg">{l.msg}</span>
          </div>
        ))}
        {shown.length === 0 && <p className="muted">Nothing logged yet at this level.</p>}
      </div>
    </section>
  );
}
