import { Fragment, useEffect, useState } from 'react';
import type { StreamDetail, StreamSummary } from '../../../app/contract';
import { useBackend } from '../backend-context';
import { CopyField } from '../components/copy-button';
import { LivePreview } from '../components/live-preview';
import { QrCode } from '../components/qr-code';
import { Sparkline } from '../components/sparkline';
import { SrtLinkRow } from '../components/srt-link-row';
import { StreamThumbnail } from '../components/stream-thumbnail';
import { bytes, duration, kbps } from '../format';
import { driftText, fpsText, healthSummary, healthWarnings, seconds } from '../health';
import { type StreamHistory, useTally } from '../store';

/** A stable empty list: a selector must not return a new array each render (zustand would loop). */
const NO_SAMPLES: number[] = [];

/** Live stream cards with previews; a card opens the stream's clients and play URLs. */
export function StreamsPage({ selected, onSelect }: { selected?: string; onSelect: (id?: string) => void }) {
  const streams = useTally((s) => s.streams);
  if (selected) return <StreamDetailView id={selected} onBack={() => onSelect(undefined)} />;
  return (
    <section className="page">
      <header className="page-header">
        <h1>Streams</h1>
      </header>
      {streams.length === 0 ? (
        <div className="card empty">No live streams yet. Start publishing from OBS (see "Connect OBS").</div>
      ) : (
        <div className="grid streams">
          {streams.map((s) => (
            <StreamCard key={s.id} stream={s} onOpen={() => onSelect(s.id)} />
          ))}
        </div>
      )}
    </section>
  );
}

export function StreamCard({ stream, onOpen }: { stream: StreamSummary; onOpen: () => void }) {
  const backend = useBackend();
  const [urls, setUrls] = useState<{ whep?: string; llHls?: string; flv?: string; hls?: string }>({});
  const bitrates = useTally((s) => s.bitrates[stream.id] ?? NO_SAMPLES);
  useEffect(() => {
    void backend.call('getStream', stream.id).then((detail) => {
      const find = (p: string) => detail?.playUrls.find((u) => u.protocol === p)?.url;
      setUrls({ whep: find('whep'), llHls: find('ll-hls'), flv: find('http-flv'), hls: find('hls') });
    });
  }, [backend, stream.id]);
  const v = stream.video;
  return (
    <article className="card stream-card" data-testid="stream-card" data-stream-path={stream.path}>
      {urls.flv ? (
        <LivePreview whepUrl={urls.whep} llHlsUrl={urls.llHls} flvUrl={urls.flv} hlsUrl={urls.hls} />
      ) : (
        <div className="preview" />
      )}
      <div className="stream-meta">
        <div className="row">
          {v && <StreamThumbnail id={stream.id} label={stream.path} />}
          <button type="button" className="link title" onClick={onOpen}>
            {stream.path}
          </button>
        </div>
        <div className="row">
          {stream.publishing ? (
            <span className="live-badge">● LIVE</span>
          ) : (
            <span className="wait-badge">◌ Waiting for the publisher</span>
          )}
          {stream.recording?.recording && (
            <span className="rec-label">
              <span className="rec-dot" /> REC
            </span>
          )}
        </div>
        <div className="tags">
          <span className="tag">{v ? `${v.codec} ${v.width}×${v.height}` : 'audio only'}</span>
          {v?.fps && <span className="tag">{v.fps} fps</span>}
          {stream.audio && <span className="tag">{stream.audio.codec}</span>}
        </div>
        <dl className="stats">
          <div>
            <dt>Bitrate</dt>
            <dd>{kbps(stream.inKbps)}</dd>
          </div>
          <div>
            <dt>Viewers</dt>
            <dd>{stream.readers}</dd>
          </div>
          <div>
            <dt>Uptime</dt>
            <dd>{duration(stream.uptimeMs)}</dd>
          </div>
        </dl>
        <p className="health-line" data-testid="stream-health">
          {healthSummary(stream)}
        </p>
        <Sparkline values={bitrates} width={240} height={32} label="Bitrate over the last 30 seconds" />
      </div>
    </article>
  );
}

