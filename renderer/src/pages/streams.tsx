import { useEffect, useState } from 'react';
import type { StreamDetail, StreamSummary } from '../../../app/contract';
import { useBackend } from '../backend-context';
import { CopyField } from '../components/copy-button';
import { LivePreview } from '../components/live-preview';
import { QrCode } from '../components/qr-code';
import { Sparkline } from '../components/sparkline';
import { bytes, duration, kbps } from '../format';
import { useTally } from '../store';

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
  const [urls, setUrls] = useState<{ flv?: string; hls?: string }>({});
  const bitrates = useTally((s) => s.bitrates[stream.id] ?? NO_SAMPLES);
  useEffect(() => {
    void backend.call('getStream', stream.id).then((detail) => {
      const find = (p: string) => detail?.playUrls.find((u) => u.protocol === p)?.url;
      setUrls({ flv: find('http-flv'), hls: find('hls') });
    });
  }, [backend, stream.id]);
  const v = stream.video;
  return (
    <article className="card stream-card" data-testid="stream-card" data-stream-path={stream.path}>
      {urls.flv ? <LivePreview flvUrl={urls.flv} hlsUrl={urls.hls} /> : <div className="preview" />}
      <div className="stream-meta">
        <button type="button" className="link title" onClick={onOpen}>
          {stream.path}
        </button>
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
          {healthText(stream)}
        </p>
        <Sparkline values={bitrates} width={240} height={32} label="Bitrate over the last 30 seconds" />
      </div>
    </article>
  );
}

const SLOW_GOP_MS = 4000;

/** One plain sentence on how the stream is doing (text, not only a colour). */
function healthText(stream: StreamSummary): string {
  if (!stream.publishing) return '⚠ No data: OBS disconnected.';
  if (stream.gopMs !== null && stream.gopMs > SLOW_GOP_MS)
    return `⚠ Keyframes every ${(stream.gopMs / 1000).toFixed(1)} s: set OBS's keyframe interval to 2 s.`;
  if (stream.framesDropped > 0) return `⚠ ${stream.framesDropped} frames dropped for slow players.`;
  return '✓ Healthy';
}

function StreamDetailView({ id, onBack }: { id: string; onBack: () => void }) {
  const backend = useBackend();
  const [detail, setDetail] = useState<StreamDetail | null>();
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
  const hls = detail.playUrls.find((u) => u.protocol === 'hls')?.url;
  return (
    <section className="page">
      <header className="page-header">
        <button type="button" className="button" onClick={onBack}>
          ← Streams
        </button>
        <h1>{detail.path}</h1>
      </header>
      <div className="grid two">
        <div className="card">
          <LivePreview flvUrl={detail.playUrls.find((u) => u.protocol === 'http-flv')?.url} hlsUrl={hls} />
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
                <tr key={c.cid} data-testid="client-row" data-cid={c.cid}>
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
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}
