import { useEffect, useState } from 'react';
import type { StreamSummary } from '../../../app/contract';
import { useBackend } from '../backend-context';
import { LivePreview } from '../components/live-preview';
import { kbps } from '../format';
import { fpsText, healthSummary, healthWarnings } from '../health';
import { useTally } from '../store';

/** Every live stream at once: its preview (not counted as a viewer) and its health line. */
export function MultiviewPage({ onOpen }: { onOpen: (id: string) => void }) {
  const streams = useTally((s) => s.streams);
  // A stable order, so tiles do not swap places as updates arrive.
  const sorted = [...streams].sort((a, b) => a.path.localeCompare(b.path));
  return (
    <section className="page">
      <header className="page-header">
        <h1>Multiview</h1>
        <span className="muted">
          {streams.length} {streams.length === 1 ? 'stream' : 'streams'}
        </span>
      </header>
      {streams.length === 0 ? (
        <div className="card empty">No live streams yet. Start publishing from OBS (see "Connect OBS").</div>
      ) : (
        <ul className="grid multiview" aria-label="Live streams">
          {sorted.map((s) => (
            <Tile key={s.id} stream={s} onOpen={() => onOpen(s.id)} />
          ))}
        </ul>
      )}
    </section>
  );
}

function Tile({ stream, onOpen }: { stream: StreamSummary; onOpen: () => void }) {
  const backend = useBackend();
  const [urls, setUrls] = useState<{ whep?: string; llHls?: string; flv?: string; hls?: string }>({});
  useEffect(() => {
    void backend.call('getStream', stream.id).then((detail) => {
      const find = (p: string) => detail?.playUrls.find((u) => u.protocol === p)?.url;
      setUrls({ whep: find('whep'), llHls: find('ll-hls'), flv: find('http-flv'), hls: find('hls') });
    });
  }, [backend, stream.id]);
  const h = stream.health;
  const warned = healthWarnings(stream).length > 0;
  return (
    <li className="card tile" data-testid="multiview-tile" data-stream-path={stream.path}>
      {urls.flv ? (
        <LivePreview whepUrl={urls.whep} llHlsUrl={urls.llHls} flvUrl={urls.flv} hlsUrl={urls.hls} />
      ) : (
        <div className="preview" />
      )}
      <div className="tile-meta">
        <button
          type="button"
          className="link title"
          onClick={onOpen}
          aria-label={`${stream.path}: open health and clients`}
        >
          {stream.path}
        </button>
        <span className="tile-numbers">
          {stream.publishing ? (
            <span className="live-badge">● LIVE</span>
          ) : (
            <span className="wait-badge">◌ Waiting for the publisher</span>
          )}{' '}
          {fpsText(h.fps)} · {kbps(stream.inKbps)} · {stream.readers} {stream.readers === 1 ? 'viewer' : 'viewers'}
        </span>
        <p className={`health-line ${warned ? 'warn-text' : 'ok'}`} data-testid="tile-health">
          {healthSummary(stream)}
        </p>
      </div>
    </li>
  );
}
