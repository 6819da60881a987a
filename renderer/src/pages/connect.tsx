import { useEffect, useState } from 'react';
import type { PushInfo } from '../../../app/contract';
import { useBackend } from '../backend-context';
import { CopyField } from '../components/copy-button';
import { useTally } from '../store';

const MAX_GOP_MS = 4000;

/** What to paste into OBS (Service: Custom, Server, Stream Key), other ways to publish, and the right settings. */
export function ConnectPage() {
  const backend = useBackend();
  const [stream, setStream] = useState('livestream');
  const [info, setInfo] = useState<PushInfo>();
  const [secret, setSecret] = useState<string>();
  const streams = useTally((s) => s.streams);
  const status = useTally((s) => s.status);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the URLs change when the server restarts on another port.
  useEffect(() => {
    const name = stream.trim() || 'livestream';
    void backend.call('getPushInfo', 'live', name).then(setInfo);
  }, [backend, stream, status?.ports.rtmp]);

  const broken = streams.filter((s) => s.gopMs !== null && s.gopMs > MAX_GOP_MS);

  return (
    <section className="page">
      <header className="page-header">
        <h1>Connect OBS</h1>
      </header>
      <div className="card">
        <h2>In OBS: Settings → Stream</h2>
        <div className="copy-field">
          <span className="copy-label">Service</span>
          <code className="copy-value">Custom…</code>
        </div>
        {info && (
          <>
            <CopyField label="Server" value={info.obs.server} copyLabel="Copy server URL" />
            <CopyField label="Stream Key" value={info.obs.streamKey} copyLabel="Copy stream key" />
          </>
        )}
        <label className="field">
          <span>Stream name</span>
          <input name="stream" value={stream} onChange={(e) => setStream(e.target.value)} spellCheck={false} />
        </label>
      </div>
      <div className="card">
        <h2>Other encoders</h2>
        {info && <CopyField label="RTMP URL" value={info.rtmpUrl} copyLabel="Copy RTMP URL" />}
        {info?.srtUrl && <CopyField label="SRT" value={info.srtUrl} copyLabel="Copy SRT URL" />}
        {info?.whipUrl && <CopyField label="WHIP" value={info.whipUrl} copyLabel="Copy WHIP URL" />}
        <div className="row">
          <button type="button" className="button" onClick={() => void backend.call('generateSecret').then(setSecret)}>
            Generate a publish secret
          </button>
          {secret && <CopyField label="Secret" value={secret} copyLabel="Copy secret" />}
        </div>
        {secret && (
          <p className="muted">
            Paste it into Settings → security.publishSecret and save: from then on the stream key must end with
            <code>?secret={secret}</code>.
          </p>
        )}
      </div>
      <div className="card">
        <h2>Recommended OBS output settings</h2>
        <ul className="checklist">
          {info?.recommended.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
        {broken.map((s) => (
          <p key={s.id} className="warning" role="alert">
            {s.path}: keyframes every {(s.gopMs! / 1000).toFixed(1)} s. Set OBS's keyframe interval to 2 s so players
            start quickly and HLS segments stay short.
          </p>
        ))}
      </div>
    </section>
  );
}
