import { useBackend } from '../backend-context';
import { Sparkline } from '../components/sparkline';
import { kbps } from '../format';
import { useTally } from '../store';

/** Start/Stop, server health as small live charts, and the addresses OBS and phones can reach. */
export function HomePage() {
  const backend = useBackend();
  const status = useTally((s) => s.status);
  const health = useTally((s) => s.health);
  const setStatus = useTally((s) => s.setStatus);
  const latest = health[health.length - 1];
  const running = status?.state === 'running';
  const busy = status?.state === 'starting' || status?.state === 'stopping';

  const toggle = async () => {
    setStatus(await (running ? backend.call('stopServer') : backend.call('startServer')));
  };

  return (
    <section className="page">
      <header className="page-header">
        <h1>Home</h1>
      </header>
      <div className="card hero">
        <button
          type="button"
          className={`big-button ${running ? 'stop' : 'start'}`}
          disabled={busy}
          onClick={() => void toggle()}
        >
          {busy ? `${status?.state}…` : running ? 'Stop server' : 'Start server'}
        </button>
        <div className="hero-text">
          <div className={`state state-${status?.state ?? 'stopped'}`}>{status?.state ?? 'connecting'}</div>
          {status?.error && (
            <p className="error" role="alert">
              {status.error}
            </p>
          )}
          <p className="muted">
            {running
              ? `RTMP on port ${status?.ports.rtmp}, players on port ${status?.ports.http}.`
              : 'Start the server, then connect OBS from the "Connect OBS" page.'}
          </p>
        </div>
      </div>
      <div className="grid health">
        <HealthCard
          title="CPU (Tally)"
          value={`${(latest?.cpuPercent ?? 0).toFixed(1)} %`}
          values={health.map((h) => h.cpuPercent)}
        />
        <HealthCard title="Memory" value={`${latest?.memoryMb ?? 0} MB`} values={health.map((h) => h.memoryMb)} />
        <HealthCard title="Bandwidth in" value={kbps(latest?.inKbps ?? 0)} values={health.map((h) => h.inKbps)} />
        <HealthCard title="Bandwidth out" value={kbps(latest?.outKbps ?? 0)} values={health.map((h) => h.outKbps)} />
      </div>
      <div className="card">
        <h2>This machine on the network</h2>
        <ul className="addresses">
          {(status?.lanAddresses ?? []).map((a) => (
            <li key={a}>
              <code>{a}</code>
            </li>
          ))}
        </ul>
        <p className="muted">
          {latest
            ? `${latest.streams} live stream${latest.streams === 1 ? '' : 's'}, ${latest.clients} connection${latest.clients === 1 ? '' : 's'}.`
            : ''}
        </p>
      </div>
    </section>
  );
}

function HealthCard({ title, value, values }: { title: string; value: string; values: number[] }) {
  return (
    <div className="card metric">
      <div className="metric-title">{title}</div>
      <div className="metric-value">{value}</div>
      <Sparkline values={values} label={`${title} over the last minute`} />
    </div>
  );
}
