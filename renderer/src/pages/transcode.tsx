import { type FormEvent, useCallback, useEffect, useState } from 'react';
import type { TranscodeView } from '../../../app/contract';
import { useBackend } from '../backend-context';
import { JobStatus } from '../components/job-status';
import { kbps } from '../format';

const REFRESH_MS = 2000;

/** Transcode profiles (ABR ladders): which streams run which profile, and the ladders running now. */
export function TranscodePage() {
  const backend = useBackend();
  const [view, setView] = useState<TranscodeView>();
  const [error, setError] = useState<string>();
  const refresh = useCallback(() => void backend.call('getTranscode').then(setView), [backend]);
  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  const saveStreams = async (streams: TranscodeView['streams']) => {
    const result = await backend.call('patchSettings', { 'transcode.streams': streams });
    setError(result.ok ? undefined : result.problems.map((p) => `${p.key}: ${p.message}`).join('; '));
    refresh();
  };

  if (!view) return <section className="page" />;
  return (
    <section className="page">
      <header className="page-header">
        <h1>Transcode profiles</h1>
      </header>
      <div className="card">
        <h2>Profiles</h2>
        <p className="muted">
          A stream with a profile gets one rendition per line as its own stream (<code>{'{stream}_{name}'}</code>), and
          its HLS playlist becomes a master playlist: players switch quality by themselves. Profiles are edited in
          Settings (<code>transcode.profiles</code>).
        </p>
        {view.profiles.map((p) => (
          <div key={p.name} data-testid="transcode-profile">
            <strong>{p.name}</strong>:{' '}
            {p.renditions
              .map((r) => (r.height === 0 ? `${r.name} (source)` : `${r.name} ${r.height}p ${kbps(r.videoKbps)}`))
              .join(' · ')}
          </div>
        ))}
      </div>
      <div className="card">
        <h2>Streams</h2>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {view.streams.length === 0 && <p className="muted">No stream uses a profile.</p>}
        {view.streams.map((s, i) => (
          <div key={`${s.app}/${s.stream}`} className="row spaced">
            <span>
              /{s.app}/{s.stream} → {s.profile}
            </span>
            <button
              type="button"
              className="button small"
              onClick={() => void saveStreams(view.streams.filter((_, j) => j !== i))}
            >
              Remove
            </button>
          </div>
        ))}
        <AddUse profiles={view.profiles.map((p) => p.name)} onAdd={(use) => void saveStreams([...view.streams, use])} />
      </div>
      <div className="card">
        <h2>Running</h2>
        {view.ladders.length === 0 && <p className="muted">No ladder runs now.</p>}
        {view.ladders.map((l) => (
          <div key={`${l.app}/${l.stream}`} data-testid="transcode-ladder">
            <strong>
              /{l.app}/{l.stream}
            </strong>{' '}
            ({l.profile}): {l.renditions.join(', ')}
            <div>
              <JobStatus job={l.job} />
            </div>
          </div>
        ))}
      </div>
    </section>
  );
}

function AddUse({
  profiles,
  onAdd,
}: {
  profiles: string[];
  onAdd: (use: { app: string; stream: string; profile: string }) => void;
}) {
  const [stream, setStream] = useState('');
  const [profile, setProfile] = useState(profiles[0] ?? '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onAdd({ app: 'live', stream, profile });
    setStream('');
  };
  return (
    <form className="row" onSubmit={submit}>
      <label className="field inline">
        <span>Stream (live/…, * for all)</span>
        <input name="transcode-stream" value={stream} onChange={(e) => setStream(e.target.value)} required />
      </label>
      <label className="field inline">
        <span>Profile</span>
        <select name="transcode-profile" value={profile} onChange={(e) => setProfile(e.target.value)}>
          {profiles.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="button small">
        Add
      </button>
    </form>
  );
}
