import { useCallback, useEffect, useState } from 'react';
import type { RecordingFile } from '../../../app/contract';
import { useBackend } from '../backend-context';
import { Switch } from '../components/switch';
import { bytes, dateTime, duration } from '../format';
import { useTally } from '../store';

/** In the browser console the file is served by the page's own origin (the URL names loopback, for the desktop). */
function reachable(url: string): string {
  if (!location.protocol.startsWith('http')) return url;
  const parsed = new URL(url);
  return `${location.origin}${parsed.pathname}${parsed.search}`;
}

/**
 * Per-stream recording toggles, "record every new stream", the recordings folder (changeable before the first
 * recording), and the files: play here, download (browser), show in folder (desktop), delete after a confirmation.
 */
export function RecordingPage() {
  const backend = useBackend();
  const streams = useTally((s) => s.streams);
  const status = useTally((s) => s.status);
  const setStatus = useTally((s) => s.setStatus);
  const [files, setFiles] = useState<RecordingFile[]>([]);
  const [error, setError] = useState<string>();
  const [canReveal, setCanReveal] = useState(backend.kind === 'desktop');
  const [filter, setFilter] = useState('');
  const [playing, setPlaying] = useState<RecordingFile>();
  const [confirming, setConfirming] = useState<string>();

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

  const remove = async (file: RecordingFile) => {
    const ok = await backend.call('deleteRecording', file.file);
    setConfirming(undefined);
    if (!ok) setError(`Could not delete ${file.file} (still recording, or no longer there).`);
    if (playing?.file === file.file) setPlaying(undefined);
    refresh();
  };

  const paths = [...new Set(files.map((f) => `/${f.app}/${f.stream}`))].sort();
  const shown = files.filter((f) => !filter || `/${f.app}/${f.stream}` === filter);

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
        <FolderField dir={status?.recordingsDir} />
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
                <strong>{s.path}</strong>
                {on && (
                  <span className="rec-label">
                    <span className="rec-dot" /> REC
                  </span>
                )}
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
      {playing?.url && (
        <div className="card player-card">
          <div className="row spaced">
            <h2>
              Playing /{playing.app}/{playing.stream} · {dateTime(playing.start)}
            </h2>
            <button type="button" className="button small" onClick={() => setPlaying(undefined)}>
              Close
            </button>
          </div>
          <video
            key={playing.file}
            className="recording-player"
            data-testid="recording-player"
            src={reachable(playing.url)}
            controls
            autoPlay
            muted
            aria-label={`Recording of /${playing.app}/${playing.stream}`}
          />
        </div>
      )}
      <div className="card">
        <div className="row spaced">
          <h2>Recordings</h2>
          <label className="field inline">
            <span>Stream</span>
            <select name="recording-stream" value={filter} onChange={(e) => setFilter(e.target.value)}>
              <option value="">All streams</option>
              {paths.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </label>
        </div>
        {shown.length === 0 && (
          <p className="muted">
            No recordings yet. Turn on a stream's switch above; files go to <code>{status?.recordingsDir}</code>.
          </p>
        )}
        <ul className="recordings" data-testid="recordings">
          {shown.map((f) => (
            <li key={f.file} className="recording" data-testid="recording-file">
              <div className="recording-head">
                <strong>
                  /{f.app}/{f.stream}
                </strong>
                {f.recording && (
                  <span className="rec-label">
                    <span className="rec-dot" /> REC
                  </span>
                )}
                <span className="muted num">
                  {dateTime(f.start)} · {f.durationMs ? duration(f.durationMs) : '—'} · {bytes(f.size)}
                </span>
              </div>
              <code className="path">{f.file}</code>
              <div className="row">
                {f.url && (
                  <button
                    type="button"
                    className="button small"
                    aria-label={`Play ${f.file}`}
                    onClick={() => setPlaying(f)}
                  >
                    ▶ Play
                  </button>
                )}
                {f.url && backend.kind === 'console' && (
                  <a className="button small" href={`${reachable(f.url)}&download=1`} download>
                    ⤓ Download
                  </a>
                )}
                {canReveal && (
                  <button
                    type="button"
                    className="button small"
                    onClick={() => void backend.call('showRecording', f.file).then(setCanReveal)}
                  >
                    Show in folder
                  </button>
                )}
                {!f.recording &&
                  (confirming === f.file ? (
                    <span className="confirm" role="alert">
                      Delete this file for good?{' '}
                      <button type="button" className="button small danger-solid" onClick={() => void remove(f)}>
                        Yes, delete
                      </button>{' '}
                      <button type="button" className="button small" onClick={() => setConfirming(undefined)}>
                        Keep it
                      </button>
                    </span>
                  ) : (
                    <button
                      type="button"
                      className="button small danger"
                      aria-label={`Delete ${f.file}`}
                      onClick={() => setConfirming(f.file)}
                    >
                      Delete…
                    </button>
                  ))}
              </div>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}

/** Where recordings go, changeable in place (saved to settings at once). */
function FolderField({ dir }: { dir?: string }) {
  const backend = useBackend();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(dir ?? '');
  const [problem, setProblem] = useState<string>();
  useEffect(() => setValue(dir ?? ''), [dir]);
  const save = async () => {
    const result = await backend.call('patchSettings', { 'dvr.dir': value.trim() });
    if (result.ok) {
      setProblem(undefined);
      setEditing(false);
    } else setProblem(result.problems.map((p) => p.message).join('; '));
  };
  return (
    <div className="folder-field" data-testid="recordings-folder">
      <span className="copy-label">Recordings folder</span>
      {editing ? (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <input
            name="recordings-dir"
            aria-label="Recordings folder"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            spellCheck={false}
          />
          <button type="submit" className="button small primary">
            Save
          </button>
          <button type="button" className="button small" onClick={() => setEditing(false)}>
            Cancel
          </button>
          {problem && (
            <span className="error" role="alert">
              {problem}
            </span>
          )}
        </form>
      ) : (
        <div className="row">
          <code>{dir}</code>
          <button type="button" className="button small" onClick={() => setEditing(true)}>
            Change…
          </button>
        </div>
      )}
    </div>
  );
}
