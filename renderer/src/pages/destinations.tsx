import { useCallback, useEffect, useState } from 'react';
import type { DestinationInput, DestinationPush, DestinationView } from '../../../app/contract';
import { useBackend } from '../backend-context';
import { Switch } from '../components/switch';
import { kbps } from '../format';
import { useTally } from '../store';
import { DESTINATION_PRESETS } from './destination-presets';

const STATE_LABEL: Record<DestinationPush['state'], string> = {
  connecting: 'Connecting',
  live: 'Live',
  retrying: 'Retrying',
  stopped: 'Stopped',
  unsupported: 'Not supported yet',
};

/**
 * Multistream: destinations every live stream (or the streams named) is pushed to, each with its state,
 * bitrate and last error. Stream keys are typed into a masked field and never read back.
 */
export function DestinationsPage() {
  const backend = useBackend();
  const [list, setList] = useState<DestinationView[]>([]);
  const [editing, setEditing] = useState<DestinationView | 'new'>();
  const [error, setError] = useState<string>();

  const refresh = useCallback(() => void backend.call('listDestinations').then(setList), [backend]);
  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, 2000);
    return () => clearInterval(timer);
  }, [refresh]);

  const toggle = async (d: DestinationView, enabled: boolean) => {
    const result = await backend.call('saveDestination', d.name, {
      name: d.name,
      url: d.url,
      streams: d.streams,
      enabled,
    });
    setError(result.ok ? undefined : result.problems.map((p) => p.message).join('; '));
    refresh();
  };

  const remove = async (name: string) => {
    await backend.call('removeDestination', name);
    refresh();
  };

  return (
    <section className="page">
      <header className="page-header">
        <h1>Destinations</h1>
        <button type="button" className="button primary" onClick={() => setEditing('new')}>
          Add destination
        </button>
      </header>
      <p className="muted">
        Live streams are pushed to every enabled destination as they are published, without re-encoding.
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {editing && (
        <DestinationForm
          existing={editing === 'new' ? undefined : editing}
          onDone={() => {
            setEditing(undefined);
            refresh();
          }}
        />
      )}
      {list.length === 0 && !editing && <p className="muted">No destinations yet.</p>}
      {list.map((d) => (
        <div className="card" key={d.name} data-testid="destination">
          <div className="row spaced">
            <div>
              <h2>{d.name}</h2>
              <code>
                {d.url}
                {d.hasKey ? '/••••' : ''}
              </code>
              <p className="muted">Streams: {d.streams.length === 0 ? 'all' : d.streams.join(', ')}</p>
            </div>
            <div className="row">
              <Switch label={`Forward to ${d.name}`} checked={d.enabled} onChange={(on) => void toggle(d, on)} />
              <button type="button" className="button small" onClick={() => setEditing(d)}>
                Edit
              </button>
              <button type="button" className="button small danger" onClick={() => void remove(d.name)}>
                Remove
              </button>
            </div>
          </div>
          {!d.supported && <p className="muted">SRT destinations are not supported yet.</p>}
          {d.pushes.length > 0 && (
            <ul className="recordings">
              {d.pushes.map((p) => (
                <li key={`${p.app}/${p.stream}`} className="row spaced" data-testid="destination-push">
                  <span>
                    /{p.app}/{p.stream}
                  </span>
                  <span className={`tag push-${p.state}`}>{STATE_LABEL[p.state]}</span>
                  <span>{p.state === 'live' ? kbps(p.bitrateKbps) : ''}</span>
                  {p.error && p.state !== 'live' && <span className="error">{p.error}</span>}
                </li>
              ))}
            </ul>
          )}
        </div>
      ))}
    </section>
  );
}

function DestinationForm({ existing, onDone }: { existing?: DestinationView; onDone: () => void }) {
  const backend = useBackend();
  const live = useTally((s) => s.streams);
  const [preset, setPreset] = useState(existing ? 'custom' : DESTINATION_PRESETS[0].id);
  const chosen = DESTINATION_PRESETS.find((p) => p.id === preset) ?? DESTINATION_PRESETS[0];
  const [name, setName] = useState(existing?.name ?? chosen.label);
  const [url, setUrl] = useState(existing?.url ?? chosen.url);
  const [key, setKey] = useState('');
  const [streams, setStreams] = useState(existing?.streams.join(', ') ?? '');
  const [problem, setProblem] = useState<string>();

  const pick = (id: string) => {
    const next = DESTINATION_PRESETS.find((p) => p.id === id);
    if (!next) return;
    setPreset(id);
    setName(next.id === 'custom' ? '' : next.label);
    setUrl(next.url);
  };

  const save = async () => {
    const input: DestinationInput = {
      name: name.trim(),
      url: url.trim(),
      streams: streams
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      enabled: existing?.enabled ?? true,
    };
    // An untouched key field keeps the saved key.
    if (key !== '' || !existing) input.key = key.trim();
    const result = await backend.call('saveDestination', existing?.name ?? null, input);
    if (result.ok) onDone();
    else setProblem(result.problems.map((p) => `${p.key}: ${p.message}`).join('; '));
  };

  return (
    <form
      className="card destination-form"
      aria-label={existing ? `Edit ${existing.name}` : 'New destination'}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      {!existing && (
        <label className="field">
          <span>Platform</span>
          <select name="preset" value={preset} onChange={(e) => pick(e.target.value)}>
            {DESTINATION_PRESETS.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
      )}
      <label className="field">
        <span>Name</span>
        <input name="name" value={name} onChange={(e) => setName(e.target.value)} required />
      </label>
      <label className="field">
        <span>Server URL</span>
        <input
          name="url"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          placeholder="rtmp://host/app or rtmps://host:443/app"
          spellCheck={false}
          required
        />
      </label>
      <label className="field">
        <span>Stream key</span>
        <input
          name="key"
          type="password"
          autoComplete="off"
          value={key}
          onChange={(e) => setKey(e.target.value)}
          placeholder={existing?.hasKey ? 'Saved (type to replace)' : ''}
        />
        <small className="muted">{chosen.keyHint}</small>
      </label>
      <label className="field">
        <span>Streams</span>
        <input
          name="streams"
          value={streams}
          onChange={(e) => setStreams(e.target.value)}
          placeholder="All streams (or live/main, show*)"
          spellCheck={false}
          list="live-stream-names"
        />
        <datalist id="live-stream-names">
          {live.map((s) => (
            <option key={s.id} value={s.path.replace(/^\//, '')} />
          ))}
        </datalist>
      </label>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      <div className="row">
        <button type="submit" className="button primary">
          Save
        </button>
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
