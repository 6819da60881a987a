import { useCallback, useEffect, useState } from 'react';
import type { RecordingFile } from '../../../app/contract';
import { useBackend } from '../backend-context';
import { Switch } from '../components/switch';
import { bytes, duration } from '../format';
import { useTally } from '../store';

/** Per-stream recording toggles, "record every new stream", and the recordings on disk. */
export function RecordingPage() {
  const backend = useBackend();
  const streams = useTally((s) => s.streams);
  const status = useTally((s) => s.status);
  const setStatus = useTally((s) => s.setStatus);
  const [files, setFiles] = useState<RecordingFile[]>([]);
  const [error, setError] = useState<string>();
  const [canReveal, setCanReveal] = useState(backend.kind === 'desktop');

  const refresh = useCallback(() => void backend.call('listRecordings').then(setFiles), [backend]);
  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, 2000);
    return () => clearInterval(timer);
  }, [refresh]);

  const toggle = async (app: string, stream: string, enabled: boolean) => {
    const state = await backend.call('setRecording', app, stream, enabled);
    setError(state.error);
    refresh();
  };

  return (
    <section className="page">
      <header className="page-header">
        <h1>Recording</h1>
      </header>
      <div className="card">
        <div className="row spaced">
          <div>
            <h2>Record every new stream</h2>
            <p className="muted">Each publish becomes a file in the recordings folder.</p>
          </div>
          <Switch
            label="Record all new streams"
            checked={status?.recordAll ?? false}
            onChange={(on) => void backend.call('setRecordAll', on).then(setStatus)}
          />
        </div>
      </div>
      <div className="card">
        <h2>Live streams</h2>
        {streams.length === 0 && <p className="muted">No live streams.</p>}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {streams.map((s) => {
          const rec = s.recording;
          const on = rec?.recording ?? false;
          return (
            <div key={s.id} className="row spaced recording-row" data-testid="recording-row" data-stream-path={s.path}>
              <div className="row">
                {on && <span className="rec-dot" title="Recording" />}
                <strong>{s.path}</strong>
                {on && rec?.startedAt && (
                  <span className="muted num">
                    {duration(Date.now() - rec.startedAt)} · {bytes(rec.bytes ?? 0)}
                  </span>
                )}
                {rec?.error && <span className="error">{rec.error}</span>}
              </div>
              <Switch label={`Record ${s.path}`} checked={on} onChange={(v) => void toggle(s.app, s.name, v)} />
            </div>
          );
        })}
      </div>
      <div className="card">
        <h2>Recordings</h2>
        <table className="table" data-testid="recordings">
          <thead>
            <tr>
              <th>Stream</th>
              <th>File</th>
              <th>Started</th>
              <th>Duration</th>
              <th>Size</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {files.map((f) => (
              <tr key={f.file} data-testid="recording-file">
                <td>
                  /{f.app}/{f.stream} {f.recording && <span className="rec-dot" title="Recording" />}
                </td>
                <td>
                  <code className="path">{f.file}</code>
                </td>
                <td className="num">{new Date(f.start).toLocaleString()}</td>
                <td className="num">{f.durationMs ? duration(f.durationMs) : '—'}</td>
                <td className="num">{bytes(f.size)}</td>
                <td>
                  {canReveal && (
                    <button
                      type="button"
                      className="button small"
                      onClick={() => void backend.call('showRecording', f.file).then(setCanReveal)}
                    >
                      Show in folder
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
