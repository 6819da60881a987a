import { useEffect, useState } from 'react';
import type { PushInfo, StreamSummary } from '../../../app/contract';
import { useBackend } from '../backend-context';
import { CopyField } from '../components/copy-button';
import { Sparkline } from '../components/sparkline';
import { kbps } from '../format';
import { useTally } from '../store';
import { StreamCard } from './streams';

/**
 * The dashboard: a first-run guide that turns into "OBS is live" the moment a publisher arrives, the live streams
 * with previews and health, the server's state and its health as small live charts.
 */
export function HomePage() {
  const backend = useBackend();
  const status = useTally((s) => s.status);
  const health = useTally((s) => s.health);
  const streams = useTally((s) => s.streams);
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
        <h1>Dashboard</h1>
      </header>
      {running && <Guide streams={streams} />}
      {streams.length > 0 && (
        <div className="grid streams">
          {streams.map((s) => (
            <StreamCard key={s.id} stream={s} onOpen={() => (location.hash = `/streams/${s.id}`)} />
          ))}
        </div>
      )}
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
          <div className={`state state-${status?.state ?? 'stopped'}`}>
            {running ? '● Server running' : `○ Server ${status?.state ?? 'connecting'}`}
          </div>
          {status?.error && (
            <p className="error" role="alert">
              {status.error}
            </p>
          )}
          <p className="muted">
            {running
              ? `OBS connects on port ${status?.ports.rtmp}, players watch on port ${status?.ports.http}. ${latest ? `${latest.streams} stream${latest.streams === 1 ? '' : 's'}, ${latest.clients} connection${latest.clients === 1 ? '' : 's'}.` : ''}`
              : 'Start the server, then connect OBS.'}
          </p>
          {status && status.lanAddresses.length > 0 && (
            <p className="muted">
              This machine on the network:{' '}
              {status.lanAddresses.map((a) => (
                <code key={a} className="address">
                  {a}
                </code>
              ))}
            </p>
          )}
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
    </section>
  );
}

/** Three steps until a publisher arrives; then which stream OBS is live on (or that it is waited for). */
function Guide({ streams }: { streams: StreamSummary[] }) {
  const backend = useBackend();
  const status = useTally((s) => s.status);
  const [info, setInfo] = useState<PushInfo>();
  // biome-ignore lint/correctness/useExhaustiveDependencies: the URLs change when the server restarts on another port.
  useEffect(() => {
    void backend.call('getPushInfo', 'live', 'livestream').then(setInfo);
  }, [backend, status?.ports.rtmp]);

  const live = streams.filter((s) => s.publishing);
  const waiting = streams.filter((s) => !s.publishing);
  if (live.length > 0 || waiting.length > 0) {
    return (
      <div className="card guide done" data-testid="first-run-guide" data-state={live.length > 0 ? 'live' : 'waiting'}>
        {live.map((s) => (
          <p key={s.id} className="guide-live" role="status">
            <span className="live-badge">● LIVE</span> OBS is live on{' '}
            <strong>
              {s.app}/{s.name}
            </strong>
          </p>
        ))}
        {waiting.map((s) => (
          <p key={s.id} className="guide-waiting" role="status">
            <span className="wait-badge">◌ WAITING</span> {s.app}/{s.name}: the publisher disconnected; players stay
            connected while OBS comes back.
          </p>
        ))}
      </div>
    );
  }
  return (
    <div className="card guide" data-testid="first-run-guide" data-state="setup">
      <h2>Go live in three steps</h2>
      <ol className="steps">
        <li>
          <strong>Copy the server and the key into OBS</strong>: Settings → Stream, Service "Custom…".
          {info && (
            <div className="guide-fields">
              <CopyField label="Server" value={info.obs.server} copyLabel="Copy server URL" />
              <CopyField label="Stream Key" value={info.obs.streamKey} copyLabel="Copy stream key" />
            </div>
          )}
          <a href="#/connect">More ways to connect…</a>
        </li>
        <li>
          <strong>Press "Start Streaming" in OBS.</strong>
        </li>
        <li>
          <strong>See it here:</strong> <span className="muted">waiting for OBS to connect…</span>
        </li>
      </ol>
    </div>
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