function StreamDetailView({ id, onBack }: { id: string; onBack: () => void }) {
  const backend = useBackend();
  const [detail, setDetail] = useState<StreamDetail | null>();
  // The summary the server pushes every second is fresher than the 2 s detail poll.
  const live = useTally((s) => s.streams.find((x) => x.id === id));
  const history = useTally((s) => s.history[id]);
  useEffect(() => {
    let live = true;
    const load = () => void backend.call('getStream', id).then((d) => live && setDetail(d));
    load();
    const timer = setInterval(load, 2000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [backend, id]);
  if (detail === null) {
    return (
      <section className="page">
        <button type="button" className="button" onClick={onBack}>
          ← Streams
        </button>
        <div className="card empty">This stream has ended.</div>
      </section>
    );
  }
  if (!detail) return <section className="page" />;
  const flv = detail.playUrls.find((u) => u.protocol === 'http-flv')?.url;
  const hls = detail.playUrls.find((u) => u.protocol === 'hls')?.url;
  const whep = detail.playUrls.find((u) => u.protocol === 'whep')?.url;
  const llHls = detail.playUrls.find((u) => u.protocol === 'll-hls')?.url;
  return (
    <section className="page">
      <header className="page-header">
        <button type="button" className="button" onClick={onBack}>
          ← Streams
        </button>
        <h1>{detail.path}</h1>
      </header>
      <div className="grid two">
        <div className="stack">
          <div className="card">
            <LivePreview whepUrl={whep} llHlsUrl={llHls} flvUrl={flv} hlsUrl={hls} />
          </div>
          <HealthPanel stream={live ?? detail} history={history} />
        </div>
        <div className="card">
          <h2>Play URLs</h2>
          {detail.playUrls.map((u) => (
            <CopyField
              key={u.protocol}
              label={u.label}
              value={u.url}
              copyLabel={`Copy ${u.label} URL`}
              testId={`play-url-${u.protocol}`}
            />
          ))}
          {detail.publishUrls.length > 0 && <h3>Publish URLs</h3>}
          {detail.publishUrls.map((u) => (
            <CopyField
              key={u.protocol}
              label={u.label}
              value={u.url}
              copyLabel={`Copy ${u.label} publish URL`}
              testId={`publish-url-${u.protocol}`}
            />
          ))}
          {hls && (
            <div className="qr-box">
              <QrCode text={hls} label="QR code of the HLS URL for phones" />
              <span className="muted">Scan to watch on a phone on this network (HLS).</span>
            </div>
          )}
        </div>
      </div>
      <div className="card">
        <h2>Clients</h2>
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>Context id</th>
                <th>Role</th>
                <th>Protocol</th>
                <th>Address</th>
                <th>Connected</th>
                <th>Bytes</th>
                <th>Dropped</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {detail.clients.map((c) => (
                <Fragment key={c.cid}>
                  <tr data-testid="client-row" data-cid={c.cid}>
                    <td>
                      <code>{c.cid}</code>
                    </td>
                    <td>{c.preview ? 'preview (this app)' : c.kind === 'play' ? 'viewer' : 'publisher'}</td>
                    <td>{c.protocol}</td>
                    <td>{c.ip}</td>
                    <td className="num">{duration(c.aliveMs)}</td>
                    <td className="num">{bytes(c.kind === 'play' ? c.bytesSent : c.bytesReceived)}</td>
                    <td className="num">{c.framesDropped}</td>
                    <td>
                      <button
                        type="button"
                        className="button small danger"
                        aria-label={`Kick ${c.cid}`}
                        onClick={() => void backend.call('kickClient', c.cid)}
                      >
                        Kick
                      </button>
                    </td>
                  </tr>
                  {c.srt && <SrtLinkRow cid={c.cid} link={c.srt} columns={8} />}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}

const CHART = { width: 140, height: 30 };

/** The stream's health as numbers with a ~60 s chart each, and what to fix in plain words. */
function HealthPanel({ stream, history }: { stream: StreamSummary; history?: StreamHistory }) {
  const h = stream.health;
  const warnings = healthWarnings(stream);
  const viewers = Object.entries(h.viewersByProtocol);
  const metric = (id: string, label: string, value: string, values?: number[], chartLabel?: string) => (
    <div className="metric" data-testid={`health-${id}`}>
      <dt>{label}</dt>
      <dd>{value}</dd>
      {values && chartLabel && (
        <Sparkline values={values} width={CHART.width} height={CHART.height} label={chartLabel} />
      )}
    </div>
  );
  return (
    <div className="card" data-testid="stream-health-panel">
      <h2>Health</h2>
      {warnings.length === 0 ? (
        <p className="ok-line">✓ No problems found.</p>
      ) : (
        <ul className="warnings" aria-label="Problems">
          {warnings.map((w) => (
            <li key={w.id} className="warning" data-testid="health-warning" data-warning={w.id}>
              ⚠ {w.text}
            </li>
          ))}
        </ul>
      )}
      <dl className="metrics">
        {metric('fps', 'Frame rate (measured)', fpsText(h.fps), history?.fps, 'Frame rate over the last minute')}
        {metric('bitrate', 'Bitrate in', kbps(stream.inKbps), history?.kbps, 'Bitrate over the last minute')}
        {metric(
          'gop',
          'Keyframe interval',
          h.gopMs === null ? '–' : `${seconds(h.gopMs)}${h.gopFrames ? ` (${h.gopFrames} frames)` : ''}`,
          history?.gopS,
          'Keyframe interval over the last minute',
        )}
        {metric('bframes', 'B-frames', h.bFrames ? 'Yes (pts ≠ dts)' : 'None seen')}
        {metric(
          'drift',
          'A/V drift (audio − video)',
          driftText(h.avDriftMs),
          history?.driftMs,
          'Audio/video drift over the last minute',
        )}
        {metric(
          'dropped',
          'Frames dropped (slow viewers)',
          String(h.framesDropped),
          history?.dropped,
          'Frames dropped each second over the last minute',
        )}
        {metric('viewers', 'Viewers', viewers.length === 0 ? '0' : viewers.map(([p, n]) => `${n} ${p}`).join(', '))}
      </dl>
    </div>
  );
}
