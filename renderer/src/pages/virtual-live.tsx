import { type FormEvent, useCallback, useEffect, useState } from 'react';
import type { VirtualLiveView } from '../../../app/contract';
import { useBackend } from '../backend-context';
import { JobStatus } from '../components/job-status';

const REFRESH_MS = 2000;

/** Virtual live: files and URLs published as live streams, started and stopped here. */
export function VirtualLivePage() {
  const backend = useBackend();
  const [sources, setSources] = useState<VirtualLiveView[]>([]);
  const [error, setError] = useState<string>();
  const refresh = useCallback(() => void backend.call('listVirtualLive').then(setSources), [backend]);
  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  const setRunning = async (name: string, running: boolean) => {
    const result = await backend.call('setVirtualLiveRunning', name, running);
    setSources(result.sources);
    setError(result.error);
  };

  const save = async (next: VirtualLiveView[]) => {
    const list = next.map(({ running: _r, job: _j, ...source }) => source);
    const result = await backend.call('patchSettings', { 'virtualLive.sources': list });
    setError(result.ok ? undefined : result.problems.map((p) => `${p.key}: ${p.message}`).join('; '));
    refresh();
  };

  return (
    <section className="page">
      <header className="page-header">
        <h1>Virtual live</h1>
      </header>
      <div className="card">
        <p className="muted">
          A video file or a URL (HLS, RTSP, RTMP, SRT, HTTP) published as a live stream on every protocol, looping or
          once.
        </p>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {sources.length === 0 && <p className="muted">No sources yet: add one below.</p>}
        {sources.map((s) => (
          <div key={s.name} className="row spaced" data-testid="virtual-live-row" data-source={s.name}>
            <div>
              <strong>{s.name}</strong> → /{s.app}/{s.stream}
              <div className="muted">
                {s.input} · {s.loop ? 'loop' : 'once'} · {s.mode}
              </div>
              <JobStatus job={s.job} />
            </div>
            <div className="row">
              <button type="button" className="button small" onClick={() => void setRunning(s.name, !s.running)}>
                {s.running ? 'Stop' : 'Start'}
              </button>
              <button
                type="button"
                className="button small"
                onClick={() => void save(sources.filter((o) => o.name !== s.name))}
              >
                Remove
              </button>
            </div>
          </div>
        ))}
      </div>
      <AddSource onAdd={(source) => void save([...sources, source])} />
    </section>
  );
}

function AddSource({ onAdd }: { onAdd: (source: VirtualLiveView) => void }) {
  const [name, setName] = useState('');
  const [input, setInput] = useState('');
  const [stream, setStream] = useState('');
  const [loop, setLoop] = useState(true);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onAdd({
      name,
      input,
      app: 'live',
      stream: stream || name,
      loop,
      autostart: false,
      mode: 'auto',
      videoKbps: 2500,
      running: false,
      job: null,
    });
    setName('');
    setInput('');
    setStream('');
  };
  return (
    <form className="card" onSubmit={submit}>
      <h2>Add a source</h2>
      <label className="field">
        <span>Name</span>
        <input name="vl-name" value={name} onChange={(e) => setName(e.target.value)} required />
      </label>
      <label className="field">
        <span>File or URL</span>
        <input
          name="vl-input"
          value={input}
          onChange={(e) => setInput(e.target.value)}
          placeholder="/videos/loop.mp4 or rtsp://camera/stream"
          required
        />
      </label>
      <label className="field">
        <span>Stream name (under live/)</span>
        <input name="vl-stream" value={stream} onChange={(e) => setStream(e.target.value)} placeholder={name} />
      </label>
      <label className="field inline">
        <input type="checkbox" checked={loop} onChange={(e) => setLoop(e.target.checked)} />
        <span>Loop</span>
      </label>
      <button type="submit" className="button">
        Add
      </button>
    </form>
  );
}
