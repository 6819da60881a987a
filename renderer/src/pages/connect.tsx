import { useEffect, useState } from 'react';
import type { PushInfo } from '../../../app/contract';
import { useBackend } from '../backend-context';
import { BrowserPublish } from '../components/browser-publish';
import { CopyField } from '../components/copy-button';
import { SLOW_GOP_MS } from '../health';
import { useTally } from '../store';

const APP = 'live';

/**
 * What to paste into OBS (Service: Custom, Server, Stream Key), always as the server's current security settings
 * make them (the publish secret folded into the key), the stream name checked as it is typed by the server's own
 * rule, and a sign the moment OBS connects.
 */
export function ConnectPage() {
  const backend = useBackend();
  const [stream, setStream] = useState('livestream');
  const [problem, setProblem] = useState<string | null>(null);
  // The push info with the name it is for: fields for another name are never shown, not even for a moment.
  const [pushed, setPushed] = useState<{ stream: string; info: PushInfo }>();
  const [secretOn, setSecretOn] = useState<boolean>();
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string>();
  const [revision, setRevision] = useState(0);
  const streams = useTally((s) => s.streams);
  const status = useTally((s) => s.status);

  // Re-checked as typed; the URLs follow only a valid name (an invalid one would be refused by the server).
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-read after a save (revision) or a port change.
  useEffect(() => {
    let current = true;
    void backend.call('checkStreamName', stream).then((message) => {
      if (!current) return;
      setProblem(message);
      if (message !== null) return;
      void backend.call('getPushInfo', APP, stream).then((info) => {
        if (current) setPushed({ stream, info });
      });
    });
    return () => {
      current = false;
    };
  }, [backend, stream, status?.ports.rtmp, revision]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: re-read after a save (revision).
  useEffect(() => {
    void backend.call('getSettings').then((view) => {
      const security = view.values.security as { publishSecret?: string } | undefined;
      setSecretOn(Boolean(security?.publishSecret));
    });
  }, [backend, revision]);

  const setSecret = async (secret: string) => {
    setSaving(true);
    setSaveError(undefined);
    try {
      const result = await backend.call('patchSettings', { 'security.publishSecret': secret });
      if (!result.ok) setSaveError(result.problems.map((p) => `${p.key}: ${p.message}`).join('; '));
      setRevision((r) => r + 1);
    } finally {
      setSaving(false);
    }
  };

  const info = pushed?.stream === stream ? pushed.info : undefined;
  const mine = streams.find((s) => s.app === APP && s.name === stream);
  const broken = streams.filter((s) => s.gopMs !== null && s.gopMs > SLOW_GOP_MS);

  return (
    <section className="page">
      <header className="page-header">
        <h1>Connect OBS</h1>
        <div className="obs-state" data-testid="obs-state" role="status" aria-live="polite">
          {mine?.publishing ? (
            <span className="live-badge">● OBS connected: live on {mine.path}</span>
          ) : mine ? (
            <span className="wait-badge">◌ OBS disconnected, waiting for it to come back</span>
          ) : (
            <span className="muted">○ OBS not connected yet</span>
          )}
        </div>
      </header>
      <div className="card">
        <h2>In OBS: Settings → Stream</h2>
        <div className="copy-field">
          <span className="copy-label">Service</span>
          <code className="copy-value">Custom…</code>
        </div>
        {info && problem === null && (
          <>
            <CopyField label="Server" value={info.obs.server} copyLabel="Copy server URL" testId="obs-server" />
            <CopyField label="Stream Key" value={info.obs.streamKey} copyLabel="Copy stream key" testId="obs-key" />
            <CopyField label="Full URL" value={info.rtmpUrl} copyLabel="Copy full URL" testId="obs-full-url" />
            {info.srtUrl && (
              <CopyField label="SRT URL" value={info.srtUrl} copyLabel="Copy SRT URL" testId="obs-srt-url" />
            )}
          </>
        )}
        <div className={`field ${problem ? 'invalid' : ''}`}>
          <label htmlFor="stream-name">Stream name</label>
          <input
            id="stream-name"
            name="stream"
            value={stream}
            onChange={(e) => setStream(e.target.value)}
            spellCheck={false}
            autoComplete="off"
            aria-invalid={problem !== null}
            aria-describedby="stream-name-help"
          />
          {problem ? (
            <p id="stream-name-help" className="error" role="alert" data-testid="stream-name-problem">
              ✕ {problem}
            </p>
          ) : (
            <p id="stream-name-help" className="hint">
              Letters, digits, _ - . ~ and /, at most 256 characters. Players use it in their URLs.
            </p>
          )}
        </div>
      </div>
      <div className="card">
        <h2>Publish secret</h2>
        <p className="muted">
          With a secret, only someone who knows the stream key (which then ends in <code>?secret=…</code>) can go live
          on this server. The key above already includes it.
        </p>
        <div className="row">
          <span data-testid="secret-state">
            {secretOn ? '✓ Secret on' : '⚠ Secret off: anyone on the network may publish'}
          </span>
          <button
            type="button"
            className="button"
            disabled={saving}
            onClick={() => void backend.call('generateSecret').then(setSecret)}
          >
            {secretOn ? 'Make a new secret' : 'Turn on a secret'}
          </button>
          {secretOn && (
            <button type="button" className="button danger" disabled={saving} onClick={() => void setSecret('')}>
              Turn the secret off
            </button>
          )}
        </div>
        {secretOn && <p className="hint">A new secret takes effect at once: paste the new stream key into OBS.</p>}
        {saveError && (
          <p className="error" role="alert">
            {saveError}
          </p>
        )}
      </div>
      <div className="card">
        <h2>Other encoders</h2>
        {info?.whipUrl && <CopyField label="WHIP" value={info.whipUrl} copyLabel="Copy WHIP URL" testId="whip-url" />}
        <p className="muted">
          ffmpeg, vMix, Larix and other RTMP encoders take the full URL above (or server + key, as OBS); SRT encoders
          (OBS 28+, Larix, vMix) take the SRT URL; OBS 30+ (Service: WHIP) and browsers take the WHIP URL.
        </p>
      </div>
      {info?.whipUrl && problem === null && (
        <div className="card">
          <h2>No encoder? Go live from this browser</h2>
          <BrowserPublish whipUrl={info.whipUrl} />
        </div>
      )}
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
